import Foundation
import SimCLR

/// What a lesson prints and records: numbered steps, narrative, named values, and
/// "document | ours | verdict" checks. Everything printed is also written to a JSON report
/// (`figures/<lesson>-report.json` by default), which the tests read, so the numbers a
/// class sees are exactly the numbers that are verified.
public final class Report {
    public struct Check: Codable, Equatable {
        public let name: String
        public let source: String
        public let document: String
        public let documentValue: Double?
        public let ours: String
        public let oursValue: Double?
        public let verdict: String
        public let note: String?
    }

    /// Arithmetic on a document's own numbers, printed to explain it: not a check, because
    /// nothing the code computed is compared.
    public struct Explanation: Codable, Equatable {
        public let name: String
        public let source: String
        public let document: String
        public let arithmetic: String
        public let result: String
    }

    /// One thing the lesson printed, in the order it printed it: what a page or a notebook
    /// of the run walks through. `check` and `explanation` entries point into `checks` and
    /// `explanations` by index, so each number is stored once.
    public struct Entry: Codable, Equatable {
        public enum Kind: String, Codable { case step, say, value, text, check, explanation, table, figure, page }
        public let kind: Kind
        /// The step's title, the narrative line, the value's or text's name, or the figure's description.
        public let text: String
        /// The value as printed (with its unit), the text's value, or the figure's file name.
        public let detail: String?
        /// The index into `checks`, `explanations` or `tables`.
        public let index: Int?
        /// A step's code, cut from the lesson's source (nil for other entries, or when the
        /// source could not be read).
        public var code: SourceExcerpt? = nil
    }

    /// A table the lesson printed: column-aligned on the terminal, a real table on its page
    /// and in its notebook, and readable cell by cell from the JSON report.
    public struct Table: Codable, Equatable {
        /// Column headings.
        public let columns: [String]
        /// Whether each column is right-aligned (numbers) or left-aligned (names).
        public let rightAligned: [Bool]
        /// The cells, row by row, as printed.
        public let rows: [[String]]

        public init(columns: [String], rightAligned: [Bool], rows: [[String]]) {
            self.columns = columns
            self.rightAligned = rightAligned
            self.rows = rows
        }

        /// The printed lines: each column as wide as its widest cell, two spaces between.
        public var lines: [String] {
            let widths = columns.indices.map { c in ([columns[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
            func line(_ cells: [String]) -> String {
                cells.indices.map { c in
                    let gap = String(repeating: " ", count: max(0, widths[c] - cells[c].count))
                    return rightAligned[c] ? gap + cells[c] : cells[c] + gap
                }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            return [line(columns)] + rows.map(line)
        }
    }

    /// A fact about the run itself (seed, data, model, machine, command), shown with its pages.
    public struct Setting: Codable, Equatable {
        public let name: String
        public let value: String
    }

    public let lesson: String
    public let title: String
    /// One or two sentences: what the lesson teaches.
    public let summary: String
    public let url: URL?
    private(set) public var entries: [Entry] = []
    private(set) public var settings: [Setting] = []
    private(set) public var checks: [Check] = []
    private(set) public var explanations: [Explanation] = []
    private(set) public var tables: [Table] = []
    private(set) public var values: [String: Double] = [:]
    private(set) public var texts: [String: String] = [:]
    private(set) public var figures: [String] = []
    /// Where each figure was written, so a page can embed it.
    private var figureURLs: [String: URL] = [:]
    private var stepNumber = 0
    private let started = Date()
    private let output: (String) -> Void

    /// - Parameters:
    ///   - lesson: short name, e.g. "lesson1".
    ///   - title: printed as the lesson's heading.
    ///   - summary: what the lesson teaches, for its page and notebook.
    ///   - url: where the JSON report goes (nil: not written); the page (`<lesson>.html`) and the
    ///     notebook (`<lesson>.ipynb`) go beside it.
    public init(lesson: String, title: String, summary: String = "", url: URL?,
                output: @escaping (String) -> Void = { print($0) }) {
        self.lesson = lesson
        self.title = title
        self.summary = summary
        self.url = url
        self.output = output
        output(title)
        output(String(repeating: "═", count: min(78, title.count)))
    }

    /// Starts the next numbered step. The page and the notebook show the step's code from the
    /// lesson's source, found from where this call is (`file`, `line`: leave them to the caller's).
    public func step(_ title: String, file: String = #filePath, line: Int = #line) {
        stepNumber += 1
        let code = SourceExcerpt(path: file, line: line)
        entries.append(Entry(kind: .step, text: title, detail: nil, index: nil, code: code))
        output("")
        output("Step \(stepNumber) · \(title)")
        output(String(repeating: "─", count: min(78, title.count + 9)))
        // The step's prose comment in the lesson's source, so a reader of the terminal reads what a
        // reader of the source, the page or the notebook reads.
        for (i, paragraph) in (code?.prose ?? []).enumerated() {
            if i > 0 { output("") }
            for text in Report.wrap(paragraph, width: Report.lineWidth) { output("  " + text) }
        }
    }

    /// Narrative: a line, or a whole paragraph, which is wrapped at word boundaries to
    /// `lineWidth` columns when printed (the page and the notebook reflow it themselves).
    /// Text laid out in columns or indented (see `ReportSection.isAligned`) prints as given.
    public func say(_ text: String) {
        entries.append(Entry(kind: .say, text: text, detail: nil, index: nil))
        for line in ReportSection.isAligned(text) ? [text] : Report.wrap(text, width: Report.lineWidth) {
            output("  " + line)
        }
    }

    /// Columns of printed narrative, after the two-space indent.
    public static let lineWidth = 100

    /// `text` broken at spaces into lines of at most `width` characters (a longer word
    /// stays whole on its own line).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        lines.append(line)
        return lines
    }

    /// Records and prints a named number.
    @discardableResult
    public func value(_ name: String, _ v: Double, format: String = "%.4g", unit: String = "") -> Double {
        values[name] = v
        let printed = Report.format(v, format) + (unit.isEmpty ? "" : " " + unit)
        entries.append(Entry(kind: .value, text: name, detail: printed, index: nil))
        output("  \(name): \(printed)")
        return v
    }

    /// Records a named number without printing it (when a table already shows it).
    public func record(_ name: String, _ v: Double) {
        values[name] = v
    }

    /// A table column: its heading and which side its cells line up on.
    public enum Column {
        /// Names and words.
        case left(String)
        /// Numbers, so their digits line up.
        case right(String)
    }

    /// Prints a table in aligned columns and records it for the page, the notebook and the JSON.
    /// - Parameters:
    ///   - columns: the headings, e.g. `[.left(""), .right("features"), .right("2-D map")]`.
    ///   - rows: cells as they should print, one array per row, as many as `columns`.
    public func table(_ columns: [Column], _ rows: [[String]]) {
        contract(rows.allSatisfy { $0.count == columns.count }, "Report.table: every row needs \(columns.count) cells")
        let headings = columns.map { column -> String in
            switch column { case .left(let h), .right(let h): h }
        }
        let table = Table(columns: headings, rightAligned: columns.map { if case .right = $0 { true } else { false } }, rows: rows)
        entries.append(Entry(kind: .table, text: headings.joined(separator: " | "), detail: nil, index: tables.count))
        tables.append(table)
        for line in table.lines { output("  " + line) }
    }

    /// Records and prints a named piece of text (a configuration, a file path).
    public func text(_ name: String, _ v: String) {
        texts[name] = v
        entries.append(Entry(kind: .text, text: name, detail: v, index: nil))
        output("  \(name): \(v)")
    }

    /// Records a fact about the run (the data actually read, the model evaluated) for the
    /// settings table of its page and notebook, without printing it.
    public func setting(_ name: String, _ value: String) {
        if let i = settings.firstIndex(where: { $0.name == name }) {
            settings[i] = Setting(name: name, value: value)
        } else {
            settings.append(Setting(name: name, value: value))
        }
    }

    /// Compares our number with a document's and prints one aligned line:
    /// `  name   card 0.713 | ours 0.713 | ✓`.
    /// - Parameters:
    ///   - tolerance: absolute tolerance for ✓; use the document's printed precision.
    ///   - exception: when the numbers disagree, the ⚠ or ≠ verdict to give instead of ✗, if its
    ///     computed condition holds. A number that is not finite (NaN, ∞) is always ✗.
    @discardableResult
    public func check(_ name: String, source: Source, document: Double, ours: Double, tolerance: Double,
                      format: String = "%.3f", unit: String = "", unless exception: Exception? = nil) -> Verdict {
        let verdict = Report.verdict(document: document, ours: ours, tolerance: tolerance, exception: exception)
        record(check: name, source: source, document: Report.format(document, format) + unit, documentValue: document,
               ours: Report.format(ours, format) + unit, oursValue: ours, verdict: verdict)
        return verdict
    }

    /// The verdict of a numeric check: ✓ within `tolerance`; else the exception's verdict if its
    /// condition holds; else ✗. Not-finite numbers are ✗ whatever the exception says.
    public static func verdict(document: Double, ours: Double, tolerance: Double, exception: Exception?) -> Verdict {
        guard document.isFinite && ours.isFinite else { return .differs }
        if abs(document - ours) <= tolerance * (1 + 1e-9) { return .agrees }
        if let exception, exception.holds { return exception.verdict }
        return .differs
    }

    /// A check of a non-numeric fact (a shape, a rule): agrees when the strings are equal.
    @discardableResult
    public func check(_ name: String, source: Source, document: String, ours: String,
                      unless exception: Exception? = nil) -> Verdict {
        let verdict: Verdict = document == ours ? .agrees : (exception.flatMap { $0.holds ? $0.verdict : nil } ?? .differs)
        record(check: name, source: source, document: document, documentValue: nil, ours: ours, oursValue: nil,
               verdict: verdict)
        return verdict
    }

    /// Prints arithmetic on a document's own numbers, e.g. the card's 200 epochs at its epoch 1's
    /// 8 min against its "26 hours": `  name   card 26 | 200 x 8 min / 60 = 26.7 | (explanation, not a check)`.
    /// Recorded in the report apart from the checks.
    public func explain(_ name: String, source: Source, document: String, arithmetic: String, result: String) {
        entries.append(Entry(kind: .explanation, text: name, detail: nil, index: explanations.count))
        explanations.append(Explanation(name: name, source: source.rawValue, document: document, arithmetic: arithmetic,
                                        result: result))
        let label = name.padding(toLength: max(name.count, 40), withPad: " ", startingAt: 0)
        output("  \(label)  \(source.label) \(document) | \(arithmetic) = \(result) | (arithmetic on the document's numbers, not a check)")
    }

    private func record(check name: String, source: Source, document: String, documentValue: Double?,
                        ours: String, oursValue: Double?, verdict: Verdict) {
        entries.append(Entry(kind: .check, text: name, detail: nil, index: checks.count))
        checks.append(Check(name: name, source: source.rawValue, document: document, documentValue: documentValue,
                            ours: ours, oursValue: oursValue, verdict: verdict.code, note: verdict.reason))
        let label = name.padding(toLength: max(name.count, 40), withPad: " ", startingAt: 0)
        output("  \(label)  \(source.label) \(document) | ours \(ours) | \(verdict.symbol)")
        if let reason = verdict.reason { output("      ↳ \(reason)") }
    }

    /// Notes a figure the lesson wrote.
    public func figure(_ url: URL, _ description: String) {
        figures.append(url.lastPathComponent)
        figureURLs[url.lastPathComponent] = url
        entries.append(Entry(kind: .figure, text: description, detail: url.lastPathComponent, index: nil))
        output("  figure: \(Report.displayPath(url)) — \(description)")
    }

    /// A companion page the lesson wrote beside its figures (an interactive explorer, say):
    /// its page, its notebook and the walkthrough's index link to it.
    public func page(_ url: URL, _ description: String) {
        entries.append(Entry(kind: .page, text: description, detail: url.lastPathComponent, index: nil))
        output("  page: \(Report.displayPath(url)) — \(description)")
    }

    /// Prints the summary and writes the JSON report, the lesson's page (`<lesson>.html`)
    /// and its notebook (`<lesson>.ipynb`) beside it, each atomically and all from the same
    /// records.
    public func finish() throws {
        let counts = Dictionary(grouping: checks, by: \.verdict).mapValues(\.count)
        let seconds = Date().timeIntervalSince(started)
        output("")
        output("Checks: \(checks.count) — \(counts["agrees"] ?? 0) ✓, \(counts["differs"] ?? 0) ✗, "
               + "\(counts["document-inconsistent"] ?? 0) document inconsistent, \(counts["different-setup"] ?? 0) different setup"
               + String(format: "  (%.1f s)", seconds))
        if !checks.isEmpty {
            output("What each document states and how each verdict is decided: docs/documents.md")
        }
        guard let url else { return }
        let body = ReportFile(lesson: lesson, title: title, summary: summary, seconds: seconds, checks: checks,
                              explanations: explanations, tables: tables, values: values, texts: texts, figures: figures,
                              entries: entries, settings: settings)
        try AtomicFile.write(try body.encoded(), to: url)
        let folder = url.deletingLastPathComponent()
        let page = folder.appendingPathComponent("\(lesson).html")
        let notebook = folder.appendingPathComponent("\(lesson).ipynb")
        // A figure that could not be read shows on the page as a line saying so.
        var images: [String: Data] = [:]
        for name in figures { images[name] = figureURLs[name].flatMap { try? Data(contentsOf: $0) } }
        try AtomicFile.write(Data(LessonPage(report: body, images: images).html.utf8), to: page)
        try AtomicFile.write(try LessonNotebook(report: body, images: images).encoded(), to: notebook)
        output("Report: \(Report.displayPath(url)); page \(Report.displayPath(page)); notebook \(Report.displayPath(notebook))")
    }

    /// `String(format:)` plus one extension: a `,` flag (`"%,.0f"`) groups thousands,
    /// so counts print as 50,000 rather than 50000.
    public static func format(_ v: Double, _ format: String) -> String {
        guard format.contains(",") else { return String(format: format, v) }
        let plain = String(format: format.replacingOccurrences(of: ",", with: ""), v)
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1)
        var digits = Array(parts[0])
        var i = digits.count - 3
        while i > 0 { digits.insert(",", at: i); i -= 3 }
        return (negative ? "-" : "") + String(digits) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A path relative to the current directory when it lies inside it.
    public static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
    }
}

/// The JSON written by `Report.finish()` and read back by the tests, the walkthrough's index
/// and the pages.
public struct ReportFile: Codable {
    /// Reads a report written by `Report.finish()` (NaN and infinities are strings there).
    public static func read(_ url: URL) -> ReportFile? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                        nan: "nan")
        return try? decoder.decode(ReportFile.self, from: data)
    }

    public let lesson: String
    public let title: String
    public let summary: String
    public let seconds: Double
    public let checks: [Report.Check]
    public let explanations: [Report.Explanation]
    /// The tables the lesson printed (`Report.table`), in order.
    public let tables: [Report.Table]
    public let values: [String: Double]
    public let texts: [String: String]
    public let figures: [String]
    /// Everything printed, in order.
    public let entries: [Report.Entry]
    public let settings: [Report.Setting]

    /// The report as JSON (NaN and infinities as strings, so a value that could not be
    /// measured never makes the whole report unwritable).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return try encoder.encode(self)
    }

    /// How many checks got each verdict code ("agrees", "differs", …).
    public func count(_ verdict: String) -> Int { checks.filter { $0.verdict == verdict }.count }

    /// Whether this was a `--quick` run.
    public var isQuick: Bool { settings.contains { $0.name == "quick run" && $0.value == "yes" } }
}
