import Core

/// A direct 3x3, stride-1, padding-1 convolution for images whose width is a multiple of
/// 16 (the 32x32 and 16x16 stages of a CIFAR ResNet, which carry half of its work).
///
/// im2col + GEMM pays for unrolling every input pixel nine times and packing it again;
/// with only 16-32 output channels those copies cost about as much as the arithmetic. Here
/// the input is copied once into zero-padded planes and the kernel loads the shifted rows
/// straight from them: a register tile of 8 output channels x 32 pixels (16 `SIMD16`
/// accumulators) is updated by 2 input vectors and 8 broadcast weights per tap, or, where
/// the vector unit has fewer or shorter registers (`RegisterTile.narrow`), a tile of 4
/// channels x 16 pixels by 1 input vector and 4 weights.
/// Same results as `Convolution.forwardReference` within float rounding.
enum Conv3x3Direct {
    /// Copies `channels` planes of `height x width` into planes of `(height+2) x (width+2)`
    /// with a zero border; with `affine`, each value as the batch norm it stands for would
    /// have written it (`ChannelAffine`), so the normalised input is never stored. With
    /// `bordersAreZero`, `dst` already holds the zero borders (an earlier image padded into
    /// the same buffer: the kernels only read it) and only the interior is written.
    static func pad(_ src: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                    into dst: UnsafeMutablePointer<Float>, affine: ChannelAffine? = nil, bordersAreZero: Bool = false) {
        let pw = width + 2, plane = (height + 2) * pw
        for c in 0 ..< channels {
            let s = src + c * height * width, d = dst + c * plane
            if !bordersAreZero { simdZero(d, pw) }
            for y in 0 ..< height {
                let row = d + (y + 1) * pw
                if !bordersAreZero { row[0] = 0 }
                if let affine {
                    // Core's inlinable loop, not `affine.apply`: this runs once per row.
                    simdAffine(s + y * width, row + 1, width, a: affine.scale[c], b: affine.shift[c], relu: affine.relu)
                } else {
                    simdCopy(s + y * width, row + 1, width)
                }
                if !bordersAreZero { row[width + 1] = 0 }
            }
            if !bordersAreZero { simdZero(d + (height + 1) * pw, pw) }
        }
    }

    /// Rearranges weights `[out, in, 3, 3]` into blocks of 8 output channels,
    /// `[out/8][in][9][8]`, so the 8 weights a tap broadcasts are adjacent. With `flipped`,
    /// builds the weights of the backward-data convolution instead: output and input
    /// swapped and the taps rotated by 180°, `w'[ci, co, a, b] = w[co, ci, 2-a, 2-b]`.
    static func packWeights(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                            into packed: UnsafeMutablePointer<Float>) {
        let (o, i) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        for block in 0 ..< o / 8 {
            for ci in 0 ..< i {
                for tap in 0 ..< 9 {
                    for r in 0 ..< 8 {
                        let co = block * 8 + r
                        let value = flipped ? w[(ci * inChannels + co) * 9 + (8 - tap)] : w[(co * inChannels + ci) * 9 + tap]
                        packed[((block * i + ci) * 9 + tap) * 8 + r] = value
                    }
                }
            }
        }
    }

    /// One image: `out[o, y, x] = Σ_{i, ky, kx} packed(o, i, ky, kx) · padded[i, y + ky, x + kx]`.
    /// With `next`, the `count` floats there (the next image's input) are prefetched into the
    /// cache a slice per row of tiles, so its padding copy does not wait on memory.
    /// Shapes: `padded` `[inChannels, height+2, width+2]`, `packed` as `packWeights`,
    /// `out` `[outChannels, height, width]`; `outChannels % 8 == 0`.
    static func convolve(padded: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int,
                         packed: UnsafePointer<Float>, outChannels: Int, out: UnsafeMutablePointer<Float>,
                         prefetching next: UnsafePointer<Float>? = nil, count: Int = 0) {
        let pw = width + 2, plane = (height + 2) * pw, pixels = height * width
        // The next image in equal slices of whole lines, one slice per row of tiles.
        let rowsOfTiles = outChannels / 8 * (RegisterTile.current == .narrow ? 2 * height : (width >= 32 ? height : height / 2))
        let slice = ((count + rowsOfTiles - 1) / rowsOfTiles + 15) / 16 * 16
        var prefetched = 0
        func prefetchSlice() {
            guard let next, prefetched < count else { return }
            prefetchToCache(next + prefetched, count: min(slice, count - prefetched))
            prefetched += slice
        }
        // The two 16-pixel vectors of a tile: one row of 32, or two rows of 16.
        let rowsPerTile = width >= 32 ? 1 : 2
        let secondOffset = width >= 32 ? 16 : pw       // in the padded plane
        let secondOut = width >= 32 ? 16 : width        // in the output plane
        for block in 0 ..< outChannels / 8 {
            let wBlock = packed + block * inChannels * 72
            let outBlock = out + block * 8 * pixels
            if RegisterTile.current == .narrow {
                // Two halves of the block's 8 channels, 16 pixels of one row at a time.
                for half in 0 ..< 2 {
                    for y in 0 ..< height {
                        prefetchSlice()
                        for x in stride(from: 0, to: width, by: 16) {
                            narrowTile(padded: padded + y * pw + x, plane: plane, pw: pw, inChannels: inChannels,
                                       weights: wBlock + 4 * half, out: outBlock + (4 * half) * pixels + y * width + x,
                                       outPlane: pixels)
                        }
                    }
                }
                continue
            }
            var y = 0
            while y < height {
                prefetchSlice()
                var x = 0
                while x < width {
                    tile(padded: padded + y * pw + x, plane: plane, pw: pw, second: secondOffset,
                         inChannels: inChannels, weights: wBlock,
                         out: outBlock + y * width + x, second: secondOut, outPlane: pixels)
                    x += rowsPerTile == 1 ? 32 : 16
                }
                y += rowsPerTile
            }
        }
    }

    /// The narrow register tile (`RegisterTile.narrow`): 4 output channels x 16 pixels of one
    /// row, 4 `SIMD16` accumulators (8 AVX2 registers). `weights` points at the first of the
    /// 4 channels in the 8-channel packing, so a tap's 4 weights are `w[0..<4]` and the next
    /// tap's are 8 floats on.
    @inline(__always)
    private static func narrowTile(padded: UnsafePointer<Float>, plane: Int, pw: Int, inChannels: Int,
                                   weights: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, outPlane: Int) {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var w = weights
        var src = padded
        for _ in 0 ..< inChannels {
            for ky in 0 ..< 3 {
                for kx in 0 ..< 3 {
                    let u = (src + ky * pw + kx).simd16()
                    a0 = a0.addingProduct(SIMD16<Float>(repeating: w[0]), u)
                    a1 = a1.addingProduct(SIMD16<Float>(repeating: w[1]), u)
                    a2 = a2.addingProduct(SIMD16<Float>(repeating: w[2]), u)
                    a3 = a3.addingProduct(SIMD16<Float>(repeating: w[3]), u)
                    w += 8
                }
            }
            src += plane
        }
        out.store(a0); (out + outPlane).store(a1); (out + 2 * outPlane).store(a2); (out + 3 * outPlane).store(a3)
    }

    /// The register tile: 8 output channels x 2 vectors of 16 pixels.
    @inline(__always)
    private static func tile(padded: UnsafePointer<Float>, plane: Int, pw: Int, second: Int,
                             inChannels: Int, weights: UnsafePointer<Float>,
                             out: UnsafeMutablePointer<Float>, second secondOut: Int, outPlane: Int) {
        var a0 = SIMD16<Float>(), b0 = SIMD16<Float>(), a1 = SIMD16<Float>(), b1 = SIMD16<Float>()
        var a2 = SIMD16<Float>(), b2 = SIMD16<Float>(), a3 = SIMD16<Float>(), b3 = SIMD16<Float>()
        var a4 = SIMD16<Float>(), b4 = SIMD16<Float>(), a5 = SIMD16<Float>(), b5 = SIMD16<Float>()
        var a6 = SIMD16<Float>(), b6 = SIMD16<Float>(), a7 = SIMD16<Float>(), b7 = SIMD16<Float>()
        var w = weights
        var src = padded
        for _ in 0 ..< inChannels {
            for ky in 0 ..< 3 {
                for kx in 0 ..< 3 {
                    let p = src + ky * pw + kx
                    let u = p.simd16(), v = p.simd16(second)
                    var s = SIMD16<Float>(repeating: w[0]); a0 = a0.addingProduct(s, u); b0 = b0.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[1]); a1 = a1.addingProduct(s, u); b1 = b1.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[2]); a2 = a2.addingProduct(s, u); b2 = b2.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[3]); a3 = a3.addingProduct(s, u); b3 = b3.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[4]); a4 = a4.addingProduct(s, u); b4 = b4.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[5]); a5 = a5.addingProduct(s, u); b5 = b5.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[6]); a6 = a6.addingProduct(s, u); b6 = b6.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: w[7]); a7 = a7.addingProduct(s, u); b7 = b7.addingProduct(s, v)
                    w += 8
                }
            }
            src += plane
        }
        out.store(a0); out.store(b0, at: secondOut)
        var o = out + outPlane
        o.store(a1); o.store(b1, at: secondOut); o += outPlane
        o.store(a2); o.store(b2, at: secondOut); o += outPlane
        o.store(a3); o.store(b3, at: secondOut); o += outPlane
        o.store(a4); o.store(b4, at: secondOut); o += outPlane
        o.store(a5); o.store(b5, at: secondOut); o += outPlane
        o.store(a6); o.store(b6, at: secondOut); o += outPlane
        o.store(a7); o.store(b7, at: secondOut)
    }
}
