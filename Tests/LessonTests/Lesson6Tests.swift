import Foundation
import TestSupport
import XCTest

final class Lesson6Tests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("lesson6")
    }

    private let panels = ["raw pixels", "random-init encoder", "SimCLR encoder"]

    /// Lesson 4 --quick writes a checkpoint into a temporary folder; Lesson 6 --quick maps it.
    func testQuickRunOnALesson4CheckpointMeasuresThreeMaps() throws {
        let checkpoint = folder.appendingPathComponent("lesson4-quick.safetensors")
        let train = try LessonRunner.run("Lesson4-Training", ["--quick", "--data", LessonRunner.sampleData,
                                                              "--checkpoint", checkpoint.path])
        XCTAssertEqual(train.exitCode, 0)
        // The class's own model only (the shipped long run, when a clone has it, adds a fourth
        // map: ShippedModelTests covers that case).
        let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData,
                                                        "--checkpoint", checkpoint.path, "--no-long-run"])
        XCTAssertEqual(run.exitCode, 0)
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        XCTAssertFalse(report.checks.contains { $0.verdict == "differs" }, "a reference number differs unexpectedly")
        // t-SNE's settings are shown beside bhtsne's and scikit-learn's as a table (constants are
        // not checks); the perplexity each point reaches is measured, and checked.
        let settings = try XCTUnwrap(report.tables.first { $0.columns.first == "setting" })
        func setting(_ prefix: String) -> [String]? { settings.rows.first { $0[0].hasPrefix(prefix) } }
        XCTAssertEqual(setting("perplexity")?.last, "30")
        // scikit-learn's 'auto' rate for N = 200 mapped images: max(200 / 12 / 4, 50) = 50.
        XCTAssertEqual(setting("learning rate 'auto'")?.last, "50.0")
        XCTAssertEqual(setting("Barnes-Hut opening angle")?.last, "0.5")
        XCTAssertEqual(run.check("perplexity each point's Gaussian reaches (mean)")?.verdict, "agrees")
        XCTAssertEqual(report.texts["PCA dimensions before t-SNE (bhtsne's and scikit-learn's advice: 50)"], "50")
        // The quick checkpoint's encoder has width 8: h has 8 x 8 = 64 columns, read from the
        // features it produced, and the card's 512 is a different setup.
        let h = run.check("representation h of the ResNet-18 encoder (columns extracted)")
        XCTAssertEqual(h?.verdict, "different-setup")
        XCTAssertEqual(h?.oursValue, 64)
        XCTAssertEqual(report.values["images mapped"], 200)
        XCTAssertGreaterThanOrEqual(report.values["epochs of SimCLR pretraining"] ?? 0, 1)
        XCTAssertEqual(report.texts["checkpoint"], checkpoint.path)

        for panel in panels {
            let kl = try XCTUnwrap(report.values["\(panel): final KL"], panel)
            let trust = try XCTUnwrap(report.values["\(panel): trustworthiness T(5) against the 50-d PCA input"], panel)
            let map = try XCTUnwrap(report.values["\(panel): 5-NN accuracy in the 2-D map"], panel)
            let features = try XCTUnwrap(report.values["\(panel): 5-NN accuracy in the full features"], panel)
            let variance = try XCTUnwrap(report.values["\(panel): variance kept by 50 components"], panel)
            print("\(panel): KL \(kl), T(5) \(trust), map \(map) %, features \(features) %, PCA-50 \(variance) %")
            XCTAssertTrue(kl > 0 && kl < 3, "\(panel) KL \(kl)")
            XCTAssertTrue(trust > 0.8 && trust <= 1, "\(panel) trustworthiness \(trust)")
            // Over 200 images an accuracy is a whole number of images: a multiple of 0.5 %.
            XCTAssertEqual(map * 2, (map * 2).rounded(), accuracy: 1e-6, "\(panel) map accuracy \(map)")
            XCTAssertEqual(features * 2, (features * 2).rounded(), accuracy: 1e-6, "\(panel) feature accuracy \(features)")
            XCTAssertTrue(variance > 50 && variance <= 100, "\(panel) PCA variance \(variance)")
        }
        // Raw pixels group some classes (ships on blue, frogs on green) above chance: chance is
        // 10 % ± 2.1 on 200 mapped images (binomial), so more than 15.3 % is 2.5σ above it, far
        // from what labels out of step with their images would give. The value moves by a few
        // points whenever summation order changes anything upstream of the map (measured with
        // seed 0: 21.0 % and 19.0 % with earlier PCA kernels, 16.0 % with PCA's products on the GEMM).
        XCTAssertGreaterThan(report.values["raw pixels: 5-NN accuracy in the 2-D map"] ?? 0, 15.3)
        for perplexity in [5, 30, 50] {
            let kl = try XCTUnwrap(report.values["perplexity \(perplexity): final KL"], "perplexity \(perplexity)")
            XCTAssertTrue(kl > 0 && kl < 3, "perplexity \(perplexity): KL \(kl)")
        }
        XCTAssertTrue(run.stdout.contains("Per class, 5-NN accuracy in the 2-D map"))
        XCTAssertEqual(report.figures.sorted(), ["lesson6-kl.png", "lesson6-neighbours.png", "lesson6-perplexity.png",
                                                 "lesson6-thumbnails.png", "lesson6-tsne.png"])
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }

    func testMissingCheckpointStillMapsAndSaysHowToMakeOne() throws {
        // Run where Lesson 4 has never written its default checkpoint.
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData], directory: empty)
        XCTAssertEqual(run.exitCode, 0)
        XCTAssertTrue(run.stdout.contains("Make one with `swift run Lesson4-Training --quick`"), run.stdout)
        XCTAssertTrue(run.stdout.contains("the SimCLR panel is omitted"))
        run.assertPageAndNotebookMatchReport()
        let report = try XCTUnwrap(run.report)
        XCTAssertEqual(report.texts["checkpoint"], "none — no checkpoint at checkpoints/lesson4-quick.safetensors yet")
        XCTAssertNotNil(report.values["raw pixels: final KL"])
        XCTAssertNotNil(report.values["random-init encoder: final KL"])
        XCTAssertNil(report.values["SimCLR encoder: final KL"])
        // The perplexity sweep falls back to the random-init features, and says so.
        XCTAssertTrue(run.stdout.contains("uses the random-init encoder's features instead of SimCLR's"))
        XCTAssertEqual(report.figures.count, 5, "four maps' figures and the retrieval figure")
        for name in report.figures { assertFigure(run.figures.appendingPathComponent(name)) }
    }

    func testNamedCheckpointThatCannotBeUsedIsAnErrorInOneLine() throws {
        let damaged = folder.appendingPathComponent("damaged.safetensors")
        try Data("not a checkpoint".utf8).write(to: damaged)
        for path in [damaged.path, folder.appendingPathComponent("none.safetensors").path] {
            let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData, "--checkpoint", path])
            XCTAssertEqual(run.exitCode, 1, path)
            let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            print("unusable checkpoint → \(message)")
            XCTAssertTrue(message.contains(path), message)
            XCTAssertEqual(message.split(separator: "\n").count, 1, "one line, got: \(message)")
        }
    }

    /// Exact t-SNE is its own choice (--exact-tsne), not the kernels' --reference switch: the
    /// settings table says the gradient is exact, and the maps are still measured.
    func testExactTSNEIsItsOwnFlag() throws {
        let run = try LessonRunner.run("Lesson6-TSNE", ["--quick", "--data", LessonRunner.sampleData, "--no-long-run",
                                                        "--exact-tsne"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let settings = run.report?.tables.first { $0.columns.first == "setting" }
        XCTAssertEqual(settings?.rows.first { $0[0].hasPrefix("Barnes-Hut opening angle") }?.last,
                       "exact gradient (--exact-tsne)")
        XCTAssertEqual(run.report?.texts["gradient"], "exact, all N² pairs (--exact-tsne)")
        XCTAssertNotNil(run.report?.values["raw pixels: 5-NN accuracy in the 2-D map"])
    }
}
