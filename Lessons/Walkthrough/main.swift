// The whole course in one command: runs the six lessons in order, as a class would, and
// ends with a summary of each lesson's checks, time and figures.
//
//     swift run Walkthrough              # the bundled defaults (13 minutes on 2 cores with the full
//                                        # CIFAR-10 in the recorded run; less with the bundled sample)
//     swift run Walkthrough --quick      # every lesson's seconds-long version
//
// Any flags are passed on to every lesson (e.g. --data DIR, --seed N, --scale 2).
import Foundation
import LessonKit
import SimCLR

let lessons = LessonIndex.lessons
let passThrough = Array(CommandLine.arguments.dropFirst())
if passThrough.contains("--help") || passThrough.contains("-h") {
    print("""
    USAGE: swift run Walkthrough [lesson flags]

    Runs \(lessons.joined(separator: ", ")) in order with the same flags
    (e.g. --quick, --data DIR, --seed N, --figures DIR, --scale 2) and prints a summary.
    Stops at the first lesson that fails.
    """)
    exit(0)
}
let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let figures = passThrough.firstIndex(of: "--figures").flatMap { i in i + 1 < passThrough.count ? passThrough[i + 1] : nil }
    ?? "figures"

struct Outcome {
    let lesson: String
    let seconds: Double
    let report: ReportFile?
}

var outcomes: [Outcome] = []

/// Writes `index.html` beside the lessons' pages: every lesson run so far, linked.
@MainActor func writeIndex() {
    let index = LessonIndex(entries: outcomes.map { LessonIndex.Entry(executable: $0.lesson, report: $0.report, seconds: $0.seconds) },
                            arguments: passThrough)
    let url = URL(fileURLWithPath: figures).appendingPathComponent("index.html")
    do {
        try AtomicFile.write(Data(index.html.utf8), to: url)
    } catch {
        FileHandle.standardError.write(Data("Walkthrough: cannot write \(url.path): \(error)\n".utf8))
    }
}

for lesson in lessons {
    print("\n▶ \(lesson) \(passThrough.joined(separator: " "))\n")
    // Piped into a file or `tee`, stdout is block-buffered: without a flush this header
    // would land after the lesson's own output.
    fflush(nil)
    let started = Date()
    let process = Process()
    process.executableURL = folder.appendingPathComponent(lesson)
    process.arguments = passThrough
    do {
        try process.run()
    } catch {
        FileHandle.standardError.write(Data("Walkthrough: cannot start \(lesson) (\(error)); build with `swift build` first\n".utf8))
        exit(1)
    }
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(started)
    let reportURL = URL(fileURLWithPath: figures).appendingPathComponent(
        "\(lesson.prefix(7).lowercased())-report.json")
    let report = ReportFile.read(reportURL)
    outcomes.append(Outcome(lesson: lesson, seconds: seconds, report: report))
    guard process.terminationStatus == 0 else {
        writeIndex()
        FileHandle.standardError.write(Data("Walkthrough: \(lesson) failed (exit \(process.terminationStatus)); stopping\n".utf8))
        exit(process.terminationStatus)
    }
}

print("\n══ Summary ══════════════════════════════════════════════════════════════")
print("lesson                    time   checks  ✓    ✗   ⚠ doc  ≠ setup  figures")
for o in outcomes {
    let checks = o.report?.checks ?? []
    func count(_ v: String) -> Int { checks.filter { $0.verdict == v }.count }
    print(o.lesson.padding(toLength: 22, withPad: " ", startingAt: 0)
          + ProgressBar.clock(o.seconds).leftAligned(8) + String(checks.count).leftAligned(8)
          + String(count("agrees")).leftAligned(5) + String(count("differs")).leftAligned(4)
          + String(count("document-inconsistent")).leftAligned(7) + String(count("different-setup")).leftAligned(9)
          + (o.report?.figures.count).map(String.init).map { $0.leftAligned(7) }.orEmpty)
}
writeIndex()
print("Total: \(ProgressBar.clock(outcomes.map(\.seconds).reduce(0, +))); figures and reports in \(figures)/")
print("Pages: \(figures)/index.html links every lesson's page (lessonN.html) and notebook (lessonN.ipynb).")

extension String {
    func leftAligned(_ width: Int) -> String {
        count >= width ? self + " " : String(repeating: " ", count: width - count) + self
    }
}

extension Optional where Wrapped == String {
    var orEmpty: String { self ?? "" }
}
