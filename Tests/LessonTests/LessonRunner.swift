import Foundation
import LessonKit
import SimCLR
import XCTest

/// Runs a lesson executable the way a user would (`Lesson1-Dataset --quick ...`) from the
/// project root, with its figures and report in a temporary folder, and reads back what it
/// printed and the JSON report it wrote.
struct LessonRun {
    let exitCode: Int32
    let stdout: String
    let stderr: String
    let figures: URL
    let report: ReportFile?

    /// The check with this name (fails the test if absent).
    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> Report.Check? {
        let found = report?.checks.first { $0.name == name }
        XCTAssertNotNil(found, "no check named '\(name)' in the report", file: file, line: line)
        return found
    }

    /// The lesson's page and notebook show exactly the report's checks, in order, with the
    /// same numbers and verdicts, and embed every figure the report lists.
    func assertPageAndNotebookMatchReport(file: StaticString = #filePath, line: UInt = #line) {
        guard let report else { return XCTFail("no report", file: file, line: line) }
        let pageURL = figures.appendingPathComponent("\(report.lesson).html")
        guard let html = try? String(contentsOf: pageURL, encoding: .utf8) else {
            return XCTFail("no page \(pageURL.lastPathComponent)", file: file, line: line)
        }
        let rows = html.components(separatedBy: "<tr class=\"check ").dropFirst()
        XCTAssertEqual(rows.count, report.checks.count, "check rows on the page", file: file, line: line)
        for (row, check) in zip(rows, report.checks) {
            let cells = [check.verdict + "\">", "<td>" + HTML.escape(check.name) + "</td>",
                         HTML.escape(VerdictText.measured(check.document)) + "</td>",
                         "<td class=\"ours\">" + HTML.escape(VerdictText.measured(check.ours)) + "</td>",
                         VerdictText.label(check.verdict)]
            XCTAssertTrue(row.hasPrefix(cells[0]), "row of '\(check.name)' is not coloured \(check.verdict)", file: file, line: line)
            for cell in cells.dropFirst() {
                XCTAssertTrue(row.contains(cell), "row of '\(check.name)' lacks \(cell)", file: file, line: line)
            }
        }
        XCTAssertEqual(html.components(separatedBy: "<img src=\"data:image/png;base64,").count - 1, report.figures.count,
                       "figures embedded in the page", file: file, line: line)
        let notebookURL = figures.appendingPathComponent("\(report.lesson).ipynb")
        guard let data = try? Data(contentsOf: notebookURL),
              let notebook = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let cells = notebook["cells"] as? [[String: Any]] else {
            return XCTFail("no readable notebook \(notebookURL.lastPathComponent)", file: file, line: line)
        }
        let images = cells.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
            .filter { ($0["data"] as? [String: Any])?["image/png"] != nil }
        XCTAssertEqual(images.count, report.figures.count, "figures in the notebook", file: file, line: line)
        // The check rows are in markdown cells or in the markdown outputs of the steps' code cells.
        let outputs = cells.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
        let markdown = (cells.compactMap { $0["source"] as? String }
            + outputs.compactMap { ($0["data"] as? [String: Any])?["text/markdown"] as? String }).joined(separator: "\n")
        let tableRows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains(" | ") }
        assertCodeCells(report: report, html: html, cells: cells, notebook: notebook, file: file, line: line)
        for check in report.checks {
            XCTAssertTrue(tableRows.contains { $0.contains(VerdictText.label(check.verdict)) && $0.contains(Markdown.escape(VerdictText.measured(check.ours))) },
                          "notebook lacks the row of '\(check.name)'", file: file, line: line)
        }
    }
}

extension LessonRun {
    /// Every step shows its code: an excerpt that stands verbatim in the lesson's source (read
    /// here from the file, independently of how it was cut), as the notebook's Swift code cells
    /// in order and as a code block on the page.
    func assertCodeCells(report: ReportFile, html: String, cells: [[String: Any]], notebook: [String: Any],
                         file: StaticString, line: UInt) {
        let steps = report.entries.filter { $0.kind == .step }
        let excerpts = steps.compactMap(\.code)
        XCTAssertEqual(excerpts.count, steps.count, "every step has its code", file: file, line: line)
        for excerpt in excerpts {
            let url = LessonRunner.projectRoot.appendingPathComponent(excerpt.file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                XCTFail("\(excerpt.file) cannot be read", file: file, line: line); continue
            }
            let source = text.components(separatedBy: "\n")
            let shown = excerpt.code.components(separatedBy: "\n")
            XCTAssertTrue(shown.contains { $0.contains("report.step(") }, "\(excerpt.file):\(excerpt.line) shows no step call",
                          file: file, line: line)
            for (k, shownLine) in shown.enumerated() {
                let at = excerpt.line - 1 + k
                let original = at < source.count ? source[at] : "<past the end>"
                let verbatim = original.hasSuffix(shownLine) && original.dropLast(shownLine.count).allSatisfy { $0 == " " }
                XCTAssertTrue(verbatim || (shownLine.isEmpty && original.trimmingCharacters(in: .whitespaces).isEmpty),
                              "\(excerpt.file):\(at + 1) is '\(original)', the page shows '\(shownLine)'", file: file, line: line)
            }
        }
        let codeCells = cells.filter { $0["cell_type"] as? String == "code" && $0["execution_count"] is Int }
            .compactMap { $0["source"] as? String }
        XCTAssertEqual(codeCells, excerpts.map(\.statements), "the notebook's code cells are the steps' code", file: file, line: line)
        for excerpt in excerpts where !excerpt.prose.isEmpty {
            XCTAssertTrue(excerpt.prose.allSatisfy { html.contains(HTML.escape($0)) }, "the page shows the prose of "
                          + "\(excerpt.file):\(excerpt.line)", file: file, line: line)
        }
        let language = ((notebook["metadata"] as? [String: Any])?["kernelspec"] as? [String: Any])?["language"] as? String
        XCTAssertEqual(language, "swift", file: file, line: line)
        XCTAssertEqual(html.components(separatedBy: "<pre class=\"code\">").count - 1, excerpts.count,
                       "code blocks on the page", file: file, line: line)
    }
}

enum LessonRunner {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The folder with the built products (the lessons are built with the tests because
    /// the test target depends on them).
    static var productsFolder: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return Bundle.main.bundleURL
    }

    /// The committed sample: lesson tests use it explicitly so they do not depend on
    /// whether the full data set sits under data/.
    static var sampleData: String { projectRoot.appendingPathComponent("data/cifar10-sample").path }

    /// - Parameter directory: the working directory (default: the project root). Another
    ///   folder makes Lesson 4's default checkpoint path point at nothing.
    ///   - figureFlags: whether to add `--figures` and `--report` (a tool's subcommand may not take them).
    static func run(_ lesson: String, _ arguments: [String], timeout: TimeInterval = 600,
                    directory: URL? = nil, figureFlags: Bool = true) throws -> LessonRun {
        let figures = FileManager.default.temporaryDirectory.appendingPathComponent("\(lesson)-\(UUID().uuidString)")
        let reportURL = figures.appendingPathComponent("report.json")
        let process = Process()
        process.executableURL = productsFolder.appendingPathComponent(lesson)
        process.arguments = arguments + (figureFlags ? ["--figures", figures.path, "--report", reportURL.path] : [])
        process.currentDirectoryURL = directory ?? projectRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes while the lesson runs so a chatty lesson never blocks on a full pipe.
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut { process.terminate() }
        process.waitUntilExit()
        group.wait()
        let report = ReportFile.read(reportURL)
        let run = LessonRun(exitCode: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                            stderr: String(decoding: errData.data, as: UTF8.self), figures: figures, report: report)
        // The full output goes to a file beside the figures; the log gets a short summary.
        // (Printing tens of kilobytes in one go from a test has been seen to truncate the
        // test runner's own output, failure messages included.)
        try? FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        try? Data((run.stdout + run.stderr).utf8).write(to: figures.appendingPathComponent("output.txt"))
        let summary = run.stdout.split(separator: "\n").last(where: { $0.hasPrefix("Checks:") }) ?? ""
        print("── \(lesson) \(arguments.joined(separator: " ")) → exit \(run.exitCode); \(summary)")
        if !run.stderr.isEmpty { print("   stderr: \(run.stderr.prefix(600))") }
        print("   full output: \(figures.appendingPathComponent("output.txt").path)")
        return run
    }
}

/// Bytes read on a background thread; read only after the thread is done (`group.wait()`).
private final class Collected: @unchecked Sendable {
    var data = Data()
}

/// Checks that a PNG figure exists, decodes, has a sensible size and is not blank.
func assertFigure(_ url: URL, minWidth: Int = 400, file: StaticString = #filePath, line: UInt = #line) {
    guard let image = try? ImageFile.read(url) else {
        return XCTFail("figure \(url.lastPathComponent) missing or unreadable", file: file, line: line)
    }
    XCTAssertGreaterThanOrEqual(image.width, minWidth, url.lastPathComponent, file: file, line: line)
    // Something was drawn: a fair share of pixels differ from the background (the corner
    // pixel), in more than two colours.
    let background = Array(image.pixels[0 ..< 3])
    var drawn = 0
    var colours = Set<Int>()
    for i in stride(from: 0, to: image.pixels.count, by: 3) where Array(image.pixels[i ..< i + 3]) != background {
        drawn += 1
        if colours.count < 64 { colours.insert(Int(image.pixels[i]) << 16 | Int(image.pixels[i + 1]) << 8 | Int(image.pixels[i + 2])) }
    }
    let fraction = Double(drawn) / Double(image.width * image.height)
    XCTAssertGreaterThan(fraction, 0.02, "\(url.lastPathComponent) looks blank (\(fraction) drawn)", file: file, line: line)
    XCTAssertGreaterThan(colours.count, 2, "\(url.lastPathComponent) has almost no colours", file: file, line: line)
}
