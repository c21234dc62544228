import Core

extension Conv3x3Direct {
    /// Forward over a batch, images split over the cores. Same contract as
    /// `Convolution.forwardReference`; requires `ConvKernel.supports(.direct or .folded, g, .forward)`,
    /// and `.direct` for an `affine` to apply to `x` as it is read.
    static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                        normalizing affine: ChannelAffine? = nil) {
        Scratch.withBuffer(count: g.weightCount) { packed in
            packWeights(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false, into: packed)
            if let fold = fold(for: g) {
                contract(affine == nil, "Conv3x3Direct: the folded kernel reads its input as stored")
                convolveFolded(g, fold: fold, source: x, inChannels: g.inChannels, packed: packed,
                               outChannels: g.outChannels, destination: y)
                return
            }
            eachPaddedImage(g, source: x, channels: g.inChannels, imageSize: g.inputImageSize, affine: affine) { n, padded, next in
                convolve(padded: padded, inChannels: g.inChannels, height: g.height, width: g.width,
                         packed: packed, outChannels: g.outChannels, out: y + n * g.outputImageSize,
                         prefetching: next, count: g.inputImageSize)
            }
        }
    }

    /// Input gradient: the same convolution applied to the padded output gradient with the
    /// weights transposed and rotated (see `packWeights(flipped:)`). Requires `inChannels % 8 == 0`.
    static func backwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        Scratch.withBuffer(count: g.weightCount) { packed in
            packWeights(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: true, into: packed)
            if let fold = fold(for: g) {
                convolveFolded(g, fold: fold, source: dy, inChannels: g.outChannels, packed: packed,
                               outChannels: g.inChannels, destination: dx)
                return
            }
            eachPaddedImage(g, source: dy, channels: g.outChannels, imageSize: g.outputImageSize) { n, padded, next in
                convolve(padded: padded, inChannels: g.outChannels, height: g.height, width: g.width,
                         packed: packed, outChannels: g.inChannels, out: dx + n * g.inputImageSize,
                         prefetching: next, count: g.outputImageSize)
            }
        }
    }

    /// Adds the weight gradient of `images` to `dw` (on the calling thread: the caller
    /// splits the batch and sums the partials), with `affine` applied to `x` as it is read
    /// (not with the folded kernel). With `outputs` (an even start and count; not with the
    /// folded kernel), only those output channels' rows of `dw` are computed and touched, so
    /// several threads can share one partial: every cell's sum is the one the whole pass adds.
    static func accumulateWeightGradient(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                         images: Range<Int>, dw: UnsafeMutablePointer<Float>,
                                         outputs: Range<Int>? = nil, normalizing affine: ChannelAffine? = nil) {
        if let fold = fold(for: g) {
            contract(affine == nil, "Conv3x3Direct: the folded kernel reads its input as stored")
            contract(outputs == nil, "Conv3x3Direct: the folded kernel computes every output channel")
            accumulateWeightGradientFolded(g, fold: fold, x: x, dy: dy, images: images, dw: dw)
            return
        }
        let outputs = outputs ?? 0 ..< g.outChannels
        contract(outputs.lowerBound % 2 == 0 && outputs.count % 2 == 0 && outputs.upperBound <= g.outChannels,
                 "Conv3x3Direct: the weight gradient's output channels come in pairs")
        // This range's slice of each image's output gradient.
        let slice = outputs.lowerBound * g.outPixels, sliceCount = outputs.count * g.outPixels
        withTapSums(dw, outputs: outputs, inChannels: g.inChannels) { sums in
            Scratch.withBuffer(count: g.inChannels * (g.height + 2) * (g.width + 2)) { padded in
                for n in images {
                    pad(x + n * g.inputImageSize, channels: g.inChannels, height: g.height, width: g.width,
                        into: padded, affine: affine, bordersAreZero: n != images.lowerBound)
                    let last = n + 1 == images.upperBound
                    accumulateWeightGradient(padded: padded, inChannels: g.inChannels, height: g.height,
                                             width: g.width, dy: dy + n * g.outputImageSize + slice,
                                             outChannels: outputs.count, sums: sums,
                                             prefetching: last ? nil : (x + (n + 1) * g.inputImageSize, g.inputImageSize,
                                                                        dy + (n + 1) * g.outputImageSize + slice, sliceCount))
                }
            }
        }
    }

    /// Splits the batch over the cores and hands each image, copied into zero-padded
    /// planes in the worker's scratch buffer, to `body`, with the source of the image the
    /// worker pads next (nil after its last), for `body` to prefetch while it computes.
    private static func eachPaddedImage(_ g: ConvGeometry, source: UnsafePointer<Float>, channels: Int, imageSize: Int,
                                        affine: ChannelAffine? = nil,
                                        _ body: (Int, UnsafePointer<Float>, UnsafePointer<Float>?) -> Void) {
        Parallel.forPieces(g.batch) { mine in
            Scratch.withBuffer(count: channels * (g.height + 2) * (g.width + 2)) { padded in
                for n in mine {
                    pad(source + n * imageSize, channels: channels, height: g.height, width: g.width, into: padded,
                        affine: affine, bordersAreZero: n != mine.lowerBound)
                    body(n, padded, n + 1 < mine.upperBound ? source + (n + 1) * imageSize : nil)
                }
            }
        }
    }
}
