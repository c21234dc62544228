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
                                simdCopy(src + oxFirst, dst + oxFirst, oxEnd - oxFirst)
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
    if g.kernel == 3 && g.stride == 2 && g.padding == 1 && g.height % 2 == 0 && g.width % 2 == 0 {
        col2imStride2(g, col: col, images: images, dx: dx)
    } else {
        col2imAnyShape(g, col: col, images: images, dx: dx)
    }
}

/// `col2im` for every shape, one tap at a time.
func col2imAnyShape(_ g: ConvGeometry, col: UnsafePointer<Float>, images: Range<Int>, dx: UnsafeMutablePointer<Float>) {
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

/// `col2im` for a 3x3, stride-2, padding-1 convolution of an image with even sides: the same
/// sums, pixel by pixel, in the same order (taps in (ky, kx) order onto what `dx` held), one
/// row of `dx` at a time with each pixel's sum kept in a register, instead of one tap at a
/// time over the whole image, which loaded and stored every pixel once per tap reaching it.
///
/// Row iy = 2q is reached by tap row ky = 1 from output row q; row 2q + 1 by ky = 0 from
/// output row q + 1 (when there is one) and ky = 2 from q. Likewise column 2m by kx = 1 from
/// output column m, column 2m + 1 by kx = 0 from m + 1 and kx = 2 from m.
func col2imStride2(_ g: ConvGeometry, col: UnsafePointer<Float>, images: Range<Int>,
                           dx: UnsafeMutablePointer<Float>) {
    let pixels = g.outPixels, ld = images.count * pixels
    let ow = g.outWidth, oh = g.outHeight, height = g.height, width = g.width, channels = g.inChannels
    for ci in 0 ..< channels {
        let taps = col + ci * 9 * ld
        for (j, n) in images.enumerated() {
            let plane = dx + (n * channels + ci) * height * width
            let image = taps + j * pixels
            for iy in 0 ..< height {
                // The (ky, output row) pairs reaching row iy, in ky order (at most two).
                let q = iy / 2
                let first: (ky: Int, oy: Int)?, second: (ky: Int, oy: Int)?
                if iy % 2 == 0 {
                    (first, second) = ((1, q), nil)
                } else {
                    (first, second) = q + 1 < oh ? ((0, q + 1), (2, q)) : ((2, q), nil)
                }
                let dst = plane + iy * width
                // Row kx of tap row ky, at output row oy.
                @inline(__always) func source(_ tap: (ky: Int, oy: Int), _ kx: Int) -> UnsafePointer<Float> {
                    image + (tap.ky * 3 + kx) * ld + tap.oy * ow
                }
                let a0 = source(first!, 0), a1 = source(first!, 1), a2 = source(first!, 2)
                if let second {
                    let b0 = source(second, 0), b1 = source(second, 1), b2 = source(second, 2)
                    for m in 0 ..< ow {
                        var even = dst[2 * m], odd = dst[2 * m + 1]
                        even += a1[m]
                        if m + 1 < ow { odd += a0[m + 1] }
                        odd += a2[m]
                        even += b1[m]
                        if m + 1 < ow { odd += b0[m + 1] }
                        odd += b2[m]
                        dst[2 * m] = even
                        dst[2 * m + 1] = odd
                    }
                } else {
                    for m in 0 ..< ow {
                        var odd = dst[2 * m + 1]
                        dst[2 * m] += a1[m]
                        if m + 1 < ow { odd += a0[m + 1] }
                        odd += a2[m]
                        dst[2 * m + 1] = odd
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
