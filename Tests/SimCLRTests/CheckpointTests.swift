import Foundation
import SimCLR
import TestSupport
import XCTest

final class CheckpointTests: XCTestCase {
    private var folder: URL!
    private let tiny = SimCLRModel.Architecture(encoder: ResNetConfig(depth: .resnet18, width: 4, stem: .cifar),
                                                hidden: 16, projection: 8)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testRoundTripGivesTheSameFeatures() throws {
        var g = SeededGenerator(seed: 1)
        let model = SimCLRModel(tiny, generator: &g)
        let images = Tensor(shape: [4, 3, 32, 32], data: randomFloats(4 * 3 * 1024, seed: 2))
        _ = model.forward(images, training: true)   // moves the batch-norm running statistics
        let sgd = SGD()
        for p in model.parameters { p.grad = Tensor(shape: p.value.shape, data: randomFloats(p.value.count, seed: 3)) }
        sgd.step(model.parameters, lr: 0.1)
        let url = folder.appendingPathComponent("run.safetensors")
        let record = EpochRecord(epoch: 3, meanLoss: 4.5, contrastiveAccuracy: 0.25, knnTop1: 0.31, learningRate: 0.01,
                                 seconds: 12, imagesPerSecond: 400)
        let progress = Checkpoint.Progress(epoch: 3, step: 30, seed: 1, records: [record], settings: "abc")
        try Checkpoint.save(model, optimizer: sgd, progress: progress, to: url)

        var g2 = SeededGenerator(seed: 99)
        let copy = SimCLRModel(tiny, generator: &g2)
        let sgd2 = SGD()
        let loaded = try Checkpoint.load(url, into: copy, optimizer: sgd2)
        XCTAssertEqual(loaded, progress)
        XCTAssertEqual(sgd2.steps, 1)
        let a = model.forward(images, training: false), b = copy.forward(images, training: false)
        XCTAssertEqual(a.h, b.h)
        XCTAssertEqual(a.z, b.z)
        XCTAssertEqual(try Checkpoint.inspect(url).architecture, tiny)
    }

    func testAnotherArchitectureIsRefusedWithOneLine() throws {
        var g = SeededGenerator(seed: 1)
        let url = folder.appendingPathComponent("w4.safetensors")
        try Checkpoint.save(SimCLRModel(tiny, generator: &g), optimizer: nil,
                            progress: .init(epoch: 1, step: 1, seed: 0, records: [], settings: ""), to: url)
        var other = tiny
        other.encoder.width = 8
        XCTAssertThrowsError(try Checkpoint.load(url, into: SimCLRModel(other, generator: &g))) { error in
            let text = "\(error)"
            print("wrong architecture → \(text)")
            XCTAssertTrue(text.contains("width 4") && text.contains("width 8"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}
