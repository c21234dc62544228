import Foundation
import TestSupport
import XCTest

/// Lesson 5's shipped supervised baselines: trained by `ShippedModels train-supervised`, read
/// back by the lesson, and their accuracy recomputed in every run.
final class ShippedSupervisedTests: XCTestCase {
    func testTrainedOnceThenEvaluatedInEveryRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("supervised-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let common = ["--quick", "--data", LessonRunner.sampleData, "--supervised-folder", folder.path]
        let trainFlags = ["train-supervised", "--quick", "--data", LessonRunner.sampleData, "--folder", folder.path]
        let train = try LessonRunner.run("ShippedModels", trainFlags)
        XCTAssertEqual(train.exitCode, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("5 labels/class: 1 epoch(s) on four fifths"), train.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(files, ["supervised-20-per-class.safetensors", "supervised-5-per-class.safetensors"])
        // A second run keeps what is there: a stopped training continues with the next network.
        let again = try LessonRunner.run("ShippedModels", trainFlags)
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("supervised-5-per-class.safetensors: already there, kept"), again.stdout)

        let run = try LessonRunner.run("Lesson5-LinearProbe", common + ["--no-long-run"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        let five = try XCTUnwrap(report.values["supervised, 5 labels/class (shipped) top-1"])
        XCTAssertEqual(report.values["label fraction 5 shipped supervised"], five)
        XCTAssertNotNil(report.values["supervised, 20 labels/class (shipped) top-1"])
        XCTAssertTrue(run.stdout.contains("5 labels/class: 1 epoch on 50 images (held-out fifth: 1 → "), run.stdout)
    }

    /// A damaged shipped network, or a folder named but missing, stops the lesson in one line.
    func testUnusableShippedNetworksAreErrors() throws {
        let folder = try temporaryFolder("supervised-bad")
        try Data("damaged".utf8).write(to: folder.appendingPathComponent("supervised-5-per-class.safetensors"))
        for (path, expected) in [(folder.path, "supervised-5-per-class.safetensors"), ("/tmp/none-\(UUID().uuidString)", "no such folder")] {
            let run = try LessonRunner.run("Lesson5-LinearProbe", ["--quick", "--data", LessonRunner.sampleData, "--no-label-fraction",
                                                                   "--no-long-run", "--supervised-folder", path])
            XCTAssertEqual(run.exitCode, 1, run.stderr)
            let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertTrue(message.contains(expected), message)
            XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
        }
    }

    /// The maintenance job left the lesson: Lesson 5 no longer takes its flag.
    func testTheLessonNoLongerTrainsShippedNetworks() throws {
        let run = try LessonRunner.run("Lesson5-LinearProbe", ["--quick", "--train-shipped-supervised"])
        XCTAssertEqual(run.exitCode, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("--train-shipped-supervised"), run.stderr)
    }
}
