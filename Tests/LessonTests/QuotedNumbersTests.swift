import Foundation
import LessonKit
import XCTest

/// Every number README.md and docs/teaching.md quote from a run is a number the full-data
/// walkthrough printed. `docs/record/` keeps that run's six reports (written by
/// `scripts/record/update.sh`, with the commit and machine in `run.json`), and
/// `docs/record/quotes.json` lists each passage of the docs that quotes a run with the lesson
/// it comes from. So a change that moves the classroom numbers cannot leave the docs behind:
/// re-recording makes these tests fail until the docs say the new numbers.
final class QuotedNumbersTests: XCTestCase {
    private struct Quotes: Decodable {
        /// Parts of a file in which every number with a unit must lie inside a quote.
        struct Scope: Decodable { let file: String; let from: String; let to: String }
        struct Quote: Decodable { let file: String; let lesson: String; let text: String }
        let scopes: [Scope]
        let quotes: [Quote]
    }

    private let root = LessonRunner.projectRoot
    private let record = LessonRunner.projectRoot.appendingPathComponent("docs/record")

    /// Whitespace (line breaks of the markdown included) collapsed to single spaces.
    private func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    private func quotes() throws -> Quotes {
        try JSONDecoder().decode(Quotes.self, from: Data(contentsOf: record.appendingPathComponent("quotes.json")))
    }

    /// The numbers in a text: "50,000" is 50000, "-0.23" is -0.23; each with its decimals.
    private func numbers(in text: String) -> [(value: Double, decimals: Int, range: Range<String.Index>)] {
        let pattern = try! NSRegularExpression(pattern: "(?<![\\w.])-?\\d{1,3}(,\\d{3})+(\\.\\d+)?|(?<![\\w.])-?\\d+(\\.\\d+)?")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            guard let range = Range(m.range, in: text) else { return nil }
            let token = text[range].replacingOccurrences(of: ",", with: "")
            guard let value = Double(token) else { return nil }
            let decimals = token.split(separator: ".").dropFirst().first?.count ?? 0
            return (value, decimals, range)
        }
    }

    /// Every number a lesson's report holds as printed (narrative, values, checks, tables, texts),
    /// plus its run time in seconds, minutes, and the seconds of "N min S s", and how many checks
    /// it made and how many got each verdict (its closing "Checks:" line).
    private func printed(_ lesson: String) throws -> [Double] {
        let url = record.appendingPathComponent("\(lesson)-report.json")
        let report = try XCTUnwrap(ReportFile.read(url), "no record \(url.lastPathComponent)")
        var texts = report.entries.flatMap { [$0.text, $0.detail ?? ""] }
        texts += report.checks.flatMap { [$0.document, $0.ours, $0.note ?? ""] }
        texts += report.explanations.flatMap { [$0.document, $0.arithmetic, $0.result] }
        texts += report.tables.flatMap { $0.columns + $0.rows.flatMap { $0 } }
        texts += report.texts.values
        var values = texts.flatMap { numbers(in: $0).map(\.value) }
        values += [report.seconds, report.seconds / 60, report.seconds.truncatingRemainder(dividingBy: 60)]
        values += [Double(report.checks.count)]
            + ["agrees", "differs", "document-inconsistent", "different-setup"].map { Double(report.count($0)) }
        return values
    }

    func testEveryQuoteIsInItsFileAndEveryNumberInItWasPrinted() throws {
        let quotes = try quotes()
        XCTAssertGreaterThanOrEqual(quotes.quotes.count, 20, "the quotes were not found")
        var files: [String: String] = [:], lessons: [String: [Double]] = [:]
        for quote in quotes.quotes {
            let text = try files[quote.file] ?? normalized(String(contentsOf: root.appendingPathComponent(quote.file), encoding: .utf8))
            files[quote.file] = text
            XCTAssertTrue(text.contains(normalized(quote.text)), "\(quote.file) no longer says: \(quote.text)")
            let run = try lessons[quote.lesson] ?? printed(quote.lesson)
            lessons[quote.lesson] = run
            // A run time ("6 min 25 s", "34 s", "7 min") must be the recorded lesson's own, not
            // just any number it printed.
            var durationRanges: [Range<String.Index>] = []
            let seconds = try XCTUnwrap(ReportFile.read(record.appendingPathComponent("\(quote.lesson)-report.json"))).seconds
            let durations = try NSRegularExpression(pattern: "(\\d+) min (\\d+) s\\b|(\\d+(?:\\.\\d)?) s\\b|(\\d+) min\\b")
            for m in durations.matches(in: quote.text, range: NSRange(quote.text.startIndex..., in: quote.text)) {
                guard let range = Range(m.range, in: quote.text) else { continue }
                durationRanges.append(range)
                func group(_ i: Int) -> Double? { Range(m.range(at: i), in: quote.text).flatMap { Double(quote.text[$0]) } }
                let stated: Double, half: Double
                if let minutes = group(1), let rest = group(2) { (stated, half) = (minutes * 60 + rest, 0.5) }
                else if let s = group(3) { (stated, half) = (s, s.rounded() == s ? 0.5 : 0.05) }
                else { (stated, half) = ((group(4) ?? .nan) * 60, 30) }
                XCTAssertTrue(abs(seconds - stated) <= half + 1e-9, "\(quote.file) quotes \(quote.text[range]) for \(quote.lesson), "
                              + "whose recorded run took \(LessonPage.duration(seconds))")
            }
            for number in numbers(in: quote.text) where !durationRanges.contains(where: { $0.overlaps(number.range) }) {
                let half = 0.5 * pow(10, -Double(number.decimals)) * (1 + 1e-9)
                XCTAssertTrue(run.contains { abs($0 - number.value) <= half },
                              "\(quote.file) quotes \(quote.text[number.range]) (in \"\(quote.text)\"), which the recorded "
                              + "\(quote.lesson) run did not print")
            }
        }
    }

    /// In the parts of the docs that describe a run, a number with a unit outside every quote
    /// would be a run number nobody checks.
    func testEveryRunNumberInTheScopesIsQuoted() throws {
        let quotes = try quotes()
        XCTAssertFalse(quotes.scopes.isEmpty)
        for scope in quotes.scopes {
            let text = normalized(try String(contentsOf: root.appendingPathComponent(scope.file), encoding: .utf8))
            guard let start = text.range(of: scope.from),
                  let end = text.range(of: scope.to, range: start.upperBound ..< text.endIndex) else {
                XCTFail("\(scope.file): the scope '\(scope.from)' … '\(scope.to)' was not found"); continue
            }
            let part = String(text[start.lowerBound ..< end.lowerBound])
            var covered: [Range<String.Index>] = []
            for quote in quotes.quotes where quote.file == scope.file {
                var from = part.startIndex
                while let r = part.range(of: normalized(quote.text), range: from ..< part.endIndex) {
                    covered.append(r)
                    from = r.upperBound
                }
            }
            let unit = try NSRegularExpression(pattern: "^ ?(%|s\\b|min\\b|h\\b|points|images/s)")
            for number in numbers(in: part) {
                let after = String(part[number.range.upperBound...].prefix(12))
                guard unit.firstMatch(in: after, range: NSRange(after.startIndex..., in: after)) != nil else { continue }
                XCTAssertTrue(covered.contains { $0.contains(number.range.lowerBound) },
                              "\(scope.file): '\(part[number.range])\(after.prefix(4))' in \"…\(part[part.index(number.range.lowerBound, offsetBy: -min(40, part.distance(from: part.startIndex, to: number.range.lowerBound)))..<number.range.upperBound])…\" is in no quote of docs/record/quotes.json")
            }
        }
    }
}
