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

    /// Opening a checkpoint builds the network its metadata describes: metadata claiming a
    /// network other than the one its tensors hold (here width 256 for width-4 tensors, an
    /// 11-million-parameter model for a 44-thousand-parameter file) is refused first, in one
    /// line, and a faithful file opens to the same features.
    func testMetadataIsHeldAgainstTheTensorsBeforeBuilding() throws {
        var g = SeededGenerator(seed: 1)
        let model = SimCLRModel(tiny, generator: &g)
        let url = folder.appendingPathComponent("tiny.safetensors")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let progress = Checkpoint.Progress(epoch: 1, step: 1, seed: 1, records: [], settings: "")
        try Checkpoint.save(model, optimizer: nil, progress: progress, to: url)
        let (opened, _) = try Checkpoint.loadModel(url)
        let images = Tensor(shape: [2, 3, 32, 32], data: randomFloats(2 * 3 * 1024, seed: 4))
        XCTAssertEqual(opened.forward(images, training: false).h.data, model.forward(images, training: false).h.data)

        let (tensors, read) = try SafeTensors.read(url)
        var metadata = read
        var claimed = tiny
        claimed.encoder.width = 256
        metadata["architecture"] = String(decoding: try JSONEncoder().encode(claimed), as: UTF8.self)
        try SafeTensors.write(tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, metadata: metadata, to: url)
        XCTAssertThrowsError(try Checkpoint.loadModel(url)) { error in
            let text = "\(error)"
            print("lying metadata → \(text)")
            XCTAssertTrue(text.contains(url.path) && text.contains("'conv1.weight' is [256, 3, 3, 3], but the file's is [4, 3, 3, 3]"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}

/// A head other than the MLP is stored in the architecture and read back; the MLP is written
/// exactly as before heads could be chosen (no "head" key), so older checkpoints and settings
/// digests are unchanged.
final class HeadKindCheckpointTests: XCTestCase {
    func testArchitectureEncodingKeepsTheMLPsOldForm() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let mlp = SimCLRModel.Architecture.classroom
        let text = String(decoding: try encoder.encode(mlp), as: UTF8.self)
        XCTAssertFalse(text.contains("head"), text)
        XCTAssertEqual(try JSONDecoder().decode(SimCLRModel.Architecture.self, from: Data(text.utf8)), mlp)
        var linear = mlp
        linear.head = .linear
        let linearText = String(decoding: try encoder.encode(linear), as: UTF8.self)
        XCTAssertTrue(linearText.contains("\"head\":\"linear\""), linearText)
        XCTAssertEqual(try JSONDecoder().decode(SimCLRModel.Architecture.self, from: Data(linearText.utf8)), linear)
    }

    func testEachHeadSavesAndLoads() throws {
        let folder = try temporaryFolder("heads")
        let images = Tensor(shape: [2, 3, 32, 32], data: randomFloats(2 * 3 * 1024, seed: 5))
        for kind in ProjectionHead.Kind.allCases {
            let architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: .resnet18, width: 4, stem: .cifar),
                                                        hidden: 16, projection: 8, head: kind)
            var g = SeededGenerator(seed: 1)
            let model = SimCLRModel(architecture, generator: &g)
            let url = folder.appendingPathComponent("\(kind).safetensors")
            try Checkpoint.save(model, optimizer: nil, progress: Checkpoint.Progress(epoch: 1, step: 1, seed: 1, records: [],
                                                                                      settings: ""), to: url)
            let (loaded, _) = try Checkpoint.loadModel(url)
            XCTAssertEqual(loaded.architecture, architecture)
            let z = model.forward(images, training: false).z, zLoaded = loaded.forward(images, training: false).z
            XCTAssertEqual(z.shape, [2, kind == .none ? architecture.encoder.featureDimension : 8], "\(kind)")
            XCTAssertEqual(zLoaded.data, z.data, "\(kind)")
        }
    }
}
