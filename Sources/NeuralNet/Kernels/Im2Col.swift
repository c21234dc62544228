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
                                var ox = oxFirst
                                if stride == 2 {
                                    // 16 columns at a time from the even lanes of 32 floats, while
                                    // those 32 stay inside the row (the last one read is
                                    // column 2·ox + 31 - padding + kx).
                                    while ox + 16 <= oxEnd && 2 * ox + 31 - padding + kx < width {
                                        dst.store(SIMD32<Float>(lowHalf: src.simd16(2 * ox),
                                                                highHalf: src.simd16(2 * ox + 16)).evenHalf, at: ox)
                                        ox += 16
                                    }
                                }
                                while ox < oxEnd { dst[ox] = src[ox * stride]; ox += 1 }
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
    if col2imWritesEveryPixel(g) {
        col2imStride2(g, col: col, images: images, dx: dx)
    } else {
        col2imAnyShape(g, col: col, images: images, dx: dx)
    }
}

/// Whether `col2im` of `g` takes `col2imStride2`, which reaches every pixel of `dx` and can
/// therefore write it without reading it (`overwrite`) instead of adding onto zeros.
func col2imWritesEveryPixel(_ g: ConvGeometry) -> Bool {
    g.kernel == 3 && g.stride == 2 && g.padding == 1 && g.height % 2 == 0 && g.width % 2 == 0
}

/// Whether `g` is a 1x1 stride-2 convolution without padding (a downsampling shortcut) on
/// images with even sides, whose `col2im` onto a zeroed `dx` `col2imSubsample` computes
/// without the zeroing.
func col2imIsSubsample(_ g: ConvGeometry) -> Bool {
    g.kernel == 1 && g.stride == 2 && g.padding == 0 && g.height % 2 == 0 && g.width % 2 == 0
}

/// `col2im` of a 1x1 stride-2 convolution without padding onto a zeroed `dx`, writing `dx`
/// whole instead: pixel (2·oy, 2·ox) gets its one column entry added to +0, every other pixel
/// +0, the values `col2imAnyShape` leaves after the zeroing, bit for bit. Rows of output
/// columns in 16s or 8s are interleaved with zeros in vectors.
///
/// With `adding`, each of those values is added to what `dx` holds instead (`dx + value`, one
/// addition per pixel): bit for bit that `dx` plus the gradient written without `adding`,
/// with no buffer of the input's size for the gradient (a shortcut's into its block's).
///
/// Shapes as `col2im`; requires `col2imIsSubsample(g)`.
func col2imSubsample(_ g: ConvGeometry, col: UnsafePointer<Float>, images: Range<Int>,
                     dx: UnsafeMutablePointer<Float>, adding: Bool = false) {
    let pixels = g.outPixels, ld = images.count * pixels
    let ow = g.outWidth, oh = g.outHeight, height = g.height, width = g.width, channels = g.inChannels
    // The 16 floats at `p`: v, or p + v with `adding`.
    @inline(__always) func put(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        p.store(adding ? p.simd16() + v : v)
    }
    for ci in 0 ..< channels {
        let entries = col + ci * ld
        for (j, n) in images.enumerated() {
            let plane = dx + (n * channels + ci) * height * width
            for oy in 0 ..< oh {
                let src = entries + j * pixels + oy * ow, even = plane + 2 * oy * width
                if adding { simdAddZero(even + width, width) } else { simdZero(even + width, width) }
                if ow % 16 == 0 {
                    var m = 0
                    while m < ow {
                        var v = SIMD32<Float>()
                        v.evenHalf = SIMD16<Float>() + src.simd16(m)
                        put(v.lowHalf, even + 2 * m)
                        put(v.highHalf, even + 2 * m + 16)
                        m += 16
                    }
                } else if ow == 8 {
                    var v = SIMD16<Float>()
                    v.evenHalf = SIMD8<Float>() + src.simd8()
                    put(v, even)
                } else {
                    for m in 0 ..< ow {
                        let value = 0 + src[m]
                        even[2 * m] = adding ? even[2 * m] + value : value
                        even[2 * m + 1] = adding ? even[2 * m + 1] + 0 : 0
                    }
                }
            }
        }
    }
}

/// `p[i] = p[i] + 0` for `count` floats: what adding a row of +0 leaves (a -0 becomes +0),
/// the odd rows of `col2imSubsample(adding: true)`.
@inline(__always)
private func simdAddZero(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 16 <= count { p.store(p.simd16(i) + SIMD16<Float>(), at: i); i += 16 }
    while i < count { p[i] = p[i] + 0; i += 1 }
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
/// Rows whose output row is a whole number of 16-float vectors go 16 output columns (32
/// pixels) at a time, output rows of 8 and 4 columns (layer3 and layer4's first convolutions)
/// a whole row at a time.
///
/// Row iy = 2q is reached by tap row ky = 1 from output row q; row 2q + 1 by ky = 0 from
/// output row q + 1 (when there is one) and ky = 2 from q. Likewise column 2m by kx = 1 from
/// output column m, column 2m + 1 by kx = 0 from m + 1 and kx = 2 from m.
///
/// With `overwrite`, `dx` is not read: every pixel's sum starts from +0, as if `dx` had been
/// zeroed (the same numbers, without the zeroing pass). Every pixel of the images is written.
func col2imStride2(_ g: ConvGeometry, col: UnsafePointer<Float>, images: Range<Int>,
                   dx: UnsafeMutablePointer<Float>, overwrite: Bool = false) {
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
                let b = second.map { (source($0, 0), source($0, 1), source($0, 2)) }
                if ow % 16 == 0 {
                    col2imStride2Row(dst, ow: ow, a: (a0, a1, a2), b: b, overwrite: overwrite)
                    continue
                }
                if ow == 8 {
                    col2imStride2Row8(dst, a: (a0, a1, a2), b: b, overwrite: overwrite)
                    continue
                }
                if ow == 4 {
                    col2imStride2Row4(dst, a: (a0, a1, a2), b: b, overwrite: overwrite)
                    continue
                }
                if let (b0, b1, b2) = b {
                    for m in 0 ..< ow {
                        var even = overwrite ? 0 : dst[2 * m], odd = overwrite ? 0 : dst[2 * m + 1]
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
                        var even = overwrite ? 0 : dst[2 * m], odd = overwrite ? 0 : dst[2 * m + 1]
                        even += a1[m]
                        if m + 1 < ow { odd += a0[m + 1] }
                        odd += a2[m]
                        dst[2 * m] = even
                        dst[2 * m + 1] = odd
                    }
                }
            }
        }
    }
}

/// One row of `col2imStride2` whose `ow` output columns are whole vectors: 16 columns at a
/// time, the even and odd pixels in two vectors (split from, and interleaved back into, 32
/// pixels of `dst`), each add the scalar loop's in its order. Tap column kx = 0 reads output
/// column m + 1: the vector from m + 1, whose last lane takes the next vector's first column,
/// or adds nothing past the row's end (a blend, so no value changes, not even a zero's sign).
@inline(__always)
private func col2imStride2Row(_ dst: UnsafeMutablePointer<Float>, ow: Int,
                              a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                              b: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)?,
                              overwrite: Bool) {
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    var m = 0
    while m < ow {
        let last = m + 16 == ow
        // Output columns m + 1 ... m + 16 of a row; the 16th only when it exists.
        @inline(__always) func next(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
            var v = SIMD16<Float>()
            let here = p.simd16(m)
            for l in 0 ..< 15 { v[l] = here[l + 1] }
            if !last { v[15] = p[m + 16] }
            return v
        }
        let inRow = last ? lanes .< SIMD16<Int32>(repeating: 15) : lanes .< SIMD16<Int32>(repeating: 16)
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        if !overwrite {
            let pixels = SIMD32<Float>(lowHalf: dst.simd16(2 * m), highHalf: dst.simd16(2 * m + 16))
            even = pixels.evenHalf
            odd = pixels.oddHalf
        }
        even += a.1.simd16(m)
        odd = odd.replacing(with: odd + next(a.0), where: inRow)
        odd += a.2.simd16(m)
        if let b {
            even += b.1.simd16(m)
            odd = odd.replacing(with: odd + next(b.0), where: inRow)
            odd += b.2.simd16(m)
        }
        var pixels = SIMD32<Float>()
        pixels.evenHalf = even
        pixels.oddHalf = odd
        dst.store(pixels.lowHalf, at: 2 * m)
        dst.store(pixels.highHalf, at: 2 * m + 16)
        m += 16
    }
}

/// `col2imStride2Row` for an output row of 8 columns: the 16 pixels of `dst` as even and odd
/// halves of one vector.
@inline(__always)
private func col2imStride2Row8(_ dst: UnsafeMutablePointer<Float>,
                               a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                               b: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)?,
                               overwrite: Bool) {
    let inRow = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .< SIMD8<Int32>(repeating: 7)
    // Output columns 1 ... 7 of a row, and nothing past its end.
    @inline(__always) func next(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        var v = SIMD8<Float>()
        let here = p.simd8()
        for l in 0 ..< 7 { v[l] = here[l + 1] }
        return v
    }
    var even = SIMD8<Float>(), odd = SIMD8<Float>()
    if !overwrite {
        let pixels = dst.simd16()
        even = pixels.evenHalf
        odd = pixels.oddHalf
    }
    even += a.1.simd8()
    odd = odd.replacing(with: odd + next(a.0), where: inRow)
    odd += a.2.simd8()
    if let b {
        even += b.1.simd8()
        odd = odd.replacing(with: odd + next(b.0), where: inRow)
        odd += b.2.simd8()
    }
    var pixels = SIMD16<Float>()
    pixels.evenHalf = even
    pixels.oddHalf = odd
    dst.store(pixels)
}

/// `col2imStride2Row` for an output row of 4 columns: the 8 pixels of `dst` as even and odd
/// halves of one vector.
@inline(__always)
private func col2imStride2Row4(_ dst: UnsafeMutablePointer<Float>,
                               a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                               b: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)?,
                               overwrite: Bool) {
    let inRow = SIMD4<Int32>(0, 1, 2, 3) .< SIMD4<Int32>(repeating: 3)
    @inline(__always) func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
    // Output columns 1 ... 3 of a row, and nothing past its end.
    @inline(__always) func next(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        SIMD4<Float>(p[1], p[2], p[3], 0)
    }
    var even = SIMD4<Float>(), odd = SIMD4<Float>()
    if !overwrite {
        let pixels = UnsafePointer(dst).simd8()
        even = pixels.evenHalf
        odd = pixels.oddHalf
    }
    even += load4(a.1)
    odd = odd.replacing(with: odd + next(a.0), where: inRow)
    odd += load4(a.2)
    if let b {
        even += load4(b.1)
        odd = odd.replacing(with: odd + next(b.0), where: inRow)
        odd += load4(b.2)
    }
    var pixels = SIMD8<Float>()
    pixels.evenHalf = even
    pixels.oddHalf = odd
    dst.store(pixels)
}

/// `ox · stride` may reach this value for tap `kx` to stay inside the image (negative when
/// the tap never does: a 3x3 kernel's right column on a 1-pixel-wide input). Computed
/// separately because Swift's `/` truncates toward zero, not down.
@inline(__always)
private func lastValidTap(_ width: Int, _ padding: Int, _ kx: Int) -> Int {
    width - 1 + padding - kx
}
