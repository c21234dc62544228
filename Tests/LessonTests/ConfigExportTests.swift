import Foundation
import SimCLR
import TestSupport
import XCTest

/// The recipe file: Lesson 4 writes it (`--export-config`) and reads it back (`--config`),
/// every augmentation parameter included; and a checkpoint trained from it by
/// scripts/torch/train_simclr.py loads here with the same features.
final class ConfigExportTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("recipe")
    }

    /// A card-sized run as we read the card (width 64, 200 epochs, 5,000 per class) with every
    /// other knob away from its default.
    private var cardRun: TrainingConfiguration {
        var c = TrainingConfiguration()
        c.architecture = .card
        c.epochs = 200
        c.batchSize = 512
        c.learningRate = 0.3
        c.linearScaling = true
        c.temperature = 0.2
        c.optimizer = .lars
        c.weightDecay = 1e-6
        c.warmupEpochs = 10
        c.imagesPerClass = 5_000
        c.seed = 42
        return c
    }

    func testRecipeRoundTripKeepsEveryField() throws {
        let recipe = TrainingRecipe(dataset: "cifar10", configuration: cardRun)
        let data = try recipe.encoded()
        let back = try TrainingRecipe.decode(data, path: "recipe.json")
        XCTAssertEqual(back, recipe)
        // The default augmentation is written out in full but read back as "the default",
        // so the run's digest (what --resume compares) is that of the same run made with flags.
        XCTAssertNil(back.configuration.augmentation)
        XCTAssertEqual(back.configuration.digest, cardRun.digest)

        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "simclr-recipe/1")
        XCTAssertEqual(json["dataset"] as? String, "cifar10")
        XCTAssertEqual(json["schedule"] as? String, "cosine")
        XCTAssertEqual(json["temperature"] as? Double, 0.2)
        XCTAssertEqual(json["warmupEpochs"] as? Int, 10)
        let augmentation = try XCTUnwrap(json["augmentation"] as? [String: Any])
        let crop = try XCTUnwrap(augmentation["crop"] as? [String: Any])
        XCTAssertEqual(crop["size"] as? Int, 32)
        XCTAssertEqual(crop["scale"] as? [Double], [0.08, 1])
        XCTAssertEqual(crop["ratio"] as? [Double], [0.75, 4.0 / 3.0])
        let jitter = try XCTUnwrap(augmentation["jitter"] as? [String: Any])
        XCTAssertEqual(jitter["hue"] as? Double, 0.1)
        XCTAssertEqual(jitter["probability"] as? Double, 0.8)
        XCTAssertEqual(augmentation["grayscaleProbability"] as? Double, 0.2)
        let blur = try XCTUnwrap(augmentation["blur"] as? [String: Any])
        XCTAssertEqual(blur["kernelSize"] as? Int, 3)
        XCTAssertEqual(blur["sigma"] as? [Double], [0.1, 2])
        let normalize = try XCTUnwrap(augmentation["normalize"] as? [String: Any])
        XCTAssertEqual(normalize["mean"] as? [Double], [0.4914, 0.4822, 0.4465])
        XCTAssertEqual(AugmentationSettings(.classroom).pipeline, .classroom)
        XCTAssertEqual(AugmentationSettings(.writeUp(size: 256)).pipeline, .writeUp(size: 256))
    }

    /// Checkpoints written before recipes existed keep resuming: a configuration without its
    /// own augmentation encodes exactly as it always did.
    func testTheDigestOfEveryExistingRunIsUnchanged() {
        XCTAssertEqual(TrainingConfiguration().digest,
                       #"{"architecture":{"encoder":{"depth":"resnet18","stem":"cifar","width":16},"hidden":512,"projection":128},"#
                       + #""batchSize":256,"epochs":10,"imageSize":32,"imagesPerClass":1000,"learningRate":0.06,"#
                       + #""linearScaling":false,"momentum":0.9,"monitorK":200,"monitorMemoryPerClass":100,"#
                       + #""monitorQueriesPerClass":100,"optimizer":"sgd","seed":0,"temperature":0.5,"warmupEpochs":0,"#
                       + #""weightDecay":0.0001}"#)
    }

    func testAnEditedAugmentationIsKeptAndUsed() throws {
        var c = TrainingConfiguration()
        var settings = AugmentationSettings(.classroom)
        settings.crop.scale = 0.2 ... 1
        settings.blur?.probability = 1
        settings.jitter.hue = 0.05
        c.augmentation = settings
        let back = try TrainingRecipe.decode(try TrainingRecipe(dataset: "cifar10", configuration: c).encoded(), path: "r")
        XCTAssertEqual(back.configuration.augmentation, settings)
        let pipeline = back.configuration.pipeline(imageSize: 32)
        XCTAssertEqual(pipeline.crop.scale, 0.2 ... 1)
        XCTAssertEqual(pipeline.blur?.probability, 1)
        XCTAssertEqual(pipeline.jitter.hue, 0.05)
        XCTAssertTrue(back.configuration.digest.contains("augmentation"), "a changed augmentation is part of the digest")
    }

    func testBadRecipesFailWithOneLineNamingTheField() throws {
        let good = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: try TrainingRecipe(dataset: "cifar10", configuration: TrainingConfiguration()).encoded()) as? [String: Any])
        func edited(_ change: (inout [String: Any]) -> Void) throws -> Data {
            var json = good
            change(&json)
            return try JSONSerialization.data(withJSONObject: json)
        }
        let cases: [(Data, String)] = [
            (Data("{ not json".utf8), "not valid JSON"),
            (Data("[1, 2]".utf8), "JSON object"),
            (try edited { $0["format"] = "simclr-recipe/9" }, "simclr-recipe/9"),
            (try edited { $0["epochs"] = nil }, "\"epochs\""),
            (try edited { $0["batchSize"] = "large" }, "batchSize should be an integer"),
            (try edited { $0["dataset"] = "mnist" }, "mnist"),
            (try edited { $0["warmupEpochs"] = 10 }, "warmupEpochs"),
            (try edited { $0["schedule"] = "step" }, "schedule"),
            (try edited { json in
                var augmentation = json["augmentation"] as? [String: Any] ?? [:]
                var crop = augmentation["crop"] as? [String: Any] ?? [:]
                crop["size"] = 64
                augmentation["crop"] = crop
                json["augmentation"] = augmentation
            }, "crop.size"),
            (try edited { json in
                var augmentation = json["augmentation"] as? [String: Any] ?? [:]
                augmentation["grayscaleProbability"] = 2
                json["augmentation"] = augmentation
            }, "grayscaleProbability"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try TrainingRecipe.decode(data, path: "recipe.json")) { error in
                let text = "\(error)"
                print("bad recipe → \(text)")
                XCTAssertTrue(text.hasPrefix("recipe.json: ") && text.contains(expected), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }

    func testLesson4ExportsReadsBackAndOverrides() throws {
        let first = folder.appendingPathComponent("long-w8.json")
        let export = try LessonRunner.run("Lesson4-Training", ["--preset", "long", "--width", "8", "--export-config", first.path])
        XCTAssertEqual(export.exitCode, 0, export.stderr)
        XCTAssertTrue(export.stdout.contains("--config \(first.path)"), export.stdout)
        let recipe = try TrainingRecipe.read(first)
        XCTAssertEqual(recipe.configuration.epochs, 100)
        XCTAssertEqual(recipe.configuration.warmupEpochs, 5)
        XCTAssertEqual(recipe.configuration.architecture.encoder.width, 8)

        // Read back and written again: the same bytes.
        let second = folder.appendingPathComponent("again.json")
        let again = try LessonRunner.run("Lesson4-Training", ["--config", first.path, "--export-config", second.path])
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: second), try Data(contentsOf: first))

        // A knob flag overrides the file; everything else stays.
        let third = folder.appendingPathComponent("three-epochs.json")
        let changed = try LessonRunner.run("Lesson4-Training", ["--config", first.path, "--epochs", "3", "--warmup-epochs", "1",
                                                                "--seed", "9", "--export-config", third.path])
        XCTAssertEqual(changed.exitCode, 0, changed.stderr)
        var expected = recipe.configuration
        (expected.epochs, expected.warmupEpochs, expected.seed) = (3, 1, 9)
        XCTAssertEqual(try TrainingRecipe.read(third).configuration, expected)

        let missing = folder.appendingPathComponent("missing.json").path
        let bad = try LessonRunner.run("Lesson4-Training", ["--config", missing])
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("\(missing): no such file"), bad.stderr)
    }

    /// Run by scripts/torch/test_distributed.sh, which trains a checkpoint with torchrun and
    /// writes PyTorch's features for 64 images; skipped otherwise (it needs PyTorch).
    /// `--augmentations` leaves stages out of the recipe (and so out of training), and says
    /// which word it did not understand.
    func testAugmentationsFlagLeavesStagesOut() throws {
        let url = folder.appendingPathComponent("no-jitter.json")
        let export = try LessonRunner.run("Lesson4-Training", ["--augmentations", "crop,flip,grey,blur", "--export-config", url.path])
        XCTAssertEqual(export.exitCode, 0, export.stderr)
        let augmentation = try XCTUnwrap(try TrainingRecipe.read(url).configuration.augmentation)
        XCTAssertEqual(augmentation.jitter.probability, 0)
        XCTAssertEqual(augmentation.stages, [.crop, .flip, .grey, .blur])
        // Everything else is the classroom pipeline's.
        let classroom = AugmentationSettings(.classroom)
        XCTAssertEqual(augmentation.keeping(Set(AugmentationStage.allCases)).crop, classroom.crop)
        XCTAssertEqual(augmentation.blur, classroom.blur)
        XCTAssertEqual(augmentation.grayscaleProbability, classroom.grayscaleProbability)
        XCTAssertEqual(classroom.keeping([.flip]).stages, [.flip], "a left-out crop takes the whole image")

        let run = try LessonRunner.run("Lesson4-Training", ["--quick", "--data", LessonRunner.sampleData,
                                                            "--augmentations", "crop,flip", "--checkpoint",
                                                            folder.appendingPathComponent("two-stages.safetensors").path])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.report?.texts["augmentation stages"], "crop, flip (the others left out with --augmentations)")

        let bad = try LessonRunner.run("Lesson4-Training", ["--augmentations", "crop,sepia"])
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("unknown augmentation 'sepia'; choose from crop, flip, jitter, grey, blur"), bad.stderr)
    }

    func testPyTorchCheckpointGivesTheSameFeatures() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let checkpointPath = environment["SIMCLR_TORCH_CHECKPOINT"], let samplePath = environment["SIMCLR_TORCH_SAMPLE"] else {
            throw XCTSkip("set SIMCLR_TORCH_CHECKPOINT and SIMCLR_TORCH_SAMPLE (scripts/torch/test_distributed.sh does)")
        }
        let url = URL(fileURLWithPath: checkpointPath)
        let (architecture, progress) = try Checkpoint.inspect(url)
        var generator = SeededGenerator(seed: 0)
        let model = SimCLRModel(architecture, generator: &generator)
        try Checkpoint.load(url, into: model)
        let origin = try Checkpoint.origin(url)
        XCTAssertTrue(origin.provenance.trainer.contains("train_simclr.py"), origin.provenance.trainer)
        XCTAssertNotNil(origin.provenance.hardware)
        XCTAssertNotNil(origin.configuration)
        for line in origin.lines { print("  \(line.name): \(line.value)") }

        let (sample, _) = try SafeTensors.read(URL(fileURLWithPath: samplePath))
        let input = try XCTUnwrap(sample["input"]), torchH = try XCTUnwrap(sample["h"]), torchZ = try XCTUnwrap(sample["z"])
        let (h, z) = model.forward(input, training: false)
        XCTAssertEqual(h.shape, torchH.shape)
        let dh = zip(h.data, torchH.data).map { abs($0 - $1) }.max() ?? .infinity
        let dz = zip(z.data, torchZ.data).map { abs($0 - $1) }.max() ?? .infinity
        let scale = torchH.data.map(abs).max() ?? 0
        print(String(format: "Swift on PyTorch's checkpoint (epoch %d, step %d), %d images: max |h_swift - h_torch| = %.2e "
                     + "(|h| up to %.3f), max |z_swift - z_torch| = %.2e", progress.epoch, progress.step, input.dim(0), dh,
                     scale, dz))
        XCTAssertLessThanOrEqual(dh, 1e-5 * max(1, scale))
        XCTAssertLessThanOrEqual(dz, 1e-5 * max(1, torchZ.data.map(abs).max() ?? 0))
    }
}
