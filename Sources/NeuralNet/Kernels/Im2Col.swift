import Core

/// Unrolls the receptive fields of images `images` of `x` into the columns of a matrix,
/// so that a convolution becomes one matrix product (Caffe's im2col).
///
/// Shape contract: `x` is `geometry.inputShape`; `col` receives a
/// `[patchSize x (images.count · outPixels)]` row-major matrix whose row
/// `(ci · k + ky) · k + kx` holds, for every image j of the range and output pixel
/// (oy, ox), the input value `x[n, ci, oy·s - p + ky, ox·s - p + kx]` (0 in the padding),
/// at column `j · outPixels + oy · outWidth + ox`.
func im2col(_ g: ConvGeometry, x: UnsafePointer<Float>, images: Range<Int>, col: UnsafeMutablePointer<Float>) {
    let pixels = g.outPixels, ld = images.count * pixels
    let k = g.kernel, ow = g.outWidth
    for ci in 0 ..< g.inChannels {
        for ky in 0 ..< k {
            for kx in 0 ..< k {
                let row = col + ((ci * k + ky) * k + kx) * ld
                // Output columns whose tap lands inside the image: ix = ox·s - p + kx in [0, W).
                let oxFirst = max(0, (g.padding - kx + g.stride - 1) / g.stride)
                let oxEnd = min(ow, (g.width - 1 + g.padding - kx) / g.stride + 1)
                for (j, n) in images.enumerated() {
                    let plane = x + (n * g.inChannels + ci) * g.height * g.width
                    var dst = row + j * pixels
                    for oy in 0 ..< g.outHeight {
                        let iy = oy * g.stride - g.padding + ky
                        if iy < 0 || iy >= g.height || oxFirst >= oxEnd {
                            dst.update(repeating: 0, count: ow)
                        } else {
                            let src = plane + iy * g.width - g.padding + kx
                            for ox in 0 ..< oxFirst { dst[ox] = 0 }
                            if g.stride == 1 {
                                (dst + oxFirst).update(from: src + oxFirst, count: oxEnd - oxFirst)
                            } else {
                                for ox in oxFirst ..< oxEnd { dst[ox] = src[ox * g.stride] }
                            }
                            for ox in oxEnd ..< ow { dst[ox] = 0 }
                        }
                        dst += ow
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column entry back onto the input pixel it was
/// read from. `dx` for images in `images` must be zeroed (or hold a partial sum) first.
///
/// Shape contract: `col` is `[patchSize x (images.count · outPixels)]` as `im2col`
/// produces; `dx` is `geometry.inputShape`.
func col2im(_ g: ConvGeometry, col: UnsafePointer<Float>, images: Range<Int>, dx: UnsafeMutablePointer<Float>) {
    let pixels = g.outPixels, ld = images.count * pixels
    let k = g.kernel, ow = g.outWidth
    for ci in 0 ..< g.inChannels {
        for ky in 0 ..< k {
            for kx in 0 ..< k {
                let row = col + ((ci * k + ky) * k + kx) * ld
                let oxFirst = max(0, (g.padding - kx + g.stride - 1) / g.stride)
                let oxEnd = min(ow, (g.width - 1 + g.padding - kx) / g.stride + 1)
                guard oxFirst < oxEnd else { continue }
                for (j, n) in images.enumerated() {
                    let plane = dx + (n * g.inChannels + ci) * g.height * g.width
                    var src = row + j * pixels
                    for oy in 0 ..< g.outHeight {
                        let iy = oy * g.stride - g.padding + ky
                        if iy >= 0 && iy < g.height {
                            let dst = plane + iy * g.width - g.padding + kx
                            if g.stride == 1 {
                                var ox = oxFirst
                                while ox + 16 <= oxEnd {
                                    (dst + ox).store((dst + ox).simd16() + src.simd16(ox))
                                    ox += 16
                                }
                                while ox < oxEnd { dst[ox] += src[ox]; ox += 1 }
                            } else {
                                for ox in oxFirst ..< oxEnd { dst[ox * g.stride] += src[ox] }
                            }
                        }
                        src += ow
                    }
                }
            }
        }
    }
}
