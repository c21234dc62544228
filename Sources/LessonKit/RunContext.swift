import Foundation

/// What a page needs to say about the run itself: the command that reproduces it, the
/// machine it ran on and when.
public enum RunContext {
    /// The command as a user types it: `swift run <lesson> <arguments>`, each argument quoted
    /// for a POSIX shell when it needs it.
    public static var command: String {
        let arguments = CommandLine.arguments
        let executable = URL(fileURLWithPath: arguments.first ?? "lesson").lastPathComponent
        return (["swift", "run", executable] + arguments.dropFirst().map(shellQuoted)).joined(separator: " ")
    }

    /// `word` as one shell word: unchanged when it holds only safe characters, else in single quotes.
    public static func shellQuoted(_ word: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.unicodeScalars.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The processor's name, its core count and the threads the kernels use, e.g.
    /// "Intel(R) Xeon(R) Processor, 2 cores, 2 threads, Linux".
    public static func machine(threads: Int) -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown processor"
        #if os(Linux)
        let system = "Linux"
        #elseif os(macOS)
        let system = "macOS"
        #else
        let system = "unknown system"
        #endif
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "\(model), \(cores) core\(cores == 1 ? "" : "s"), \(threads) thread\(threads == 1 ? "" : "s"), \(system)"
    }

    /// The current time in UTC, to the minute (e.g. "2026-12-03 06:40 UTC").
    public static var date: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date())
    }
}
