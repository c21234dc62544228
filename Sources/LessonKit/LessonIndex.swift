import Foundation

/// The walkthrough's `index.html`: every lesson of the run with its check counts by verdict,
/// its run time and thumbnails of its figures, each linking to the lesson's page. It sits in
/// the figures folder beside the pages and PNGs it links to.
public struct LessonIndex {
    /// The six lessons' executables, in teaching order: the walkthrough runs them from this list.
    /// (Package.swift, which cannot import code, declares the same list; a test compares the two.)
    public static let lessons = ["Lesson1-Dataset", "Lesson2-Model", "Lesson3-Augmentation", "Lesson4-Training",
                                 "Lesson5-LinearProbe", "Lesson6-TSNE"]

    /// One lesson of the walkthrough: its executable, its report (nil if it wrote none) and the
    /// seconds the walkthrough measured for it.
    public struct Entry {
        public let executable: String
        public let report: ReportFile?
        public let seconds: Double

        public init(executable: String, report: ReportFile?, seconds: Double) {
            self.executable = executable
            self.report = report
            self.seconds = seconds
        }
    }

    public let entries: [Entry]
    /// The flags the walkthrough passed to every lesson.
    public let arguments: [String]

    public init(entries: [Entry], arguments: [String]) {
        self.entries = entries
        self.arguments = arguments
    }

    public var html: String {
        let quick = arguments.contains("--quick")
        let title = "SimCLR in Swift — the six lessons" + (quick ? " (quick run)" : "")
        var body: [HTML] = [.el("h1", text: title)]
        body.append(.el("p", [("class", "summary")],
                        text: "One run of all six lessons, as `swift run Walkthrough` made it. Each lesson's page "
                            + "has its steps, its checks against the two source documents and its figures."))
        if quick {
            body.append(.el("p", [("class", "banner")],
                            text: "A quick run (--quick): every lesson on little data and few steps, to show that "
                                + "everything works. Its numbers are not the lessons' results; run "
                                + "swift run Walkthrough without --quick for those."))
        }
        let total = entries.map(\.seconds).reduce(0, +)
        body.append(.el("p", [("class", "tally")],
                        text: "\(entries.count) lessons · \(entries.compactMap(\.report).map(\.checks.count).reduce(0, +)) checks · "
                            + "\(LessonPage.duration(total)) in all"))
        body.append(.el("div", [("class", "lessons")], entries.map(card)))
        let command = (["swift", "run", "Walkthrough"] + arguments.map(RunContext.shellQuoted)).joined(separator: " ")
        body.append(.el("section", [("class", "settings")], [
            .el("h2", text: "This run"),
            .el("pre", [("class", "command")], text: command),
            .el("p", text: "\(RunContext.machine(threads: ProcessInfo.processInfo.activeProcessorCount)), \(RunContext.date)"),
        ]))
        return PageStyle.document(title: title, body: body)
    }

    private func card(_ entry: Entry) -> HTML {
        guard let report = entry.report else {
            return .el("div", [("class", "lesson")], [
                .el("h2", text: entry.executable),
                .el("p", [("class", "missing")], text: "No report: the lesson did not finish (see the walkthrough's output)."),
            ])
        }
        let page = "\(report.lesson).html"
        let chips: [HTML] = [("agrees", "✓"), ("differs", "✗"), ("document-inconsistent", "⚠"), ("different-setup", "≠")]
            .map { code, symbol in
                .el("span", [("class", "chip \(code)"), ("title", VerdictText.label(code))], text: "\(symbol) \(report.count(code))")
            }
        let thumbs = report.figures.map { file in
            HTML.el("a", [("href", page)], [.el("img", [("src", file), ("alt", file)])])
        }
        return .el("div", [("class", "lesson")], [
            .el("h2", [], [.el("a", [("href", page)], text: report.title)]),
            .el("p", text: report.summary),
            .el("p", [], [.text("\(report.checks.count) checks ")] + chips
                + [.text(" · \(LessonPage.duration(entry.seconds)) · "), .el("a", [("href", "\(report.lesson).ipynb")], text: "notebook")]),
            .el("div", [("class", "thumbs")], thumbs),
        ] + report.entries.filter { $0.kind == .page }.map { entry in
            .el("p", [("class", "companion")], [.el("a", [("href", entry.detail ?? "")], text: entry.text)])
        })
    }
}
