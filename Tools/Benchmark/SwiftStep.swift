import SimCLR

/// The Swift side of the step: the classroom model, loss and optimizer, kept between
/// timing rounds.
struct SwiftStep {
    let images: Int
    let model: SimCLRModel
    let views: Tensor
    let loss = NTXent(temperature: 0.5)
    let optimizer = SGD(momentum: 0.9, weightDecay: 1e-4)

    init(images: Int, options: BenchmarkOptions) {
        var generator = SeededGenerator(seed: 5)
        self.images = images
        model = SimCLRModel(.classroom, generator: &generator)
        model.encoder.recomputesBlockOutputs = !options.keepBlockOutputs
        model.encoder.recomputedConvolutions = options.recompute
        views = randomTensor([2 * images, 3, 32, 32], generator: &generator)
        optimizer.prepare(model.parameters)  // as the trainer does
    }

    /// Seconds of each of `repeats` SimCLR steps (the trainer's: forward, NT-Xent, backward,
    /// update, contrastive accuracy) on `images` pairs of random views, after one warm-up step
    /// (the first also allocates the optimizer's momentum buffers), as the PyTorch script does.
    func time(repeats: Int) -> [Double] {
        Timing.measure(repeats: repeats, warmups: 1) {
            let (_, z) = model.forward(views, training: true)
            let (_, dz) = loss.lossAndGradient(z)
            model.backward(dz)
            optimizer.step(model.parameters, lr: 0.06)
            _ = SimCLRModel.contrastiveAccuracy(z)
        }.samples
    }

    /// FLOP of one step per source image: two views, each a forward pass and the two
    /// backward passes (data and weights) that cost one forward each, counting the
    /// encoder's convolutions (the classroom ResNet-18: 3 × 70.09 × 2 = 420.5 MFLOP).
    static let flopPerImage: Double = {
        var generator = SeededGenerator(seed: 0)
        let macs = ResNet(SimCLRModel.Architecture.classroom.encoder, generator: &generator).multiplyAdds(height: 32, width: 32)
        return 2 * 3 * 2 * Double(macs)
    }()

    /// The phases of a step, keyed as `torch_step.py` names them, in order.
    static let phaseNames = [("forward", "forward (encoder + head)"), ("loss", "NT-Xent"), ("backward", "backward"),
                             ("optimizer", "SGD update"), ("top1", "contrastive top-1")]

    /// The same work as `time`, timed phase by phase: median seconds of each.
    func timePhases(repeats: Int) -> [String: Double] {
        var samples: [String: [Double]] = [:]
        for _ in 0 ..< repeats {
            let t0 = monotonicSeconds()
            let (_, z) = model.forward(views, training: true)
            let t1 = monotonicSeconds()
            let (_, dz) = loss.lossAndGradient(z)
            let t2 = monotonicSeconds()
            model.backward(dz)
            let t3 = monotonicSeconds()
            optimizer.step(model.parameters, lr: 0.06)
            let t4 = monotonicSeconds()
            _ = SimCLRModel.contrastiveAccuracy(z)
            let t5 = monotonicSeconds()
            for (key, seconds) in [("forward", t1 - t0), ("loss", t2 - t1), ("backward", t3 - t2),
                                   ("optimizer", t4 - t3), ("top1", t5 - t4)] {
                samples[key, default: []].append(seconds)
            }
        }
        return samples.mapValues { Timing(samples: $0).median }
    }
}
