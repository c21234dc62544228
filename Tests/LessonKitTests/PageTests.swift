import Foundation
import LessonKit
import SimCLR
import TestSupport
import XCTest

/// The page and the notebook of a report made here, with text that would break naive
/// markup, a NaN, every verdict, a figure and a missing figure.
final class PageTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("pages")
    }

    /// A finished report in `folder` with one of everything; returns it read back from its JSON.
    private func makeReport() throws -> ReportFile {
        let report = Report(lesson: "lesson9", title: "Lesson 9 — <b>bold</b> & \"quoted\"",
                            summary: "What it teaches, with a <script>alert(1)</script>.",
                            url: folder.appendingPathComponent("lesson9-report.json"), output: { _ in })
        report.setting("command", "swift run Lesson9 --quick --data 'my data'")
        report.setting("quick run", "yes")
        report.step("First <step>")
        report.say("A line of prose,")
        report.say("continued on the next line.")
        report.say("  col A   col B")
        report.value("a value that could not be measured", .nan, format: "%.3f")
        report.check("agrees <exactly>", source: .card, document: 0.713, ours: 0.713, tolerance: 0.001)
        report.check("differs", source: .writeUp, document: 1, ours: 2, tolerance: 0.1)
        report.check("inconsistent", source: .card, document: 0.5, ours: 4.2, tolerance: 0.01,
                     unless: .documentInconsistent("below the floor & \"impossible\"", when: true))
        report.check("other setup", source: .card, document: 200, ours: 10, tolerance: 0,
                     unless: .differentSetup("10 epochs, not 200", when: true))
        report.check("not measured", source: .paper, document: 1, ours: .nan, tolerance: 1)
        report.explain("hours", source: .card, document: "26", arithmetic: "200 x 8 / 60", result: "26.7")
        let png = folder.appendingPathComponent("lesson9-figure.png")
        try PNG.write(RGBImage(width: 3, height: 2, fill: (200, 10, 10)), to: png)
        report.figure(png, "a red \"figure\"")
        report.figure(folder.appendingPathComponent("lesson9-missing.png"), "never written")
        try report.finish()
        return try XCTUnwrap(ReportFile.read(folder.appendingPathComponent("lesson9-report.json")))
    }

    func testPageEscapesTextAndShowsEveryVerdict() throws {
        let report = try makeReport()
        let html = try String(contentsOf: folder.appendingPathComponent("lesson9.html"), encoding: .utf8)
        // Nothing from the report becomes markup.
        XCTAssertFalse(html.contains("<script"), "a script tag reached the page")
        XCTAssertFalse(html.contains("<b>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("<h2>Step 1 · First &lt;step&gt;</h2>"))
        XCTAssertTrue(html.contains("alt=\"a red &quot;figure&quot;\""))
        // Prose lines join into one paragraph; a column-aligned line stays preformatted.
        XCTAssertTrue(html.contains("<p>A line of prose, continued on the next line.</p>"))
        XCTAssertTrue(html.contains("<pre>  col A   col B</pre>"))
        // One row per check, coloured by its verdict, with the reason.
        XCTAssertEqual(html.components(separatedBy: "<tr class=\"check ").count - 1, report.checks.count)
        for code in ["agrees", "differs", "document-inconsistent", "different-setup"] {
            XCTAssertTrue(html.contains("<tr class=\"check \(code)\">"), code)
        }
        XCTAssertTrue(html.contains("below the floor &amp; &quot;impossible&quot;"))
        // What could not be measured says so, and is never excused.
        XCTAssertEqual(report.checks.last?.verdict, "differs")
        XCTAssertTrue(html.contains("<td class=\"ours\">NaN (could not be measured)</td>"))
        XCTAssertTrue(html.contains("<td>NaN (could not be measured)</td>"))
        // The figure is inside the page, with its size.
        XCTAssertTrue(html.contains("src=\"data:image/png;base64,iVBORw0KGgo"))
        XCTAssertTrue(html.contains("width=\"3\" height=\"2\""))
        XCTAssertTrue(html.contains("Figure lesson9-missing.png was not written: never written"))
        // The run's settings and the command that reproduces it; the quick-run banner.
        XCTAssertTrue(html.contains("swift run Lesson9 --quick --data &#39;my data&#39;"))
        XCTAssertTrue(html.contains("class=\"banner\""))
        XCTAssertTrue(html.contains("<th scope=\"row\">time taken</th>"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "a page must not fetch anything")
    }

    func testNotebookHasTheSameChecksAndTheFigureAsOutput() throws {
        let report = try makeReport()
        let data = try Data(contentsOf: folder.appendingPathComponent("lesson9.ipynb"))
        let notebook = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(notebook["nbformat"] as? Int, 4)
        XCTAssertEqual(notebook["nbformat_minor"] as? Int, 5)
        let cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        let ids = cells.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, cells.count, "every cell has its own id")
        // The step's printed output is the markdown output of its code cell (the step's code, cut
        // from this test's source); text around the steps is in markdown cells.
        let outputs = cells.filter { $0["cell_type"] as? String == "code" }.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
        let markdown = (cells.filter { $0["cell_type"] as? String == "markdown" }.compactMap { $0["source"] as? String }
            + outputs.compactMap { ($0["data"] as? [String: Any])?["text/markdown"] as? String }).joined(separator: "\n")
        let code = cells.filter { $0["cell_type"] as? String == "code" }.compactMap { $0["source"] as? String }
        XCTAssertTrue(code.first?.contains("report.step(\"First <step>\")") ?? false, code.first ?? "no code cell")
        // One table row per check; markup from the report is escaped.
        for check in report.checks {
            XCTAssertTrue(markdown.contains("| " + check.name.replacingOccurrences(of: "<", with: "\\<")
                .replacingOccurrences(of: ">", with: "\\>") + " |"), check.name)
        }
        XCTAssertTrue(markdown.contains("\\<script\\>"))
        XCTAssertTrue(markdown.contains("NaN (could not be measured)"))
        let images = outputs.compactMap { ($0["data"] as? [String: Any])?["image/png"] as? String }
        XCTAssertEqual(images.count, 1, "the missing figure has no image output")
        XCTAssertTrue(markdown.contains("Figure lesson9-missing.png was not written"))
        let png = try XCTUnwrap(images.first)
        let bytes = try XCTUnwrap(Data(base64Encoded: png))
        XCTAssertEqual(try PNG.decode(bytes).width, 3)
    }

    func testIndexLinksEveryLessonAndSaysWhenItIsQuick() throws {
        let report = try makeReport()
        let index = LessonIndex(entries: [LessonIndex.Entry(executable: "Lesson9", report: report, seconds: 4.2),
                                          LessonIndex.Entry(executable: "Lesson10", report: nil, seconds: 1)],
                                arguments: ["--quick"])
        let html = index.html
        XCTAssertTrue(html.contains("href=\"lesson9.html\""))
        XCTAssertTrue(html.contains("href=\"lesson9.ipynb\""))
        XCTAssertTrue(html.contains("src=\"lesson9-figure.png\""))
        XCTAssertTrue(html.contains("(quick run)"))
        XCTAssertTrue(html.contains("Lesson10") && html.contains("did not finish"))
        XCTAssertTrue(html.contains("<span class=\"chip differs\" title=\"✗ differs\">✗ 2</span>"))
        XCTAssertFalse(LessonIndex(entries: [], arguments: []).html.contains("(quick run)"))
    }
}

/// A step's code is cut from the lesson's source where its `report.step(…)` call is: the
/// prose comment above it, the call, and what follows up to the next step or the end of its block.
final class SourceExcerptTests: XCTestCase {
    private func excerpt(_ source: String, line: Int) throws -> SourceExcerpt? {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("Lessons/Demo-\(UUID().uuidString)/main.swift")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try source.write(to: url, atomically: true, encoding: .utf8)
        return SourceExcerpt(path: url.path, line: line)
    }

    func testTheCellRunsFromItsProseToTheNextStep() throws {
        let source = """
            func run() {
                // Step one's prose.
                report.step("One")
                let braces = "{ not a block"
                report.value("x", 1)

                // Step two's prose.
                report.step("Two")
                for i in 0 ..< 2 {
                    report.say("\\(i)")
                }
            }
            func other() {}
            """
        let one = try XCTUnwrap(try excerpt(source, line: 3))
        XCTAssertEqual(one.line, 2)
        XCTAssertEqual(one.code, "// Step one's prose.\nreport.step(\"One\")\nlet braces = \"{ not a block\"\nreport.value(\"x\", 1)")
        XCTAssertTrue(one.file.hasPrefix("Lessons/Demo-") && one.file.hasSuffix("/main.swift"), one.file)
        let two = try XCTUnwrap(try excerpt(source, line: 8))
        XCTAssertEqual(two.code, "// Step two's prose.\nreport.step(\"Two\")\nfor i in 0 ..< 2 {\n    report.say(\"\\(i)\")\n}")
        XCTAssertNil(try excerpt(source, line: 4), "not a step call")
        XCTAssertNil(SourceExcerpt(path: "/nonexistent/main.swift", line: 1))
    }

    /// The comment above the step is its prose (paragraphs split at an empty comment line), shown
    /// as text; the code block starts at the step call.
    func testProseAndStatementsSplitAtTheStepCall() throws {
        let source = """
            func run() {
                // The first paragraph,
                // over two lines.
                //
                // A second one: x' = (x - mean) / std.
                report.step("One")
                let x = 1 // a trailing comment stays code
            }
            """
        let one = try XCTUnwrap(try excerpt(source, line: 6))
        XCTAssertEqual(one.prose, ["The first paragraph, over two lines.", "A second one: x' = (x - mean) / std."])
        XCTAssertEqual(one.statements, "report.step(\"One\")\nlet x = 1 // a trailing comment stays code")
        XCTAssertEqual(one.statementsLine, 6)
        let bare = try XCTUnwrap(try excerpt("report.step(\"Bare\")\nlet y = 2", line: 1))
        XCTAssertEqual(bare.prose, [])
        XCTAssertEqual(bare.statements, bare.code)
        XCTAssertEqual(bare.statementsLine, 1)
    }
}
