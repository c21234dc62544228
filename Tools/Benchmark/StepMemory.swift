import ArgumentParser
import Foundation
import SimCLR

/// The peak memory of the classroom training step, measured in a process of its own.
///
/// The allocator keeps freed blocks for reuse (`Allocator`), so a process that has run other
/// sections already holds memory a step would reuse; and the resident high-water mark of the
/// kernel (`VmHWM`) covers the whole process. A fresh child process (`Benchmark step-memory`)
/// therefore builds the step and runs it twice (the first also allocates the optimizer's
/// momentum), and the figure is its high-water mark minus what it held before building the
/// step: the model and optimizer state, the views, every activation kept for backward, the
/// gradients and the kernels' scratch buffers, at their largest at once.
enum StepMemory {
    /// Peak bytes of one step at `images` images, or nil where it cannot be measured (no
    /// `/proc`, or the child failed).
    static func peakBytes(images: Int, options: BenchmarkOptions) -> Int? {
        guard let executable = Bundle.main.executablePath else { return nil }
        var arguments = ["step-memory", "--images", String(images)]
        if let threads = options.threads { arguments += ["--threads", String(threads)] }
        if let tile = options.tile { arguments += ["--tile", tile.rawValue] }
        if let from = options.winogradFrom { arguments += ["--winograd-from", String(from)] }
        if let from = options.winograd4x4From { arguments += ["--winograd4x4-from", String(from)] }
        if options.dispatch { arguments += ["--dispatch"] }
        if options.keepBlockOutputs { arguments += ["--keep-block-outputs"] }
        if let recompute = options.recompute { arguments += ["--recompute", recompute.rawValue] }
        guard let output = try? ExternalTool.run(executable: executable, arguments: arguments), output.status == 0
        else { return nil }
        return output.standardOutput.split(separator: "\n").compactMap { Int($0) }.last
    }

    /// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`), or nil off Linux.
    static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            // "VmHWM:\t  123456 kB": a tab, then padding that a large value leaves out.
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kibibytes = Int(parts[1]) { return kibibytes * 1024 }
        }
        return nil
    }
}

/// `Benchmark step-memory --images N`: the child process of `StepMemory`; prints the peak
/// bytes as one number. Hidden from `--help`: the step section runs it.
struct StepMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step-memory",
                                                    abstract: "The step's peak memory, for the step section (one number of bytes).",
                                                    shouldDisplay: false)
    @OptionGroup var options: BenchmarkOptions
    @Option(help: "Images per step (each gives two views).")
    var images = 256
    func validate() throws { try StepSection.validate([images]) }

    func run() throws {
        options.apply()
        guard let before = StepMemory.status("VmRSS") else {
            throw ValidationError("step-memory needs /proc/self/status (Linux)")
        }
        let step = SwiftStep(images: images, options: options)
        _ = step.time(repeats: 1)
        guard let peak = StepMemory.status("VmHWM") else { throw ValidationError("step-memory: no VmHWM in /proc/self/status") }
        print(peak - before)
    }
}
