import Foundation

/// A one-line progress bar on a terminal (redrawn in place with `\r`), or plain
/// occasional lines when the output is a file or a pipe (tests, CI logs).
public final class ProgressBar {
    private let total: Int
    private let start: Int
    private let label: String
    private let interactive: Bool
    private let started = Date()
    private var lastPlain = Date.distantPast
    private var lastDraw = Date.distantPast

    /// - Parameters:
    ///   - total: units of the whole job.
    ///   - label: the word in front of the bar.
    ///   - start: units already done before this process started (a resumed run), so the
    ///     ETA comes from this run's own pace rather than counting them as done in no time.
    public init(total: Int, label: String, start: Int = 0) {
        self.total = max(1, total)
        self.start = min(max(0, start), self.total - 1)
        self.label = label
        self.interactive = isatty(STDOUT_FILENO) == 1
    }

    /// Reports `done` of `total` units with an optional status (e.g. "loss 5.12").
    public func update(_ done: Int, status: String = "") {
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        let fraction = Double(min(done, total)) / Double(total)
        let eta = Self.remaining(elapsed: elapsed, done: done, total: total, start: start)
        let timing = "\(Self.clock(elapsed)) elapsed, ETA \(Self.clock(eta))"
        if interactive {
            guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
            lastDraw = now
            let width = 28, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = "\r  \(label) \(bar) \(done)/\(total) \(status)  \(timing)"
            FileHandle.standardOutput.write(Data((line + "\u{1B}[K").utf8))
            if done >= total { FileHandle.standardOutput.write(Data("\n".utf8)) }
        } else if done >= total || now.timeIntervalSince(lastPlain) >= 10 {
            lastPlain = now
            print("  \(label) \(done)/\(total) \(status)  \(timing)")
        }
    }

    /// Seconds left at this run's pace: `elapsed` seconds did `done - start` units, and
    /// `total - done` remain (0 before the first unit of this run).
    public static func remaining(elapsed: Double, done: Int, total: Int, start: Int) -> Double {
        let done = min(done, total), doneHere = done - start
        return doneHere > 0 ? elapsed * Double(total - done) / Double(doneHere) : 0
    }

    /// `m:ss` (or `h:mm:ss`).
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
