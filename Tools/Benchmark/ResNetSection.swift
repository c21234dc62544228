import SimCLR

/// Section `resnet`: images per second through ResNet-18 (CIFAR stem, 32x32), forward
/// and forward + backward, optimized at the training batch vs the reference loops on a
/// tiny batch.
struct ResNetSection {
    let options: BenchmarkOptions
    let widths = [16, 64]
    let batch = 512
    let referenceBatch = 2

    func run() {
        let repeats = options.repeats(default: 3)
        // The width-64 reference takes seconds per image; width 16 is cheap enough to repeat.
        let referenceRepeats = { (width: Int) in options.repeats(default: width <= 16 ? 3 : 1) }
        printSection("resnet — ResNet-18, CIFAR stem, 32x32 images, training mode (batch statistics), images/s",
                     "optimized at batch \(batch) (median of \(repeats)); ref = reference loops at batch \(referenceBatch) "
                        + "(median of \(referenceRepeats(16)) at width 16, \(referenceRepeats(64)) at width 64), per image; × = optimized / reference;",
                     "forward+backward = forward, then backward from a random ∂L/∂h to every parameter gradient "
                        + "(no input gradient, as in training); GFLOP/s counts convolutions only (backward = 2× forward)")
        var table = TextTable([("network", .left), ("GFLOP/img", .right),
                               ("fwd img/s", .right), ("ref", .right), ("×", .right),
                               ("fwd+bwd img/s", .right), ("ref", .right), ("×", .right),
                               ("fwd+bwd GFLOP/s", .right), ("±", .right)])
        for width in widths {
            var generator = SeededGenerator(seed: 4)
            let config = ResNetConfig(depth: .resnet18, width: width, stem: .cifar)
            let net = ResNet(config, generator: &generator)
            let flopsPerImage = 2 * Double(net.multiplyAdds(height: 32, width: 32))
            let optimized = measure(net, batch: batch, repeats: repeats, warmups: 1, generator: &generator)
            let reference = ComputePath.with(.reference) {
                measure(net, batch: referenceBatch, repeats: referenceRepeats(width), warmups: 0, generator: &generator)
            }
            let rates = (forward: Double(batch) / optimized.forward.median,
                         training: Double(batch) / optimized.training.median)
            let referenceRates = (forward: Double(referenceBatch) / reference.forward.median,
                                  training: Double(referenceBatch) / reference.training.median)
            table.add(["ResNet-18 w\(width)", String(format: "%.3f", flopsPerImage / 1e9),
                       Format.rate(rates.forward), Format.rate(referenceRates.forward),
                       Format.ratio(rates.forward, referenceRates.forward),
                       Format.rate(rates.training), Format.rate(referenceRates.training),
                       Format.ratio(rates.training, referenceRates.training),
                       Format.rate(3 * flopsPerImage * rates.training / 1e9), Format.spread(optimized.training)])
        }
        print(table.render())
    }

    /// Times forward and backward separately within each iteration, so one set of runs
    /// gives both rates (the width-64 network at batch 512 takes tens of seconds a run).
    private func measure(_ net: ResNet, batch: Int, repeats: Int, warmups: Int,
                         generator: inout SeededGenerator) -> (forward: Timing, training: Timing) {
        let images = randomTensor([batch, 3, 32, 32], generator: &generator)
        let dh = randomTensor([batch, net.config.featureDimension], generator: &generator)
        var forward: [Double] = [], training: [Double] = []
        for run in 0 ..< warmups + repeats {
            let start = monotonicSeconds()
            _ = net.forward(images, training: true)
            let middle = monotonicSeconds()
            _ = net.backward(dh)
            let end = monotonicSeconds()
            if run >= warmups {
                forward.append(middle - start)
                training.append(end - start)
            }
        }
        return (Timing(samples: forward), Timing(samples: training))
    }
}
