import Foundation
import SimCLR
import XCTest

final class Lesson2Tests: XCTestCase {
    func testQuickRunChecksModelSizesAndSaves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("l2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try LessonRunner.run("Lesson2-Model", ["--quick", "--data", LessonRunner.sampleData,
                                                         "--checkpoints", folder.path])
        XCTAssertEqual(run.exitCode, 0)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        // Every size is checked against torchvision and the documents, and all agree.
        XCTAssertGreaterThanOrEqual(report.checks.count, 15)
        XCTAssertEqual(report.checks.filter { $0.verdict != "agrees" }.map(\.name), [])
        XCTAssertEqual(run.check("ResNet-18 trunk parameters, CIFAR stem")?.ours, "11,168,832")
        XCTAssertEqual(run.check("ResNet-50 trunk parameters")?.ours, "23,508,032")
        XCTAssertEqual(run.check("forward FLOPs per image, width 16")?.ours, "70,090,752")
        // The speed-up is printed for the class but never asserted: timings belong to the benchmark.
        XCTAssertNotNil(report.values["speed-up, forward + backward"])
        // Our own round trip: the reloaded model computes bit-identical h and z.
        XCTAssertEqual(report.texts["features after save and load"], "identical")
        // The saved checkpoint is a real one of the classroom architecture.
        let saved = try Checkpoint.inspect(folder.appendingPathComponent("lesson2-classroom.safetensors"))
        XCTAssertEqual(saved.architecture, .classroom)
        let sample = try SafeTensors.read(folder.appendingPathComponent("lesson2-bridge-sample.safetensors")).tensors
        XCTAssertEqual(sample["h"]?.shape, [8, 128])
        XCTAssertTrue(run.stdout.contains("refused in one line"))
        XCTAssertEqual(report.figures.sorted(), ["lesson2-feature-maps.png", "lesson2-stages.png"])
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }
}
