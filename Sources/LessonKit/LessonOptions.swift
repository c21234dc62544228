import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SimCLR

/// The flags every lesson takes.
public struct LessonOptions: ParsableArguments {
    @Flag(help: "Run a seconds-long version on little data (for tests and a first look).")
    public var quick = false

    @Option(help: "Folder with CIFAR-10 (binary batches or train/ and test/ image folders). Default: data/ under the project, else the bundled sample.")
    public var data: String?

    @Option(help: "Seed of the one random generator: the same seed prints the same numbers on every machine.")
    public var seed: UInt64 = 0

    @Flag(help: "Run the explicit-loop reference kernels instead of the optimized SIMD path (slow; for checking).")
    public var reference = false

    @Option(help: "Folder for the figures and the JSON report.")
    public var figures = "figures"

    @Option(help: "Where to write the machine-readable report (default: <figures>/<lesson>-report.json).")
    public var report: String?

    @Option(help: "Render figures at this multiple of their size (1 or 2; 2 for high-resolution slides).")
    public var scale = 1

    @Option(help: "Worker threads for the kernels (default: all cores, or fewer if a container's CPU quota allows fewer).")
    public var threads: Int?

    /// Stops right after the flags are parsed and validated: how the tests keep every command
    /// in docs/teaching.md runnable without running it.
    @Flag(help: .hidden)
    public var parseOnly = false

    public init() {}

    public func validate() throws {
        guard scale == 1 || scale == 2 else {
            throw ValidationError("--scale must be 1 or 2 (got \(scale))")
        }
        if let threads, threads < 1 || threads > 256 {
            throw ValidationError("--threads must be between 1 and 256 (got \(threads))")
        }
    }

    /// Applies the global switches: kernel path, thread count, line-buffered output.
    public func apply() {
        if parseOnly {
            print("flags accepted")
            Foundation.exit(0)
        }
        // Line-buffered output: progress lines reach a log file or a pipe as they happen,
        // not when a 4 KiB buffer fills.
        setvbuf(stdout, nil, _IOLBF, 0)
        RunSettings.apply(path: reference ? .reference : .optimized, threads: threads)
    }

    /// Where Lesson 4 saves its checkpoint and Lessons 5 and 6 look for it, unless
    /// `--checkpoint` says otherwise. Quick runs use their own file, so trying `--quick`
    /// never overwrites a model that took minutes to train.
    public var defaultCheckpoint: String { Self.lesson4Checkpoint(quick: quick) }

    /// Lesson 4's classroom checkpoint, for a quick run or a full one: the one place that names it.
    public static func lesson4Checkpoint(quick: Bool) -> String {
        quick ? "checkpoints/lesson4-quick.safetensors" : "checkpoints/lesson4.safetensors"
    }

    /// The lesson's report, with the run's settings recorded for its page and notebook: the
    /// seed, whether it is a quick run, the kernels, the machine and the exact command.
    /// - Parameters:
    ///   - lesson: short name, e.g. "lesson3" (names the report, page and notebook files).
    ///   - title: the lesson's heading.
    ///   - summary: what the lesson teaches, in a sentence or two.
    public func report(lesson: String, title: String, summary: String) -> Report {
        let report = Report(lesson: lesson, title: title, summary: summary, url: reportURL(lesson: lesson))
        report.setting("command", RunContext.command)
        report.setting("seed", String(seed))
        report.setting("quick run", quick ? "yes" : "no")
        report.setting("kernels", reference ? "reference loops (--reference)" : "optimized SIMD path")
        report.setting("machine", RunContext.machine(threads: Parallel.threadCount))
        report.setting("date", RunContext.date)
        return report
    }

    /// The figures folder as a URL (relative paths are relative to the current directory).
    public var figuresFolder: URL { URL(fileURLWithPath: figures) }

    /// Where a figure called `name` goes.
    public func figureURL(_ name: String) -> URL { figuresFolder.appendingPathComponent(name) }

    /// Where the JSON report of `lesson` goes.
    public func reportURL(lesson: String) -> URL {
        report.map { URL(fileURLWithPath: $0) } ?? figuresFolder.appendingPathComponent("\(lesson)-report.json")
    }
}
