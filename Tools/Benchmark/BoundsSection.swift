import SimCLR

/// Section `bounds`: how far each piece of the classroom step is from what this machine
/// allows it, shape by shape.
///
/// Every operation of the encoder's step (`StepOperations`) is timed on its own, with the
/// kernel the step calls, and set beside two lower bounds measured in the same run: its
/// multiply-adds at the FMA peak (`PeakProbe`), and the time to read its inputs and write
/// its outputs once (`StreamProbe`, on buffers of its own sizes). The larger bound is what
/// no implementation of that operation, as the step splits the work, could beat;
/// measured / bound says how much is left, and the letter says which wall it is.
struct BoundsSection {
    let options: BenchmarkOptions
    /// Images per step (each gives two views).
    let batches: [Int]

    private struct Measured {
        let operation: StepOperation
        /// Seconds for all `count` instances.
        let seconds: Double
        let fmaBound: Double
        let memoryBound: Double
        var bound: Double { max(fmaBound, memoryBound) }
        var limit: String { fmaBound >= memoryBound ? "F" : "M" }
    }

    func run() {
        let repeats = options.repeats(default: 5)
        let threads = options.allThreads
        let peak = PeakProbe.gflops(threads: threads)
        printSection("bounds — the classroom step's operations against this machine's limits, shape by shape",
                     "ms = measured, all layers of that shape (median of \(repeats)); ×b = measured / bound, where the bound is the larger of",
                     "F: the multiply-adds at the FMA peak (\(Format.rate(peak)) GFLOP/s, measured now by FMA chains on \(Format.count(threads, "thread"))), counting the",
                     "   multiplies of the kernel the step runs (Winograd's 16 per 2x2 tile and channel pair where it runs, 36 elsewhere), and",
                     "M: the time to read every input and write every output once (a streaming loop on buffers of the same sizes, same threads)",
                     "1.00x would be at the wall; batch norm and joins have too little arithmetic to be anything but M")
        for images in batches {
            report(images: images, peak: peak, repeats: repeats)
        }
    }

    private func report(images: Int, peak: Double, repeats: Int) {
        let views = 2 * images
        // The machine's speed drifts: half the step's timed runs go before the operations'
        // and half after, so a drift lands on both sides of 'the rest'.
        let step = SwiftStep(images: images, options: options)
        var stepSamples = step.time(repeats: (repeats + 1) / 2)
        let recomputation = options.keepBlockOutputs ? .none
            : options.recompute ?? step.model.encoder.recomputation(batch: views, height: 32, width: 32)
        let measured = StepOperations.classroom(views: views, rebuildsOutputs: !options.keepBlockOutputs,
                                                recomputation: recomputation).map { operation in
            let timing = Timing.measure(repeats: repeats, minimumSeconds: 0.01) { operation.run() }
            let stream = StreamProbe(reads: operation.reads, writes: operation.writes).seconds(repeats: repeats)
            let n = Double(operation.count)
            return Measured(operation: operation, seconds: n * timing.median,
                            fmaBound: n * operation.flop / (peak * 1e9), memoryBound: n * stream)
        }
        // The inventory (the shapes StepOperations lists) must hold every convolution of the
        // network, or the bounds flatter the step: their direct forward passes add up to one
        // third of the step's count (the stem's backward-data, which the count includes, is
        // never computed).
        let forwardFlop = ResNet18Shapes.convolutions(width: 16)
            .reduce(0) { $0 + Double($1.layers) * 2 * Double($1.geometry(batch: views).multiplyAdds) }
        if abs(forwardFlop - SwiftStep.flopPerImage * Double(images) / 3) > 1 {
            print("  warning: the listed forward convolutions hold \(grouped(forwardFlop)) FLOP, the network "
                  + "\(grouped(SwiftStep.flopPerImage * Double(images) / 3)); StepOperations needs updating")
        }
        stepSamples += step.time(repeats: repeats / 2 + 1)
        let stepSeconds = Timing(samples: stepSamples).median

        print("")
        print("  \(images) images (\(views) views) per step; convolutions recomputed in backward: \(recomputation.rawValue)")
        // The kinds this step has (no rebuilt outputs with --keep-block-outputs).
        let kinds = StepOperation.Kind.allCases.filter { kind in measured.contains { $0.operation.kind == kind } }
        var columns: [(String, TextTable.Alignment)] = [("row", .left), ("n", .right)]
        for kind in kinds { columns += [(kind.rawValue, .right), ("×b", .right)] }
        var table = TextTable(columns)
        var rows: [String] = []
        for m in measured where !rows.contains(m.operation.row) { rows.append(m.operation.row) }
        for row in rows {
            let mine = measured.filter { $0.operation.row == row }
            // n counts the row's layers: a kind's operations split them (a block's second
            // convolution normalises its input, the first does not), and a rebuilt output may
            // be rebuilt more often than that.
            let layers = kinds.filter { $0 != .rebuild && $0 != .recompute }
                .map { kind in mine.filter { $0.operation.kind == kind }.reduce(0) { $0 + $1.operation.count } }.max()!
            var cells = [row, "\(layers)"]
            for kind in kinds {
                let parts = mine.filter { $0.operation.kind == kind }
                if parts.isEmpty { cells += ["", ""]; continue }
                let seconds = parts.reduce(0) { $0 + $1.seconds }, bound = parts.reduce(0) { $0 + $1.bound }
                let limit = Set(parts.map(\.limit)).sorted().joined()
                cells += [Format.milliseconds(seconds), Format.ratio(seconds, bound) + " " + limit]
            }
            table.add(cells)
        }
        print(table.render())

        var summary = TextTable([("part of the step", .left), ("measured ms", .right), ("bound ms", .right),
                                 ("×b", .right), ("share of the step", .right)])
        var categories: [String] = []
        for kind in kinds where !categories.contains(kind.category) { categories.append(kind.category) }
        var operationsSeconds = 0.0, boundSeconds = 0.0
        for category in categories {
            let parts = measured.filter { $0.operation.kind.category == category }
            let seconds = parts.reduce(0) { $0 + $1.seconds }, bound = parts.reduce(0) { $0 + $1.bound }
            operationsSeconds += seconds
            boundSeconds += bound
            summary.add([category, Format.milliseconds(seconds), Format.milliseconds(bound), Format.ratio(seconds, bound),
                         percent(seconds / stepSeconds)])
        }
        let rest = stepSeconds - operationsSeconds
        // Negative when the operations, timed alone, ran slower than inside the step: noise.
        summary.add(["the rest (head, pooling, NT-Xent, SGD)", rest > 0 ? Format.milliseconds(rest) : "≈ 0", "", "",
                     rest > 0 ? percent(rest / stepSeconds) : "within noise"])
        summary.addSeparator()
        summary.add(["whole step", Format.milliseconds(stepSeconds), "", "", ""])
        print(summary.render())
        let atBounds = boundSeconds + max(0, rest)
        let fmaOnly = SwiftStep.flopPerImage * Double(images) / (peak * 1e9)
        print("  step measured: \(Format.rate(Double(images) / stepSeconds)) images/s "
              + "(\(percent(fmaOnly / stepSeconds)) of the FMA peak). With every listed operation at its bound and the rest as measured: "
              + "\(Format.rate(Double(images) / atBounds)) images/s (\(percent(fmaOnly / atBounds)) of peak); "
              + "75 % of peak would be \(Format.rate(0.75 * Double(images) / fmaOnly)) images/s.")
        print("  Each operation (and its probe) runs repeatedly on the same buffers, so whatever fits the caches is served "
              + "from them; inside the step a tensor written long before its next use may come from memory. 'The rest' "
              + "is the step's time minus the operations' and carries that difference.")
    }

    private func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.0f %%", 100 * fraction) : "—"
    }
}
