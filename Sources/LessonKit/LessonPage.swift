import Foundation

/// A lesson run as one self-contained HTML page: its steps, prose and values, the checks as
/// tables coloured by verdict, every figure inline (PNG embedded), and the run's settings with
/// the command that reproduces it. No script, no network, no external font; one inline style
/// sheet that reads on a projector, on a phone and on paper.
///
/// Rendered from the `ReportFile` that `Report.finish()` also writes as JSON, so the page
/// shows the same numbers and verdicts the tests read.
public struct LessonPage {
    public let report: ReportFile
    /// The PNG bytes of each figure, by file name.
    public let images: [String: Data]

    public init(report: ReportFile, images: [String: Data]) {
        self.report = report
        self.images = images
    }

    /// The page's markup.
    public var html: String {
        var body: [HTML] = [.el("h1", text: report.title)]
        if !report.summary.isEmpty { body.append(.el("p", [("class", "summary")], text: report.summary)) }
        if report.isQuick {
            body.append(.el("p", [("class", "banner")],
                            text: "A quick run (--quick): little data and few steps, to show the lesson works. "
                                + "Its numbers are not the lesson's results; run it without --quick for those."))
        }
        body.append(.el("p", [("class", "tally")], text: LessonPage.tally(report)))
        for section in ReportSection.sections(of: report) {
            var nodes: [HTML] = []
            if let title = section.title { nodes.append(.el("h2", text: title)) }
            if let code = section.code {
                nodes += code.prose.map { .el("p", [("class", "prose")], text: $0) }
                nodes.append(LessonPage.codeBlock(code))
            }
            nodes += section.blocks.map(render)
            body.append(.el("section", [], nodes))
        }
        body.append(settings)
        return PageStyle.document(title: report.title, body: body)
    }

    /// A step's code as it stands in the lesson's source (its prose shown above it, as text),
    /// comments set apart from the code, with where it is. Lines wrap rather than scroll, so it
    /// reads on a projector and on a phone.
    static func codeBlock(_ excerpt: SourceExcerpt) -> HTML {
        let lines = excerpt.statements.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var spans: [HTML] = []
        for (i, line) in lines.enumerated() {
            let isComment = line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
            spans.append(isComment ? .el("span", [("class", "comment")], text: line) : .text(line))
            if i < lines.count - 1 { spans.append(.text("\n")) }
        }
        return .el("figure", [("class", "code")], [
            .el("pre", [("class", "code")], [.el("code", [("class", "language-swift")], spans)]),
            .el("figcaption", text: "the code of this step: \(excerpt.file), from line \(excerpt.statementsLine)"),
        ])
    }

    /// "27 checks: 20 ✓ agree, 0 ✗ differ, 3 ⚠ document inconsistent, 4 ≠ different setup · 12.3 s".
    public static func tally(_ report: ReportFile) -> String {
        "\(report.checks.count) checks: \(report.count("agrees")) ✓ agree, \(report.count("differs")) ✗ differ, "
            + "\(report.count("document-inconsistent")) ⚠ document inconsistent, "
            + "\(report.count("different-setup")) ≠ different setup · run took \(LessonPage.duration(report.seconds))"
    }

    private func render(_ block: ReportSection.Block) -> HTML {
        switch block {
        case .prose(let lines):
            return .el("p", text: lines.joined(separator: " "))
        case .aligned(let lines):
            return .el("pre", text: lines.joined(separator: "\n"))
        case .values(let pairs):
            return .el("table", [("class", "values")], pairs.map { pair in
                .el("tr", [], [.el("th", [("scope", "row")], text: pair.name),
                               .el("td", text: VerdictText.measured(pair.value))])
            })
        case .table(let table):
            func cell(_ tag: String, _ text: String, _ column: Int) -> HTML {
                .el(tag, table.rightAligned[column] ? [("class", "number")] : [], text: text)
            }
            let header = HTML.el("tr", [], table.columns.indices.map { cell("th", table.columns[$0], $0) })
            // Headings wrap; cells do not. A table wider than a phone scrolls inside its own box.
            return .el("div", [("class", "data")], [.el("table", [("class", "data")], [header] + table.rows.map { row in
                .el("tr", [], row.indices.map { cell("td", VerdictText.measured(row[$0]), $0) })
            })])
        case .checks(let checks):
            let header = HTML.el("tr", [], ["check", "document", "ours", "verdict"].map { .el("th", [("scope", "col")], text: $0) })
            return .el("table", [("class", "checks")], [header] + checks.map(row))
        case .explanations(let explanations):
            let header = HTML.el("tr", [], ["arithmetic on a document's numbers", "document", "worked out"]
                .map { .el("th", [("scope", "col")], text: $0) })
            return .el("table", [("class", "explanations")], [header] + explanations.map { e in
                .el("tr", [], [.el("td", text: e.name),
                               .el("td", text: "\(VerdictText.source(e.source)): \(e.document)"),
                               .el("td", text: "\(e.arithmetic) = \(e.result)")])
            })
        case .figure(let file, let description):
            return figure(file: file, description: description)
        case .page(let file, let description):
            return .el("p", [("class", "companion")], [.text("Open "), .el("a", [("href", file)], text: description),
                                                       .text(" (\(file), in this folder).")])
        }
    }

    private func row(_ check: Report.Check) -> HTML {
        var verdict: [HTML] = [.el("span", [("class", "symbol")], text: VerdictText.label(check.verdict))]
        if let note = check.note { verdict.append(.el("span", [("class", "reason")], text: note)) }
        return .el("tr", [("class", "check \(check.verdict)")], [
            .el("td", text: check.name),
            .el("td", [("class", "document")], text: "\(VerdictText.source(check.source)): \(VerdictText.measured(check.document))"),
            .el("td", [("class", "ours")], text: VerdictText.measured(check.ours)),
            .el("td", [("class", "verdict")], verdict),
        ])
    }

    private func figure(file: String, description: String) -> HTML {
        guard let png = images[file] else {
            return .el("p", [("class", "missing")], text: "Figure \(file) was not written: \(description)")
        }
        var attributes = [("src", "data:image/png;base64," + png.base64EncodedString()), ("alt", description)]
        if let (width, height) = LessonPage.pngSize(png) {
            attributes += [("width", String(width)), ("height", String(height))]
        }
        return .el("figure", [], [.el("img", attributes), .el("figcaption", text: "\(description) (\(file))")])
    }

    private var settings: HTML {
        var rows = report.settings.filter { $0.name != "command" }.map { ($0.name, $0.value) }
        rows.append(("time taken", LessonPage.duration(report.seconds)))
        let command = report.settings.first { $0.name == "command" }?.value
        var nodes: [HTML] = [.el("h2", text: "This run")]
        if let command {
            nodes.append(.el("p", text: "To reproduce it, from the project's folder:"))
            nodes.append(.el("pre", [("class", "command")], text: command))
        }
        nodes.append(.el("table", [("class", "values")], rows.map { name, value in
            .el("tr", [], [.el("th", [("scope", "row")], text: name), .el("td", text: value)])
        }))
        return .el("section", [("class", "settings")], nodes)
    }

    /// A run time as a reader says it: "8.4 s", "2 min 35 s", "1 h 05 min".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "unknown" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        return s < 3600 ? "\(s / 60) min \(s % 60) s" : String(format: "%d h %02d min", s / 3600, s / 60 % 60)
    }

    /// Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian), or nil if `data` is no PNG.
    public static func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0 ..< 8] == [137, 80, 78, 71, 13, 10, 26, 10] else { return nil }
        func word(_ at: Int) -> Int { bytes[at ..< at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}
