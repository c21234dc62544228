import Core

/// The weight gradient of a 3x3 convolution on images up to 16 wide (16x16, 8x8, 4x4: the
/// deeper stages of a CIFAR ResNet) or with stride 2, with the output channels in the
/// vector lanes.
///
/// `dw[co, ci, ky, kx] = Σ_{n, y, x} dy[n, co, y, x] · xpad[n, ci, y·s + ky, x·s + kx]` is a
/// product whose long dimension is the sum over pixels. The pixel-lane kernel
/// (`accumulateWeightGradient(padded:…)`) puts 16 pixels in the lanes and must reduce 18
/// vectors across their lanes for every (output pair, input) channel: on a 4x4 image
/// (folded into 64x4 composites) that costs about half as much again as the multiply-adds,
/// and it cannot read the rows of a stride-2 layer at all (those went through im2col).
/// Here the output gradient is transposed to pixel-major `[pixel, co]` and a register tile
/// holds 32 output channels (two `SIMD16`) x the 9 taps of one input channel; each pixel
/// adds `dyᵀ[p, co₀…co₃₁] · xpad[ci, p + tap]` (two vector loads, nine broadcasts, 18
/// multiply-adds) wherever the stride puts it, so no lane is ever reduced and no pixel is a
/// folding separator.
/// Same result as `Convolution.backwardWeightsReference` within float rounding.
extension Conv3x3Direct {
    /// Adds the weight gradient of `images` to `dw` (`[outChannels, inChannels, 3, 3]`) on
    /// the calling thread. Shapes: `x` is `g.inputShape`, `dy` is `g.outputShape`. `affine`, if
    /// any, is applied to `x` as it is padded (`ChannelAffine`). With `outputs` (a start and
    /// count in 32s), only those output channels' rows of `dw` are computed and touched; each
    /// element's sum is the one the whole pass adds.
    static func accumulateWeightGradientChannelLanes(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                                     images: Range<Int>, dw: UnsafeMutablePointer<Float>,
                                                     outputs: Range<Int>? = nil, normalizing affine: ChannelAffine? = nil) {
        let (h, w, co, ci) = (g.height, g.width, g.outChannels, g.inChannels)
        let outputs = outputs ?? 0 ..< co
        contract(outputs.lowerBound % 32 == 0 && outputs.count % 32 == 0 && outputs.upperBound <= co,
                 "Conv3x3Direct: the channel lanes' output channels come in 32s")
        let plane = (h + 2) * (w + 2), pixels = g.outPixels
        let paddedImage = ci * plane, dyImage = co * pixels
        // Images per block: at least 256 pixels, so the tile's 18 accumulators are added to
        // `dwT` (which outgrows the L2 cache at width 64) once per 256 pixel steps; more
        // when their padded input and transposed gradient still fit ~384 KiB of L2. A tile
        // itself reads only one input plane and a 32-channel slice of the gradient.
        let enough = (256 + pixels - 1) / pixels
        let block = max(1, min(images.count, max(enough, (96 * 1024) / (paddedImage + dyImage))))
        Scratch.withBuffer(count: block * (paddedImage + dyImage) + g.weightCount) { scratch in
            let padded = scratch, dyT = scratch + block * paddedImage, dwT = dyT + block * dyImage
            // dwT is `[ci, tap, co]`: the tile's 32 lanes are adjacent.
            dwT.update(repeating: 0, count: g.weightCount)
            var start = images.lowerBound
            while start < images.upperBound {
                let group = start ..< min(images.upperBound, start + block)
                for (j, n) in group.enumerated() {
                    // Slot j's borders were written by the first block, which used every slot.
                    pad(x + n * g.inputImageSize, channels: ci, height: h, width: w, into: padded + j * paddedImage,
                        affine: affine, bordersAreZero: start != images.lowerBound)
                    transposeToPixelMajor(dy + n * g.outputImageSize, channels: co, pixels: pixels,
                                          into: dyT + j * dyImage)
                }
                let narrow = RegisterTile.current == .narrow
                for cb in stride(from: outputs.lowerBound, to: outputs.upperBound, by: narrow ? 8 : 32) {
                    for i in 0 ..< ci {
                        if narrow {
                            narrowChannelLanesTile(g, padded: padded + i * plane, images: group.count,
                                                   paddedImage: paddedImage, dyT: dyT + cb, dwT: dwT + i * 9 * co + cb)
                        } else {
                            channelLanesTile(g, padded: padded + i * plane, images: group.count, paddedImage: paddedImage,
                                             dyT: dyT + cb, dwT: dwT + i * 9 * co + cb)
                        }
                    }
                }
                start = group.upperBound
            }
            for c in outputs {
                for i in 0 ..< ci {
                    for tap in 0 ..< 9 { dw[(c * ci + i) * 9 + tap] += dwT[(i * 9 + tap) * co + c] }
                }
            }
        }
    }

    /// The narrow register tile (`RegisterTile.narrow`): 8 output channels (one `SIMD8`) x 9
    /// taps, 9 accumulators (9 AVX2 registers) instead of the wide tile's 18 `SIMD16`.
    /// Otherwise as `channelLanesTile`.
    @inline(__always)
    private static func narrowChannelLanesTile(_ g: ConvGeometry, padded: UnsafePointer<Float>, images: Int,
                                               paddedImage: Int, dyT: UnsafePointer<Float>,
                                               dwT: UnsafeMutablePointer<Float>) {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
        var a3 = SIMD8<Float>(), a4 = SIMD8<Float>(), a5 = SIMD8<Float>()
        var a6 = SIMD8<Float>(), a7 = SIMD8<Float>(), a8 = SIMD8<Float>()
        let pw = g.width + 2, s = g.stride, outChannels = g.outChannels
        var d = dyT
        for j in 0 ..< images {
            let src = padded + j * paddedImage
            for y in 0 ..< g.outHeight {
                let r0 = src + y * s * pw, r1 = r0 + pw, r2 = r1 + pw
                for x in 0 ..< g.outWidth {
                    let u = d.simd8(), o = x * s
                    a0 = a0.addingProduct(SIMD8<Float>(repeating: r0[o]), u)
                    a1 = a1.addingProduct(SIMD8<Float>(repeating: r0[o + 1]), u)
                    a2 = a2.addingProduct(SIMD8<Float>(repeating: r0[o + 2]), u)
                    a3 = a3.addingProduct(SIMD8<Float>(repeating: r1[o]), u)
                    a4 = a4.addingProduct(SIMD8<Float>(repeating: r1[o + 1]), u)
                    a5 = a5.addingProduct(SIMD8<Float>(repeating: r1[o + 2]), u)
                    a6 = a6.addingProduct(SIMD8<Float>(repeating: r2[o]), u)
                    a7 = a7.addingProduct(SIMD8<Float>(repeating: r2[o + 1]), u)
                    a8 = a8.addingProduct(SIMD8<Float>(repeating: r2[o + 2]), u)
                    d += outChannels
                }
            }
        }
        @inline(__always) func add(_ tap: Int, _ lanes: SIMD8<Float>) {
            let row = dwT + tap * outChannels
            row.store(row.simd8() + lanes)
        }
        add(0, a0); add(1, a1); add(2, a2); add(3, a3); add(4, a4)
        add(5, a5); add(6, a6); add(7, a7); add(8, a8)
    }

    /// The register tile: 32 output channels x 9 taps of one input channel, summed over
    /// every output pixel of `images` images and added to `dwT[tap, 0 ..< 32]` (row stride
    /// `g.outChannels`). `padded` is this input channel's plane of the first image.
    @inline(__always)
    private static func channelLanesTile(_ g: ConvGeometry, padded: UnsafePointer<Float>, images: Int, paddedImage: Int,
                                         dyT: UnsafePointer<Float>, dwT: UnsafeMutablePointer<Float>) {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
        var a3 = SIMD16<Float>(), a4 = SIMD16<Float>(), a5 = SIMD16<Float>()
        var a6 = SIMD16<Float>(), a7 = SIMD16<Float>(), a8 = SIMD16<Float>()
        var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>()
        var b3 = SIMD16<Float>(), b4 = SIMD16<Float>(), b5 = SIMD16<Float>()
        var b6 = SIMD16<Float>(), b7 = SIMD16<Float>(), b8 = SIMD16<Float>()
        let pw = g.width + 2, s = g.stride, outChannels = g.outChannels
        var d = dyT
        for j in 0 ..< images {
            let src = padded + j * paddedImage
            for y in 0 ..< g.outHeight {
                // Top-left tap of output pixel (y, 0) in the padded plane (laneTapOrigin).
                let r0 = src + y * s * pw, r1 = r0 + pw, r2 = r1 + pw
                for x in 0 ..< g.outWidth {
                    let u = d.simd16(), v = d.simd16(16), o = x * s
                    var t = SIMD16<Float>(repeating: r0[o]); a0 = a0.addingProduct(t, u); b0 = b0.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r0[o + 1]); a1 = a1.addingProduct(t, u); b1 = b1.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r0[o + 2]); a2 = a2.addingProduct(t, u); b2 = b2.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r1[o]); a3 = a3.addingProduct(t, u); b3 = b3.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r1[o + 1]); a4 = a4.addingProduct(t, u); b4 = b4.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r1[o + 2]); a5 = a5.addingProduct(t, u); b5 = b5.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r2[o]); a6 = a6.addingProduct(t, u); b6 = b6.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r2[o + 1]); a7 = a7.addingProduct(t, u); b7 = b7.addingProduct(t, v)
                    t = SIMD16<Float>(repeating: r2[o + 2]); a8 = a8.addingProduct(t, u); b8 = b8.addingProduct(t, v)
                    d += outChannels
                }
            }
        }
        @inline(__always) func add(_ tap: Int, _ lower: SIMD16<Float>, _ upper: SIMD16<Float>) {
            let row = dwT + tap * outChannels
            row.store(row.simd16() + lower)
            row.store(row.simd16(16) + upper, at: 16)
        }
        add(0, a0, b0); add(1, a1, b1); add(2, a2, b2)
        add(3, a3, b3); add(4, a4, b4); add(5, a5, b5)
        add(6, a6, b6); add(7, a7, b7); add(8, a8, b8)
    }

    /// `d[p · channels + c] = s[c · pixels + p]`: one image's output gradient from channel-major
    /// to pixel-major, in 16 x 16 blocks of vector shuffles where both sides come in 16s.
    private static func transposeToPixelMajor(_ s: UnsafePointer<Float>, channels: Int, pixels: Int,
                                              into d: UnsafeMutablePointer<Float>) {
        guard channels % 16 == 0 && pixels % 16 == 0 else {
            for c in 0 ..< channels {
                for p in 0 ..< pixels { d[p * channels + c] = s[c * pixels + p] }
            }
            return
        }
        for c in stride(from: 0, to: channels, by: 16) {
            for p in stride(from: 0, to: pixels, by: 16) {
                transpose16x16(s + c * pixels + p, sourceStride: pixels, into: d + p * channels + c,
                               destinationStride: channels)
            }
        }
    }
}
