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

    public let lesson: String
    public let url: URL?
    private(set) public var checks: [Check] = []
    private(set) public var explanations: [Explanation] = []
    private(set) public var values: [String: Double] = [:]
    private(set) public var texts: [String: String] = [:]
    private(set) public var figures: [String] = []
    private var stepNumber = 0
    private let started = Date()
    private let output: (String) -> Void

    /// - Parameters:
    ///   - lesson: short name, e.g. "lesson1".
    ///   - title: printed as the lesson's heading.
    ///   - url: where the JSON report goes (nil: not written).
    public init(lesson: String, title: String, url: URL?, output: @escaping (String) -> Void = { print($0) }) {
        self.lesson = lesson
        self.url = url
        self.output = output
        output(title)
        output(String(repeating: "═", count: min(78, title.count)))
    }

    /// Starts the next numbered step.
    public func step(_ title: String) {
        stepNumber += 1
        output("")
        output("Step \(stepNumber) · \(title)")
        output(String(repeating: "─", count: min(78, title.count + 9)))
    }

    /// A line of narrative.
    public func say(_ text: String) {
        output("  " + text)
    }

    /// Records and prints a named number.
    @discardableResult
    public func value(_ name: String, _ v: Double, format: String = "%.4g", unit: String = "") -> Double {
        values[name] = v
        output("  \(name): \(Report.format(v, format))\(unit.isEmpty ? "" : " " + unit)")
        return v
    }

    /// Records a named number without printing it (when a table already shows it).
    public func record(_ name: String, _ v: Double) {
        values[name] = v
    }

    /// Records and prints a named piece of text (a configuration, a file path).
    public func text(_ name: String, _ v: String) {
        texts[name] = v
        output("  \(name): \(v)")
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

    /// Prints arithmetic on a document's own numbers, e.g. its 200 epochs x 8 min against its
    /// "26 hours": `  name   card 26 | 200 x 8 min / 60 = 26.7 | (explanation, not a check)`.
    /// Recorded in the report apart from the checks.
    public func explain(_ name: String, source: Source, document: String, arithmetic: String, result: String) {
        explanations.append(Explanation(name: name, source: source.rawValue, document: document, arithmetic: arithmetic,
                                        result: result))
        let label = name.padding(toLength: max(name.count, 40), withPad: " ", startingAt: 0)
        output("  \(label)  \(source.label) \(document) | \(arithmetic) = \(result) | (arithmetic on the document's numbers, not a check)")
    }

    private func record(check name: String, source: Source, document: String, documentValue: Double?,
                        ours: String, oursValue: Double?, verdict: Verdict) {
        checks.append(Check(name: name, source: source.rawValue, document: document, documentValue: documentValue,
                            ours: ours, oursValue: oursValue, verdict: verdict.code, note: verdict.reason))
        let label = name.padding(toLength: max(name.count, 40), withPad: " ", startingAt: 0)
        output("  \(label)  \(source.label) \(document) | ours \(ours) | \(verdict.symbol)")
        if let reason = verdict.reason { output("      ↳ \(reason)") }
    }

    /// Notes a figure the lesson wrote.
    public func figure(_ url: URL, _ description: String) {
        figures.append(url.lastPathComponent)
        output("  figure: \(Report.displayPath(url)) — \(description)")
    }

    /// Prints the summary and writes the JSON report atomically.
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
        let body = ReportFile(lesson: lesson, seconds: seconds, checks: checks, explanations: explanations, values: values,
                              texts: texts, figures: figures)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // A value that could not be measured (NaN) must not make the whole report unwritable.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        try AtomicFile.write(try encoder.encode(body), to: url)
        output("Report: \(Report.displayPath(url))")
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

/// The JSON written by `Report.finish()` and read back by the tests.
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
    public let seconds: Double
    public let checks: [Report.Check]
    public let explanations: [Report.Explanation]
    public let values: [String: Double]
    public let texts: [String: String]
    public let figures: [String]
}
