import SimCLR

/// Sections `step` and `torch`: the classroom training step (GUIDE §3) in Swift and in
/// PyTorch on the same machine in the same run, and the ratio the project aims at (≥ 1).
struct StepSection {
    let options: BenchmarkOptions
    /// Measure the Swift step.
    let swift: Bool
    /// Measure the PyTorch step (by `scripts/bench/torch_step.py`).
    let torch: Bool
    /// Images per step (each gives two views).
    let batches = [256, 64]

    func run() {
        let repeats = options.repeats(default: 5)
        let torchRepeats = options.repeats(default: 3)
        let threads = options.allThreads
        printSection("step — one SimCLR training step: ResNet-18 w16 + head 128→512→128, both views as one batch,",
                     "NT-Xent τ 0.5, backward, SGD (lr 0.06, momentum 0.9, weight decay 1e-4); random 32x32 views "
                        + "(augmentation not included); \(threads) threads;",
                     "images/s = images per step / median step time (views/s is twice that); "
                        + "Swift median of \(repeats) steps, PyTorch of \(torchRepeats); ratio = Swift / PyTorch")
        var swiftTimes: [Int: Timing] = [:]
        if swift {
            for images in batches { swiftTimes[images] = measureSwift(images: images, repeats: repeats) }
        }
        let pytorch = torch && !options.noPython
            ? TorchStep(batches: batches, threads: threads, repeats: torchRepeats, options: options) : nil

        var table = TextTable([("images (views)", .left), ("Swift img/s", .right), ("±", .right),
                               ("PyTorch channels-last", .right), ("±", .right), ("Swift/PT", .right),
                               ("PyTorch default", .right), ("±", .right), ("Swift/PT", .right)])
        for images in batches {
            let ours = swiftTimes[images].map { Double(images) / $0.median }
            var row = ["\(images) (\(2 * images))", ours.map(Format.rate) ?? "—",
                       swiftTimes[images].map(Format.spread) ?? ""]
            for layout in ["channels_last", "default"] {
                let theirs = pytorch?.measurement(layout: layout, images: images)
                let rate = theirs.map { Double(images) / $0.seconds }
                row += [rate.map(Format.rate) ?? "—", theirs.map { String(format: "±%.0f%%", 50 * $0.spread) } ?? "",
                        Format.ratio(ours, rate)]
            }
            table.add(row)
        }
        print(table.render())
        if let pytorch { print("  \(pytorch.note)") }
        else if torch { print("  PyTorch: skipped (--no-python)") }
        print("  goal (issue 5): Swift / PyTorch ≥ 1.0 against PyTorch's faster layout at the same thread count")
    }

    /// Median time of `trainStep` on `images` pairs of random views, after one warm-up
    /// step (which also allocates the optimizer's momentum buffers), as the PyTorch script does.
    private func measureSwift(images: Int, repeats: Int) -> Timing {
        var generator = SeededGenerator(seed: 5)
        let model = SimCLRModel(.classroom, generator: &generator)
        let views = randomTensor([2 * images, 3, 32, 32], generator: &generator)
        let loss = NTXent(temperature: 0.5)
        let optimizer = SGD(momentum: 0.9, weightDecay: 1e-4)
        return Timing.measure(repeats: repeats, warmups: 1) {
            _ = model.trainStep(views: views, loss: loss, optimizer: optimizer, lr: 0.06)
        }
    }
}
