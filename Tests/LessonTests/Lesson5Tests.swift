import Foundation
import TestSupport
import XCTest

final class Lesson5Tests: XCTestCase {
    /// Lesson 4 --quick writes a checkpoint; Lesson 5 --quick evaluates it with every baseline.
    func testQuickRunOnALesson4Checkpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("l5-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("ckpt.safetensors").path
        let train = try LessonRunner.run("Lesson4-Training", ["--quick", "--data", LessonRunner.sampleData,
                                                              "--checkpoint", checkpoint])
        XCTAssertEqual(train.exitCode, 0)
        let run = try LessonRunner.run("Lesson5-LinearProbe", ["--quick", "--data", LessonRunner.sampleData,
                                                               "--checkpoint", checkpoint])
        XCTAssertEqual(run.exitCode, 0)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        XCTAssertFalse(report.checks.contains { $0.verdict == "differs" })
        // "+55.2" is arithmetic on the card's numbers: an explanation, not a check.
        XCTAssertEqual(report.explanations.map(\.result), ["55.2"])
        // A 2-epoch toy run is not the card's setup, and the lesson names how it differs, read from the checkpoint.
        let simclr = run.check("SimCLR, linear probe (card: 5,000 labels)")
        XCTAssertEqual(simclr?.verdict, "different-setup")
        // The quick Lesson 4 trains width 8 for 2 epochs on 16 images per class of the sample.
        XCTAssertEqual(simclr?.note, "pretrained with width 8 (width 64: our inference from the card's h of 512), 2 epochs "
                       + "(the card does not say; its training table runs to 200), 160 images asked for (as we read the "
                       + "card's \"CIFAR-10 unlabeled\", all 50,000)")
        // h against z: the verdict's condition is tested on fed numbers in EncoderVersusHeadTests;
        // here the check is made, from probes over the 200 test images.
        XCTAssertNotNil(run.check("better features: encoder output h or head output z"))
        for name in ["SimCLR h", "SimCLR z", "random init h", "raw pixels", "supervised"] {
            let top1 = try XCTUnwrap(report.values["\(name) top-1"], name)
            // 200 test images: every accuracy is a whole number of images, a multiple of 0.5 %,
            // and top-5 can never be below top-1.
            XCTAssertEqual(top1 * 2, (top1 * 2).rounded(), accuracy: 1e-6, "\(name) top-1 \(top1)")
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.values["\(name) top-5"]), top1)
        }
        // An expectation that does not come from the lesson: a linear classifier on CIFAR-10's
        // raw pixels is far above chance (about 40 % with all labels in the literature). With
        // 200 labels and 200 test images chance is 10 % ± 2.1 (binomial), so 3σ above is 16.4 %
        // (measured: 24.0 % with seed 0).
        XCTAssertGreaterThan(try XCTUnwrap(report.values["raw pixels top-1"]), 16.4)
        XCTAssertNotNil(report.values["label fraction 20 SimCLR"])
        XCTAssertEqual(report.figures.sorted(), ["lesson5-comparison.png", "lesson5-confusion.png", "lesson5-label-fraction.png"])
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }

    /// Before Lesson 4 has run, the lesson still runs the baselines and says how to make a checkpoint.
    func testMissingDefaultCheckpointIsExplained() throws {
        let empty = try temporaryFolder("l5-empty")
        let run = try LessonRunner.run("Lesson5-LinearProbe", ["--quick", "--data", LessonRunner.sampleData, "--no-label-fraction"],
                                       directory: empty)
        XCTAssertEqual(run.exitCode, 0)
        XCTAssertTrue(run.stdout.contains("Make one with `swift run Lesson4-Training --quick`"), run.stdout)
        XCTAssertNil(run.report?.values["SimCLR h top-1"])
        XCTAssertNotNil(run.report?.values["random init h top-1"])
    }

    /// A checkpoint the user named must be the one evaluated: missing or damaged, it is an error.
    func testNamedCheckpointThatCannotBeUsedIsAnError() throws {
        let missing = "/tmp/none-\(UUID().uuidString).safetensors"
        let damaged = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).safetensors")
        try Data("not a checkpoint".utf8).write(to: damaged)
        defer { try? FileManager.default.removeItem(at: damaged) }
        for path in [missing, damaged.path] {
            let run = try LessonRunner.run("Lesson5-LinearProbe", ["--quick", "--data", LessonRunner.sampleData,
                                                                   "--no-label-fraction", "--checkpoint", path])
            XCTAssertEqual(run.exitCode, 1, path)
            let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertTrue(message.contains(path), message)
            XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
        }
    }
}

/// A probe asking for more labels than the data holds is refused up front.
final class Lesson5RefusalTests: XCTestCase {
    func testMoreLabelsPerClassThanTheDataHoldsIsRefusedInOneLine() throws {
        // The bundled sample holds 500 training images per class.
        let empty = try temporaryFolder("l5-labels")
        let run = try LessonRunner.run("Lesson5-LinearProbe", ["--data", LessonRunner.sampleData, "--labels-per-class", "600"],
                                       directory: empty)
        XCTAssertEqual(run.exitCode, 1)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(message.contains("--labels-per-class 600") && message.contains("only 500"), message)
        XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
    }
}
