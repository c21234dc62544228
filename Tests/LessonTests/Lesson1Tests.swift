import Foundation
import XCTest

final class Lesson1Tests: XCTestCase {
    func testQuickRunChecksTheDocumentsNumbers() throws {
        let run = try LessonRunner.run("Lesson1-Dataset", ["--quick", "--data", LessonRunner.sampleData])
        XCTAssertEqual(run.exitCode, 0)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        XCTAssertFalse(report.checks.contains { $0.verdict == "differs" }, "a document number differs unexpectedly")
        XCTAssertEqual(run.check("input shape (channels x height x width)")?.verdict, "agrees")
        XCTAssertEqual(run.check("classes")?.verdict, "agrees")
        // Food-101's sizes are arithmetic on the write-up's own numbers: explained, never a ✓.
        XCTAssertEqual(report.explanations.map(\.result), ["500", "101,000", "75,750", "25,250"])
        XCTAssertFalse(report.checks.contains { $0.name.hasPrefix("Food-101") })
        // The sample is honestly reported as a different setup, not as agreeing with 50,000.
        XCTAssertEqual(run.check("training images")?.verdict, "different-setup")
        XCTAssertEqual(report.values["train images"], 5_000)
        XCTAssertEqual(report.values["test images"], 2_000)
        for channel in ["red", "green", "blue"] {
            XCTAssertEqual(run.check("mean, \(channel)")?.verdict, "agrees")
            XCTAssertEqual(run.check("std, \(channel)")?.verdict, "agrees")
        }
        XCTAssertTrue(run.stdout.contains("5,000 train / 2,000 test images"))
        XCTAssertEqual(report.figures.sorted(), ["lesson1-classes.png", "lesson1-grid.png"])
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }

    func testMissingDataFolderIsOneLineError() throws {
        let run = try LessonRunner.run("Lesson1-Dataset", ["--quick", "--data", "/nonexistent/cifar"])
        XCTAssertNotEqual(run.exitCode, 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.contains("/nonexistent/cifar") && message.contains("does not exist"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
    }

    func testBadFlagValueIsRejected() throws {
        let run = try LessonRunner.run("Lesson1-Dataset", ["--quick", "--scale", "3"])
        XCTAssertNotEqual(run.exitCode, 0)
        XCTAssertTrue(run.stderr.contains("--scale must be 1 or 2"), run.stderr)
    }

    func testTruncatedBatchIsOneLineError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: LessonRunner.sampleData), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = folder.appendingPathComponent("data_batch_2.bin")
        let bytes = try Data(contentsOf: batch)
        try bytes.prefix(bytes.count - 1000).write(to: batch)
        let run = try LessonRunner.run("Lesson1-Dataset", ["--quick", "--data", folder.path])
        XCTAssertNotEqual(run.exitCode, 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.contains("data_batch_2.bin") && message.contains("truncated"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
    }
}
