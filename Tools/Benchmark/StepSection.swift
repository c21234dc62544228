import ArgumentParser
import SimCLR

/// Sections `step` and `torch`: the classroom training step (Lesson 4's defaults) in Swift and in
/// PyTorch on the same machine in the same run, the ratio the project aims at (≥ 1.3), and the
/// share of the machine's measured multiply-add peak each reaches.
struct StepSection {
    let options: BenchmarkOptions
    /// Measure the Swift step.
    let swift: Bool
    /// Measure the PyTorch step (by `scripts/bench/torch_step.py`).
    let torch: Bool
    /// Images per step (each gives two views).
    let batches: [Int]

    /// The batch sizes compared: the classroom's 256 and the write-up's 64.
    static let defaultBatches = [256, 64]

    /// `--images` must name batch sizes NT-Xent can use (two or more images) and that fit in memory.
    static func validate(_ batches: [Int]) throws {
        guard !batches.isEmpty else { throw ValidationError("--images needs at least one batch size") }
        for images in batches where images < 2 || images > 4096 {
            throw ValidationError("--images must be between 2 and 4096 (got \(images))")
        }
    }

    func run() {
        let repeats = options.repeats(default: 5)
        let torchRepeats = options.repeats(default: 3)
        let threads = options.allThreads
        let runTorch = torch && !options.noPython
        printSection("step — one SimCLR training step: ResNet-18 w16 + head 128→512→128, both views as one batch,",
                     "NT-Xent τ 0.5, backward, SGD (lr 0.06, momentum 0.9, weight decay 1e-4); random 32x32 views "
                        + "(augmentation not included); \(Format.count(threads, "thread"));",
                     "images/s = images per step / median step time (views/s is twice that); "
                        + "Swift median of \(repeats) steps\(swift && runTorch ? " (half before PyTorch, half after)" : ""), "
                        + "PyTorch of \(torchRepeats); ratio = Swift / PyTorch")
        // The load on this shared machine drifts: with both sides measured, half the Swift
        // steps run before PyTorch and half after, so a drift does not favour one side.
        let hostProbe = HostCheck.makeProbe()
        let hostAtStart = HostCheck.measure(threads: threads, probe: hostProbe)
        let steps = swift ? batches.map { SwiftStep(images: $0, options: options) } : []
        var samples: [Int: [Double]] = [:]
        let firstHalf = runTorch ? (repeats + 1) / 2 : repeats
        if swift { for step in steps { samples[step.images, default: []] += step.time(repeats: firstHalf) } }
        let pytorch = runTorch
            ? TorchStep(batches: batches, threads: threads, repeats: torchRepeats, options: options) : nil
        if swift && repeats > firstHalf {
            for step in steps { samples[step.images, default: []] += step.time(repeats: repeats - firstHalf) }
        }
        let hostAtEnd = HostCheck.measure(threads: threads, probe: hostProbe)
        let swiftTimes = samples.mapValues { Timing(samples: $0) }
        let peak = PeakProbe.gflops(threads: threads)
        let swiftPhases = swift ? steps[0].timePhases(repeats: 3) : [:]
        let memory = swift ? Dictionary(uniqueKeysWithValues: batches.map { ($0, StepMemory.peakBytes(images: $0, options: options)) }) : [:]

        var columns: [(String, TextTable.Alignment)] = [("images (views)", .left)]
        if swift { columns += [("Swift img/s", .right), ("views/s", .right), ("±", .right), ("of peak", .right), ("memory", .right)] }
        if pytorch != nil {
            columns += [("PyTorch channels-last", .right), ("±", .right)] + (swift ? [("Swift/PT", .right)] : [])
            columns += [("PyTorch default", .right), ("±", .right)] + (swift ? [("Swift/PT", .right)] : [])
        }
        var table = TextTable(columns)
        for images in batches {
            let ours = swiftTimes[images].map { Double(images) / $0.median }
            var row = ["\(images) (\(2 * images))"]
            if swift {
                row += [ours.map(Format.rate) ?? "—", ours.map { Format.rate(2 * $0) } ?? "—",
                        swiftTimes[images].map(Format.spread) ?? "", ours.map { percentOfPeak($0, peak) } ?? "—",
                        memory[images].flatMap { $0 }.map { String(format: "%.0f MiB", Double($0) / 1_048_576) } ?? "—"]
            }
            if let pytorch {
                for layout in ["channels_last", "default"] {
                    let theirs = pytorch.measurement(layout: layout, images: images)
                    let rate = theirs.map { Double(images) / $0.seconds }
                    row += [rate.map(Format.rate) ?? "—", theirs.map { String(format: "±%.0f%%", 50 * $0.spread) } ?? ""]
                    if swift { row.append(Format.ratio(ours, rate)) }
                }
            }
            table.add(row)
        }
        print(table.render())
        print(String(format: "  peak: %.0f GFLOP/s on %@, measured by FMA chains; a step costs %.1f MFLOP per image "
                     + "(convolutions, forward and both backward passes of both views)",
                     peak, Format.count(threads, "thread"), SwiftStep.flopPerImage / 1e6))
        if swift {
            print("  memory: the step's peak, measured in a process of its own (resident high-water mark above its start:")
            print("  model, optimizer state, views, activations kept for backward, gradients, kernel scratch)")
        }
        for line in HostCheck.report(start: hostAtStart, end: hostAtEnd, threads: threads) { print(line) }
        if let pytorch {
            print("  \(pytorch.note)")
            for images in batches {
                let rates = ["channels_last", "default"].compactMap { pytorch.measurement(layout: $0, images: images) }
                    .map { Double(images) / $0.seconds }
                if let best = rates.max() {
                    print("  PyTorch's faster layout at \(images) images: \(percentOfPeak(best, peak)) of peak")
                }
            }
        }
        else if torch { print("  PyTorch: skipped (--no-python)") }
        if swift && runTorch {
            print("  goal: Swift / PyTorch ≥ 1.3 against PyTorch's faster layout at the same thread count, and ≥ 75 % of the")
            print("  measured peak at 64 images")
        }
        if runTorch && threads > 1 && Machine.wasLoaded {
            print("  caution: the load average at the start was above the core count; PyTorch's OpenMP threads busy-wait")
            print("  and can collapse under contention — compare with `Benchmark step --threads 1`")
        }
        printPhases(images: batches[0], swift: swiftPhases, pytorch: pytorch)
    }

    /// The share of the measured peak that `imagesPerSecond` training steps use.
    private func percentOfPeak(_ imagesPerSecond: Double, _ peak: Double) -> String {
        String(format: "%.0f%%", 100 * imagesPerSecond * SwiftStep.flopPerImage / 1e9 / peak)
    }

    /// Where the time of one step goes, side by side (the first batch size only).
    private func printPhases(images: Int, swift: [String: Double], pytorch: TorchStep?) {
        let layouts = ["channels_last", "default"].filter { pytorch?.measurement(layout: $0, images: images) != nil }
        guard !swift.isEmpty || !layouts.isEmpty else { return }
        print("")
        print("  one step at \(images) images, median ms per phase (Swift: 3 extra steps; PyTorch: its timed steps;")
        print("  PyTorch's NT-Xent backward is inside its backward, Swift's inside NT-Xent):")
        var columns: [(String, TextTable.Alignment)] = [("phase", .left)]
        if !swift.isEmpty { columns.append(("Swift", .right)) }
        columns += layouts.map { ("PyTorch \($0 == "default" ? "default" : "channels-last")", .right) }
        var table = TextTable(columns)
        for (key, name) in SwiftStep.phaseNames {
            var row = [name]
            if !swift.isEmpty { row.append(swift[key].map(Format.milliseconds) ?? "—") }
            for layout in layouts {
                row.append(pytorch?.measurement(layout: layout, images: images)?.phases[key].map(Format.milliseconds) ?? "—")
            }
            table.add(row)
        }
        print(table.render())
    }
}
