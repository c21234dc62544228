import Core

/// Convolutions with the produced channels in the vector lanes: forward of the small
/// images (8x8, 4x4) and of the stride-2 3x3 layers, backward-data of the small images.
///
/// Folding small images into 64-wide composites (Conv3x3Direct+Folded.swift) keeps the
/// pixel-lane kernel busy but spends a fifth of its lanes on separator columns, and a
/// strided convolution cannot read shifted rows at all, so it went through im2col + GEMM,
/// which copies every input pixel nine times and packs it again. Here a register tile holds
/// 8 output pixels x 32 output channels (16 `SIMD16` accumulators); for every (input
/// channel, tap) it loads the 32 packed weights as two vectors and broadcasts the 8 input
/// pixels that tap reads, wherever the stride puts them: 10 loads per 16 multiply-adds
/// (with `RegisterTile.narrow`, 6 pixels x 16 channels: 7 loads per 6 multiply-adds),
/// any image size, no separators, no copies beyond one zero-padded plane. It is the GEMM
/// micro-kernel's shape with the im2col matrix read in place.
/// Same results as `Convolution.forwardReference` / `Convolution.backwardDataReference` within float
/// rounding.
extension Conv3x3Direct {
    /// Forward: same contract as `Convolution.forwardReference`; requires `ConvKernel.supports(.channelLanes, g, .forward)`.
    /// With `affine`, `x` is read as the batch norm it stands for would have written it
    /// (`ChannelAffine`), applied as each image is copied into its padded planes.
    static func forwardChannelLanes(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                    y: UnsafeMutablePointer<Float>, normalizing affine: ChannelAffine? = nil) {
        Scratch.withBuffer(count: g.weightCount) { packed in
            packWeightsChannelLanes(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false,
                                    into: packed)
            convolveChannelLanes(g, source: x, sourceChannels: g.inChannels, packed: packed,
                                 producedChannels: g.outChannels, destination: y, affine: affine)
        }
    }

    /// Backward-data: the same convolution of the output gradient with the flipped weights.
    /// Same contract as `Convolution.backwardDataReference`; requires `ConvKernel.supports(.channelLanes, g, .backwardData)`.
    static func backwardDataChannelLanes(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                         dx: UnsafeMutablePointer<Float>) {
        Scratch.withBuffer(count: g.weightCount) { packed in
            packWeightsChannelLanes(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: true,
                                    into: packed)
            convolveChannelLanes(g, source: dy, sourceChannels: g.outChannels, packed: packed,
                                 producedChannels: g.inChannels, destination: dx)
        }
    }

    /// Rearranges weights `[out, in, 3, 3]` into `[in][9][out]`, so the output channels of a
    /// tap are adjacent. With `flipped`, the weights of the backward-data convolution: in
    /// and out swapped and the taps rotated by 180°, `w'[ci, co, a, b] = w[co, ci, 2-a, 2-b]`.
    static func packWeightsChannelLanes(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                                        into packed: UnsafeMutablePointer<Float>) {
        let (o, i) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        for c in 0 ..< i {
            for tap in 0 ..< 9 {
                for r in 0 ..< o {
                    packed[(c * 9 + tap) * o + r] = flipped ? w[(c * inChannels + r) * 9 + (8 - tap)]
                                                            : w[(r * inChannels + c) * 9 + tap]
                }
            }
        }
    }

    /// `destination[n, o, y, x] = Σ_{c, ky, kx} packed[c, ky·3+kx, o] · source[n, c, y·s+ky-1, x·s+kx-1]`
    /// over the batch (s: `g`'s stride), images split over the cores.
    /// Shapes: `source` `[batch, sourceChannels, g.height, g.width]`, `packed` as
    /// `packWeightsChannelLanes`, `destination` `[batch, producedChannels, g.outHeight, g.outWidth]`;
    /// `producedChannels % 32 == 0`, `g` a 3x3 convolution with padding 1. `affine`, if any, is
    /// applied to `source` as it is padded.
    static func convolveChannelLanes(_ g: ConvGeometry, source: UnsafePointer<Float>, sourceChannels: Int,
                                     packed: UnsafePointer<Float>, producedChannels: Int,
                                     destination: UnsafeMutablePointer<Float>, affine: ChannelAffine? = nil) {
        let (h, w) = (g.height, g.width)
        let plane = (h + 2) * (w + 2), paddedImage = sourceChannels * plane
        let pixels = g.outPixels
        // Images per block: their padded planes within ~256 KiB, so each 32-channel slice of
        // the weights is read once per block rather than once per image. Pieces of whole blocks.
        let wholeBlock = max(1, min(g.batch, (64 * 1024) / paddedImage))
        Parallel.forPieces(g.batch, multiple: wholeBlock) { mine in
            let block = min(mine.count, wholeBlock)
            Scratch.withBuffer(count: block * paddedImage) { padded in
                var start = mine.lowerBound
                while start < mine.upperBound {
                    let group = start ..< min(mine.upperBound, start + block)
                    for (j, n) in group.enumerated() {
                        // Slot j's borders were written by the first block, which used every slot.
                        pad(source + n * sourceChannels * h * w, channels: sourceChannels, height: h, width: w,
                            into: padded + j * paddedImage, affine: affine, bordersAreZero: start != mine.lowerBound)
                    }
                    let narrow = RegisterTile.current == .narrow
                    let (tileChannels, tilePixels) = narrow ? (16, 6) : (32, 8)
                    for cb in stride(from: 0, to: producedChannels, by: tileChannels) {
                        for (j, n) in group.enumerated() {
                            let out = destination + (n * producedChannels + cb) * pixels
                            var p = 0
                            while p < pixels {
                                let count = min(tilePixels, pixels - p)
                                if narrow {
                                    narrowChannelLanesTile(g, padded: padded + j * paddedImage, plane: plane,
                                                           channels: sourceChannels, weights: packed + cb,
                                                           producedChannels: producedChannels,
                                                           firstPixel: p, count: count, out: out)
                                } else {
                                    channelLanesTile(g, padded: padded + j * paddedImage, plane: plane,
                                                     channels: sourceChannels, weights: packed + cb,
                                                     producedChannels: producedChannels,
                                                     firstPixel: p, count: count, out: out)
                                }
                                p += tilePixels
                            }
                        }
                    }
                    start = group.upperBound
                }
            }
        }
    }

    /// Offset of the top-left tap of output pixel `p` in an input plane padded by one pixel.
    @inline(__always)
    static func laneTapOrigin(_ g: ConvGeometry, pixel p: Int) -> Int {
        (p / g.outWidth) * g.stride * (g.width + 2) + (p % g.outWidth) * g.stride
    }

    /// The narrow register tile (`RegisterTile.narrow`): `count` (≤ 6) consecutive output
    /// pixels from `firstPixel` x 16 channels, 6 `SIMD16` accumulators (12 AVX2 registers,
    /// the classic 6 x 16 AVX2 GEMM tile). Otherwise as `channelLanesTile`.
    @inline(__always)
    private static func narrowChannelLanesTile(_ g: ConvGeometry, padded: UnsafePointer<Float>, plane: Int,
                                               channels: Int, weights: UnsafePointer<Float>, producedChannels: Int,
                                               firstPixel: Int, count: Int, out: UnsafeMutablePointer<Float>) {
        let pw = g.width + 2, pixels = g.outPixels
        @inline(__always) func offset(_ i: Int) -> Int { laneTapOrigin(g, pixel: firstPixel + min(i, count - 1)) }
        let o0 = offset(0), o1 = offset(1), o2 = offset(2), o3 = offset(3), o4 = offset(4), o5 = offset(5)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
        var a3 = SIMD16<Float>(), a4 = SIMD16<Float>(), a5 = SIMD16<Float>()
        var src = padded, wts = weights
        for _ in 0 ..< channels {
            for ky in 0 ..< 3 {
                for kx in 0 ..< 3 {
                    let r = src + ky * pw + kx
                    let u = wts.simd16()
                    a0 = a0.addingProduct(SIMD16<Float>(repeating: r[o0]), u)
                    a1 = a1.addingProduct(SIMD16<Float>(repeating: r[o1]), u)
                    a2 = a2.addingProduct(SIMD16<Float>(repeating: r[o2]), u)
                    a3 = a3.addingProduct(SIMD16<Float>(repeating: r[o3]), u)
                    a4 = a4.addingProduct(SIMD16<Float>(repeating: r[o4]), u)
                    a5 = a5.addingProduct(SIMD16<Float>(repeating: r[o5]), u)
                    wts += producedChannels
                }
            }
            src += plane
        }
        @inline(__always) func store(_ i: Int, _ lanes: SIMD16<Float>) {
            guard i < count else { return }
            let o = out + firstPixel + i
            for l in 0 ..< 16 { o[l * pixels] = lanes[l] }
        }
        store(0, a0); store(1, a1); store(2, a2); store(3, a3); store(4, a4); store(5, a5)
    }

    /// The register tile: `count` (≤ 8) consecutive output pixels from `firstPixel` x 32
    /// channels, written to `out[channel, pixel]` (channel stride `g.outPixels`). `weights`
    /// points at the tile's first channel in the `[in][9][produced]` packing.
    @inline(__always)
    private static func channelLanesTile(_ g: ConvGeometry, padded: UnsafePointer<Float>, plane: Int, channels: Int,
                                         weights: UnsafePointer<Float>, producedChannels: Int,
                                         firstPixel: Int, count: Int, out: UnsafeMutablePointer<Float>) {
        let pw = g.width + 2, pixels = g.outPixels
        // A short last tile repeats its last pixel (computed, never stored).
        @inline(__always) func offset(_ i: Int) -> Int { laneTapOrigin(g, pixel: firstPixel + min(i, count - 1)) }
        let o0 = offset(0), o1 = offset(1), o2 = offset(2), o3 = offset(3)
        let o4 = offset(4), o5 = offset(5), o6 = offset(6), o7 = offset(7)
        var a0 = SIMD16<Float>(), b0 = SIMD16<Float>(), a1 = SIMD16<Float>(), b1 = SIMD16<Float>()
        var a2 = SIMD16<Float>(), b2 = SIMD16<Float>(), a3 = SIMD16<Float>(), b3 = SIMD16<Float>()
        var a4 = SIMD16<Float>(), b4 = SIMD16<Float>(), a5 = SIMD16<Float>(), b5 = SIMD16<Float>()
        var a6 = SIMD16<Float>(), b6 = SIMD16<Float>(), a7 = SIMD16<Float>(), b7 = SIMD16<Float>()
        var src = padded, wts = weights
        for _ in 0 ..< channels {
            for ky in 0 ..< 3 {
                for kx in 0 ..< 3 {
                    let r = src + ky * pw + kx
                    let u = wts.simd16(), v = wts.simd16(16)
                    var s = SIMD16<Float>(repeating: r[o0]); a0 = a0.addingProduct(s, u); b0 = b0.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o1]); a1 = a1.addingProduct(s, u); b1 = b1.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o2]); a2 = a2.addingProduct(s, u); b2 = b2.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o3]); a3 = a3.addingProduct(s, u); b3 = b3.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o4]); a4 = a4.addingProduct(s, u); b4 = b4.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o5]); a5 = a5.addingProduct(s, u); b5 = b5.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o6]); a6 = a6.addingProduct(s, u); b6 = b6.addingProduct(s, v)
                    s = SIMD16<Float>(repeating: r[o7]); a7 = a7.addingProduct(s, u); b7 = b7.addingProduct(s, v)
                    wts += producedChannels
                }
            }
            src += plane
        }
        // Channels are in the lanes and pixels are the output's fast axis: scatter the lanes.
        @inline(__always) func store(_ i: Int, _ lower: SIMD16<Float>, _ upper: SIMD16<Float>) {
            guard i < count else { return }
            let o = out + firstPixel + i
            for l in 0 ..< 16 {
                o[l * pixels] = lower[l]
                o[(l + 16) * pixels] = upper[l]
            }
        }
        store(0, a0, b0); store(1, a1, b1); store(2, a2, b2); store(3, a3, b3)
        store(4, a4, b4); store(5, a5, b5); store(6, a6, b6); store(7, a7, b7)
    }
}
