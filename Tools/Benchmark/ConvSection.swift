import SimCLR

/// Section `conv`: every convolution shape of ResNet-18 (width 16 and 64, CIFAR stem) at
/// a training batch (by default 512 views, the classroom's two views x 256), forward, backward-data and backward-weights, optimized
/// vs the reference loops (run on a small batch and compared per image).
struct ConvSection {
    let options: BenchmarkOptions
    let widths = [16, 64]
    /// Views per batch.
    let batch: Int
    let referenceBatch = 2

    /// Median seconds of the three passes of one shape at some batch.
    private struct PassTimes {
        var forward: Double
        var backwardData: Double
        var backwardWeights: Double
    }

    func run() {
        let repeats = options.repeats(default: 3)
        // The width-64 reference takes seconds per shape; width 16 is cheap enough to repeat.
        let referenceRepeats = { (width: Int) in options.repeats(default: width <= 16 ? 3 : 1) }
        printSection("conv — ResNet-18 convolutions at batch \(batch) (two views × \(batch / 2)), GFLOP/s = 2·multiply-adds / s",
                     "ref = the reference loops on \(referenceBatch) images, scaled per image; × = optimized / reference; "
                        + "path = forward/backward-data/backward-weights kernel",
                     "(dir = Conv3x3Direct, fold = Conv3x3Direct on images folded side by side, lanes = small images with 32 channels in the vector lanes, gemm = im2col + GEMM, wino = Winograd F(2x2, 3x3), from 64 channels); n = layers of that shape; ms = optimized "
                        + "forward + both backward passes for those n layers; \(repeats) run(s) optimized, "
                        + "\(referenceRepeats(16)) reference at width 16, \(referenceRepeats(64)) at width 64")
        for width in widths {
            if !ResNet18Shapes.matchesLibraryCount(width: width) {
                print("  warning: the shape table does not add up to ResNet.multiplyAdds for width \(width); it needs updating")
            }
            var table = TextTable([("w\(width) layer", .left), ("n", .right), ("shape", .left), ("path", .left),
                                   ("fwd", .right), ("ref", .right), ("×", .right),
                                   ("bwd-data", .right), ("ref", .right), ("×", .right),
                                   ("bwd-w", .right), ("ref", .right), ("×", .right), ("ms", .right)])
            var totalSeconds = 0.0, totalFlops = 0.0
            for layer in ResNet18Shapes.convolutions(width: width) {
                let g = layer.geometry(batch: batch)
                let optimized = measure(g, repeats: repeats, reference: false)
                let reference = measure(layer.geometry(batch: referenceBatch), repeats: referenceRepeats(width),
                                        reference: true)
                let flops = 2 * Double(g.multiplyAdds)
                let referenceFlops = flops * Double(referenceBatch) / Double(batch)
                // The stem never computes the gradient of the images (ResNet skips it).
                let isStem = layer.inChannels == 3
                let seconds = Double(layer.layers)
                    * (optimized.forward + optimized.backwardWeights + (isStem ? 0 : optimized.backwardData))
                totalSeconds += seconds
                totalFlops += Double(layer.layers) * flops * (isStem ? 2 : 3)
                func cells(_ opt: Double, _ ref: Double) -> [String] {
                    [Format.rate(flops / opt / 1e9), Format.rate(referenceFlops / ref / 1e9),
                     Format.ratio(flops / opt, referenceFlops / ref)]
                }
                let path = ConvKernel.Pass.allCases.map { ConvKernel.choose(g, $0).abbreviation }.joined(separator: "/")
                table.add([layer.name, "\(layer.layers)", layer.label, path]
                          + cells(optimized.forward, reference.forward)
                          + cells(optimized.backwardData, reference.backwardData)
                          + cells(optimized.backwardWeights, reference.backwardWeights)
                          + [Format.milliseconds(seconds)])
            }
            print(table.render())
            print("  w\(width) all convolutions, forward + backward (stem without backward-data): "
                  + "\(Format.milliseconds(totalSeconds)) ms per batch of \(batch), \(Format.rate(totalFlops / totalSeconds / 1e9)) GFLOP/s")
        }
    }

    private func measure(_ g: ConvGeometry, repeats: Int, reference: Bool) -> PassTimes {
        var generator = SeededGenerator(seed: 3)
        let b = ConvBuffers(g, generator: &generator)
        let (x, w, dy, y, dx, dw) = (b.x, b.w, b.dy, b.y, b.dx, b.dw)
        // The reference is slow and has no caches to warm.
        let warmups = reference ? 0 : 1
        let forward = Timing.measure(repeats: repeats, warmups: warmups) {
            if reference { Convolution.forwardReference(g, x: x.readOnly, w: w.readOnly, y: y.pointer) }
            else { Convolution.forwardOptimized(g, x: x.readOnly, w: w.readOnly, y: y.pointer) }
        }
        let backwardData = Timing.measure(repeats: repeats, warmups: warmups) {
            if reference { Convolution.backwardDataReference(g, dy: dy.readOnly, w: w.readOnly, dx: dx.pointer) }
            else { Convolution.backwardDataOptimized(g, dy: dy.readOnly, w: w.readOnly, dx: dx.pointer) }
        }
        let backwardWeights = Timing.measure(repeats: repeats, warmups: warmups) {
            if reference { Convolution.backwardWeightsReference(g, x: x.readOnly, dy: dy.readOnly, dw: dw.pointer) }
            else { Convolution.backwardWeightsOptimized(g, x: x.readOnly, dy: dy.readOnly, dw: dw.pointer) }
        }
        return PassTimes(forward: forward.median, backwardData: backwardData.median,
                         backwardWeights: backwardWeights.median)
    }
}
