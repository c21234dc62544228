import ArgumentParser
import SimCLR

/// Flags every section takes.
struct BenchmarkOptions: ParsableArguments {
    @Option(help: "Timed repetitions of each measurement (default: chosen per section to keep it short); the median is reported.")
    var repeats: Int?

    @Option(help: "Threads for the multi-threaded measurements (default: all cores, or fewer if a container's CPU quota allows fewer).")
    var threads: Int?

    @Option(help: "Python interpreter for the side-by-side scripts (numpy, and the one that sets up PyTorch's virtual environment).")
    var python = "python3"

    @Flag(help: "Skip the numpy and PyTorch side-by-side measurements.")
    var noPython = false

    @Option(help: "Register tiles of the convolution kernels: wide (AVX-512) or narrow (AVX2, NEON) (default: what this build was compiled for).")
    var tile: RegisterTile?

    @Option(help: "Channels (on both sides) from which 3x3 stride-1 layers take the Winograd kernel (default: the library's, 64; a number above the widest layer, such as 4096, turns it off).")
    var winogradFrom: Int?

    @Option(name: .customLong("winograd4x4-from"), help: "Channels (on both sides) from which 3x3 stride-1 layers on planes of at most 256 pixels take Winograd F(4x4, 3x3) (default: the library's, 32; a number above the widest layer, such as 4096, leaves them to F(2x2, 3x3) and the others).")
    var winograd4x4From: Int?

    @Flag(help: "Hand each parallel loop to Dispatch instead of the kernel workers that wait for the next loop spinning (to compare the two).")
    var dispatch = false

    @Flag(help: "Keep every residual block's output for backward instead of recomputing it there (to compare the two).")
    var keepBlockOutputs = false

    @Option(help: "Convolution outputs the step drops and computes again in backward: none, stem or stem-and-first-stage (default: the library's choice by batch size).")
    var recompute: ResNet.ConvolutionRecomputation?

    func validate() throws {
        if let winogradFrom, winogradFrom < 1 {
            throw ValidationError("--winograd-from must be a positive channel count (got \(winogradFrom))")
        }
        if let winograd4x4From, winograd4x4From < 1 {
            throw ValidationError("--winograd4x4-from must be a positive channel count (got \(winograd4x4From))")
        }
        if keepBlockOutputs, let recompute, recompute != .none {
            throw ValidationError("--recompute \(recompute.rawValue) drops outputs that --keep-block-outputs keeps; give one of the two")
        }
        if let repeats, repeats < 1 || repeats > 100 {
            throw ValidationError("--repeats must be between 1 and 100 (got \(repeats))")
        }
        if let threads, threads < 1 || threads > 256 {
            throw ValidationError("--threads must be between 1 and 256 (got \(threads))")
        }
    }

    /// The thread count of the "all threads" columns.
    var allThreads: Int { threads ?? Parallel.defaultThreadCount() }

    /// `--repeats`, or the section's own default.
    func repeats(default value: Int) -> Int { repeats ?? value }

    /// Sets the kernels' thread count for the run.
    func apply() {
        RunSettings.apply(path: .optimized, threads: allThreads)
        RegisterTile.current = tile ?? RegisterTile.compiled
        ConvKernel.winogradChannels = winogradFrom ?? ConvKernel.defaultWinogradChannels
        ConvKernel.winograd4x4Channels = winograd4x4From ?? ConvKernel.defaultWinograd4x4Channels
        Parallel.usesWorkerPool = !dispatch
    }
}

/// Runs `body` with the kernels limited to `threads` threads.
func withThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    let saved = Parallel.threadCount
    Parallel.threadCount = threads
    defer { Parallel.threadCount = saved }
    return try body()
}

/// Prints a section's heading.
func printSection(_ title: String, _ lines: String...) {
    print("")
    print("▌ \(title)")
    for line in lines { print("  \(line)") }
}

extension RegisterTile: ExpressibleByArgument {}
extension ResNet.ConvolutionRecomputation: ExpressibleByArgument {}
