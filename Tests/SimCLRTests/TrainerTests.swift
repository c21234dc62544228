import Foundation
import SimCLR
import TestSupport
import XCTest

final class TrainerTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A small real data set: the first images per class of the committed sample.
    static func sample(perClass: Int) throws -> InMemoryDataset {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/cifar10-sample")
        return try CIFAR10Binary.load(from: root, split: .train).firstPerClass(perClass)
    }

    static func tinyConfig() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: .resnet18, width: 4, stem: .cifar),
                                                  hidden: 32, projection: 16)
        c.epochs = 2
        c.batchSize = 16
        c.learningRate = 0.05
        c.seed = 7
        return c
    }

    /// Two epochs straight and one epoch + resume + one epoch give the same weights, bit
    /// for bit: the data order and augmentations of an epoch depend only on (seed, epoch),
    /// and the checkpoint holds the optimizer's momentum and batch norm's statistics.
    func testResumeContinuesExactly() throws {
        let images = try Self.sample(perClass: 4)   // 40 images: 2 steps of 16, 8 dropped
        let config = Self.tinyConfig()
        let straight = Trainer(config: config, images: images, monitor: nil,
                               checkpoint: folder.appendingPathComponent("a.safetensors"), log: nil)
        XCTAssertEqual(try straight.run(), .finished)

        let url = folder.appendingPathComponent("b.safetensors")
        let first = Trainer(config: config, images: images, monitor: nil, checkpoint: url,
                            log: folder.appendingPathComponent("b.csv"))
        XCTAssertEqual(try first.run(stoppingAfter: 1), .finished)
        XCTAssertEqual(first.progress.epoch, 1)
        let second = Trainer(config: config, images: images, monitor: nil, checkpoint: url,
                             log: folder.appendingPathComponent("b.csv"))
        try second.resume()
        XCTAssertEqual(second.progress.epoch, 1)
        XCTAssertEqual(try second.run(), .finished)

        XCTAssertEqual(second.progress.records.map(\.meanLoss), straight.progress.records.map(\.meanLoss))
        for (a, b) in zip(straight.model.parameters, second.model.parameters) {
            XCTAssertEqual(a.value.data, b.value.data, "\(a.name) differs after resume")
        }
        for (a, b) in zip(straight.model.buffers, second.model.buffers) {
            XCTAssertEqual(a.value.data, b.value.data, "\(a.name) differs after resume")
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("b.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 3, csv)   // header + 2 epochs
    }

    func testResumeWithOtherSettingsIsRefused() throws {
        let images = try Self.sample(perClass: 4)
        let url = folder.appendingPathComponent("c.safetensors")
        var config = Self.tinyConfig()
        _ = try Trainer(config: config, images: images, monitor: nil, checkpoint: url, log: nil).run(stoppingAfter: 1)
        config.learningRate = 0.1
        let other = Trainer(config: config, images: images, monitor: nil, checkpoint: url, log: nil)
        XCTAssertThrowsError(try other.resume()) { error in
            XCTAssertTrue("\(error)".contains("other settings"), "\(error)")
        }
    }

    /// A few epochs on a handful of images: the loss falls from near chance, ln(2N - 1).
    func testLossFallsFromChance() throws {
        let images = try Self.sample(perClass: 8)
        var config = Self.tinyConfig()
        // Eight epochs of five steps: after four, the epoch means were still within the
        // step-to-step spread (±0.1) of chance, and whether the fourth fell below the first
        // turned on the last bits of the convolutions' rounding.
        config.epochs = 8
        config.batchSize = 16
        let trainer = Trainer(config: config, images: images, monitor: (images.firstPerClass(4), images.firstPerClass(2)),
                              checkpoint: nil, log: nil)
        var losses: [Float] = []
        _ = try trainer.run { event in
            if case .step(_, _, _, let loss, _, _) = event { losses.append(loss) }
        }
        let chance = Float(log(31.0))   // 2N - 1 = 31
        print("losses: \(losses.map { String(format: "%.3f", $0) }), chance \(chance)")
        XCTAssertEqual(losses[0], chance, accuracy: 0.3)
        XCTAssertLessThan(trainer.progress.records.last!.meanLoss, trainer.progress.records.first!.meanLoss)
        XCTAssertNotNil(trainer.progress.records.last!.knnTop1)
    }
}
