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
    // Geometry in locals: its computed properties live in another file, so each use
    // inside the loops would be an opaque call.
    let pixels = g.outPixels, ld = images.count * pixels
    let k = g.kernel, ow = g.outWidth, oh = g.outHeight
    let height = g.height, width = g.width, stride = g.stride, padding = g.padding, channels = g.inChannels
    for ci in 0 ..< channels {
        for ky in 0 ..< k {
            for kx in 0 ..< k {
                let row = col + ((ci * k + ky) * k + kx) * ld
                // Output columns whose tap lands inside the image: ix = ox·s - p + kx in [0, W).
                let oxFirst = max(0, (padding - kx + stride - 1) / stride)
                let oxEnd = lastValidTap(width, padding, kx) < 0 ? 0 : min(ow, lastValidTap(width, padding, kx) / stride + 1)
                for (j, n) in images.enumerated() {
                    let plane = x + (n * channels + ci) * height * width
                    var dst = row + j * pixels
                    for oy in 0 ..< oh {
                        let iy = oy * stride - padding + ky
                        if iy < 0 || iy >= height || oxFirst >= oxEnd {
                            dst.update(repeating: 0, count: ow)
                        } else {
                            let src = plane + iy * width - padding + kx
                            for ox in 0 ..< oxFirst { dst[ox] = 0 }
                            if stride == 1 {
                                (dst + oxFirst).update(from: src + oxFirst, count: oxEnd - oxFirst)
                            } else {
                                for ox in oxFirst ..< oxEnd { dst[ox] = src[ox * stride] }
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
    // Geometry in locals: its computed properties live in another file, so each use
    // inside the loops would be an opaque call.
    let pixels = g.outPixels, ld = images.count * pixels
    let k = g.kernel, ow = g.outWidth, oh = g.outHeight
    let height = g.height, width = g.width, stride = g.stride, padding = g.padding, channels = g.inChannels
    for ci in 0 ..< channels {
        for ky in 0 ..< k {
            for kx in 0 ..< k {
                let row = col + ((ci * k + ky) * k + kx) * ld
                let oxFirst = max(0, (padding - kx + stride - 1) / stride)
                let oxEnd = lastValidTap(width, padding, kx) < 0 ? 0 : min(ow, lastValidTap(width, padding, kx) / stride + 1)
                guard oxFirst < oxEnd else { continue }
                for (j, n) in images.enumerated() {
                    let plane = dx + (n * channels + ci) * height * width
                    var src = row + j * pixels
                    for oy in 0 ..< oh {
                        let iy = oy * stride - padding + ky
                        if iy >= 0 && iy < height {
                            let dst = plane + iy * width - padding + kx
                            if stride == 1 {
                                var ox = oxFirst
                                while ox + 16 <= oxEnd {
                                    (dst + ox).store((dst + ox).simd16() + src.simd16(ox))
                                    ox += 16
                                }
                                while ox < oxEnd { dst[ox] += src[ox]; ox += 1 }
                            } else {
                                for ox in oxFirst ..< oxEnd { dst[ox * stride] += src[ox] }
                            }
                        }
                        src += ow
                    }
                }
            }
        }
    }
}

/// `ox · stride` may reach this value for tap `kx` to stay inside the image (negative when
/// the tap never does: a 3x3 kernel's right column on a 1-pixel-wide input). Computed
/// separately because Swift's `/` truncates toward zero, not down.
@inline(__always)
private func lastValidTap(_ width: Int, _ padding: Int, _ kx: Int) -> Int {
    width - 1 + padding - kx
}
