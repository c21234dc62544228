import Foundation
import SimCLR

/// What the benchmark prints about the machine, so that numbers from a loaded or
/// different machine are recognised as such.
enum Machine {
    /// The processor's model name from `/proc/cpuinfo` (Linux), or "unknown CPU".
    static var cpuName: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The 1, 5 and 15 minute load averages as `uptime` prints them ("1.07, 2.07, 2.48"),
    /// read from `/proc/loadavg` when `uptime` is not installed.
    static var loadAverage: String {
        if let output = try? ExternalTool.run(executable: "/usr/bin/env", arguments: ["uptime"]),
           output.status == 0,
           let range = output.standardOutput.range(of: "load average:") {
            return output.standardOutput[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            return text.split(separator: " ").prefix(3).joined(separator: ", ")
        }
        return "unavailable"
    }

    /// The 1-minute load average when the run started (before our own work raised it);
    /// `nil` where it cannot be read.
    static let loadAtStart: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first else { return nil }
        return Double(first)
    }()

    /// Whether other processes were already keeping every core busy at the start: then
    /// thread pools that busy-wait (OpenBLAS, PyTorch's OpenMP) give unreliable figures.
    static var wasLoaded: Bool {
        (loadAtStart ?? 0) >= Double(ProcessInfo.processInfo.activeProcessorCount)
    }

    /// How this executable was built: the numeric targets are optimized in both
    /// configurations, so a debug build measures the same kernels.
    static var buildDescription: String {
        #if DEBUG
        "debug build (the library targets and this one are still compiled -Ounchecked)"
        #else
        "release build"
        #endif
    }

    /// The header every run starts with.
    static func printHeader(command: String, options: BenchmarkOptions) {
        print("SimCLR lessons benchmark — \(command)")
        print("  \(cpuName), \(ProcessInfo.processInfo.activeProcessorCount) cores usable, "
              + "kernels on \(Format.count(Parallel.threadCount, "thread")), \(buildDescription)")
        _ = loadAtStart
        print("  load average at start (1, 5, 15 min): \(loadAverage)")
        print("  allocator: \(Allocator.summary)")
        print("  register tiles: \(RegisterTile.current.rawValue) (this build was compiled for \(RegisterTile.compiled.rawValue))")
        let winograd = ConvKernel.winogradChannels
        print("  Winograd F(2x2, 3x3): other 3x3 stride-1 layers with \(winograd) or more channels on both sides"
              + (winograd == ConvKernel.defaultWinogradChannels ? " (the library's choice)" : " (--winograd-from)"))
        let from4x4 = ConvKernel.winograd4x4Channels
        print("  Winograd F(4x4, 3x3): 3x3 stride-1 layers on planes of at most 256 pixels with \(from4x4) or more channels"
              + (from4x4 == ConvKernel.defaultWinograd4x4Channels ? " (the library's choice)" : " (--winograd4x4-from)"))
        print("  parallel loops: " + (Parallel.usesWorkerPool ? "the kernel workers (spinning between loops)"
                                                             : "Dispatch (--dispatch)"))
        print("  block outputs: " + (options.keepBlockOutputs ? "kept for backward (--keep-block-outputs)"
                                                              : "recomputed in backward (the library's choice)"))
        print("  convolution outputs recomputed in backward: " + (options.keepBlockOutputs ? "none (--keep-block-outputs)"
            : options.recompute.map { "\($0.rawValue) (--recompute)" }
            ?? "the library's choice by batch (the stem's and the first stage's past 256 MiB of kept outputs)"))
        print("  every figure is the median of repeated runs; ± is half the fastest-to-slowest range")
    }

    /// The footer: the load seen at the end and how long the run took.
    static func printFooter(started: Double) {
        let seconds = monotonicSeconds() - started
        print("")
        print(String(format: "Done in %.0f s. Load average at end: %@", seconds, loadAverage))
    }
}
