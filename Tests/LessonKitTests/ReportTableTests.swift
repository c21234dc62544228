import Foundation
import LessonKit
import SimCLR
import TestSupport
import XCTest

/// `Report.table`: aligned on the terminal, a table on the page and in the notebook, and
/// cell by cell in the JSON report.
final class ReportTableTests: XCTestCase {
    func testTableIsAlignedRecordedAndRendered() throws {
        let folder = try temporaryFolder("table")
        var printed: [String] = []
        let report = Report(lesson: "lesson9", title: "Tables", url: folder.appendingPathComponent("lesson9-report.json"),
                            output: { printed.append($0) })
        report.step("A table")
        report.table([.left("name"), .right("accuracy")], [["raw <pixels>", "28.4 %"], ["SimCLR", "34.8 %"], ["x", "nan"]])
        try report.finish()

        // Printed: names flush left, numbers flush right, two spaces between columns.
        let lines = printed.filter { $0.contains("%") || $0.contains("accuracy") || $0.hasPrefix("  x") }
        XCTAssertEqual(lines, ["  name          accuracy", "  raw <pixels>    28.4 %", "  SimCLR          34.8 %", "  x                  nan"])

        let file = try XCTUnwrap(ReportFile.read(folder.appendingPathComponent("lesson9-report.json")))
        XCTAssertEqual(file.tables, [Report.Table(columns: ["name", "accuracy"], rightAligned: [false, true],
                                                  rows: [["raw <pixels>", "28.4 %"], ["SimCLR", "34.8 %"], ["x", "nan"]])])
        XCTAssertEqual(file.entries.last?.kind, .table)

        let html = try String(contentsOf: folder.appendingPathComponent("lesson9.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<table class=\"data\"><tr><th>name</th><th class=\"number\">accuracy</th></tr>"), html)
        XCTAssertTrue(html.contains("<td>raw &lt;pixels&gt;</td><td class=\"number\">28.4 %</td>"), html)
        XCTAssertTrue(html.contains("<td class=\"number\">NaN (could not be measured)</td>"), html)

        let notebook = try String(contentsOf: folder.appendingPathComponent("lesson9.ipynb"), encoding: .utf8)
        XCTAssertTrue(notebook.contains("| name | accuracy |"), notebook)
        XCTAssertTrue(notebook.contains("| SimCLR | 34.8 % |"), notebook)
    }

    /// A paragraph prints wrapped at word boundaries within the line width and is kept whole
    /// in the report; aligned text prints as given.
    func testParagraphsWrapWhenPrintedAndStayWholeInTheReport() throws {
        var printed: [String] = []
        let report = Report(lesson: "lesson9", title: "Prose", url: nil, output: { printed.append($0) })
        let words = (1 ... 60).map { "word\($0)" }
        let paragraph = words.joined(separator: " ")
        report.say(paragraph)
        report.say("name      value   a column layout that is longer than the line width would be if it were prose, kept")
        let lines = printed.dropFirst(2)  // the title and its rule
        XCTAssertGreaterThan(lines.count, 3)
        XCTAssertTrue(lines.allSatisfy { $0.count <= Report.lineWidth + 2 }, "\(lines)")
        XCTAssertEqual(lines.dropLast().map { $0.dropFirst(2) }.joined(separator: " "), paragraph)
        XCTAssertEqual(lines.last, "  name      value   a column layout that is longer than the line width would be if it were prose, kept")
        XCTAssertEqual(report.entries.first?.text, paragraph)
        XCTAssertEqual(Report.wrap("a " + String(repeating: "x", count: 30) + " b", width: 10),
                       ["a", String(repeating: "x", count: 30), "b"])
    }
}
