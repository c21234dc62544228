/// PyTorch's timings of the same training step, from `scripts/bench/torch_step.py`.
struct TorchStep {
    /// One line of the script's output: an "info" line or a "step" timing.
    private struct Record: Decodable {
        let kind: String
        let torch: String?
        let threads: Int?
        let capability: String?
        let python: String?
        let layout: String?
        let images: Int?
        let seconds: Double?
        let spread: Double?
        let phases: [String: Double]?
    }

    struct Measurement {
        let seconds: Double
        let spread: Double
        /// Median seconds of each part of the step ("forward", "loss", "backward", "optimizer", "top1").
        let phases: [String: Double]
    }

    /// Median seconds per step, by layout ("channels_last", "default") and images per step.
    private(set) var steps: [String: [Int: Measurement]] = [:]
    /// What was run, or why nothing was, in one line.
    private(set) var note = ""

    init(batches: [Int], threads: Int, repeats: Int, options: BenchmarkOptions) {
        let arguments = ["--threads", "\(threads)", "--repeats", "\(repeats)", "--batches"] + batches.map(String.init)
        switch ExternalTool.runScript("torch_step.py", arguments: arguments, python: options.python, as: Record.self) {
        case .failure(let failure):
            note = "PyTorch: not measured — \(failure)"
        case .success(let records):
            for r in records {
                if r.kind == "info" {
                    note = "PyTorch \(r.torch ?? "?") (\(r.capability ?? "?")), \(Format.count(r.threads ?? threads, "thread")), "
                        + "from \(r.python ?? "?")"
                } else if let layout = r.layout, let images = r.images, let seconds = r.seconds {
                    steps[layout, default: [:]][images] = Measurement(seconds: seconds, spread: r.spread ?? 0,
                                                                          phases: r.phases ?? [:])
                }
            }
        }
    }

    func measurement(layout: String, images: Int) -> Measurement? {
        steps[layout]?[images]
    }
}
