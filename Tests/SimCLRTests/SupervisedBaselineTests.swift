import Foundation
import SimCLR
import TestSupport
import XCTest

/// The supervised baseline's epoch choice on held-out labels, and saving and loading it.
final class SupervisedBaselineTests: XCTestCase {
    private func tinyConfiguration(epochs: Int) -> SupervisedBaseline.Configuration {
        var config = SupervisedBaseline.Configuration(encoder: ResNetConfig(depth: .resnet18, width: 4, stem: .cifar), epochs: epochs)
        config.batchSize = 16
        return config
    }

    /// Every fifth image of each class is held out: 20 % of each class, disjoint, covering all.
    func testHeldOutSplitIsStratifiedAndDisjoint() throws {
        let images = try TrainerTests.sample(perClass: 10)
        let (fit, heldOut) = SupervisedBaseline.heldOutSplit(images)
        XCTAssertEqual(fit.count, 80)
        XCTAssertEqual(heldOut.count, 20)
        XCTAssertEqual(Set(fit).union(heldOut), Set(0 ..< 100))
        XCTAssertTrue(Set(fit).isDisjoint(with: heldOut))
        for c in 0 ..< 10 { XCTAssertEqual(heldOut.filter { images.labels[$0] == c }.count, 2, "class \(c)") }
    }

    /// The choice reports one held-out score per candidate and picks the best (ties to fewer
    /// epochs); the scores are what training that many epochs on four fifths gives.
    func testEpochChoiceTakesTheBestHeldOutScore() throws {
        let images = try TrainerTests.sample(perClass: 10)
        var seen: [(Int, Double)] = []
        let choice = SupervisedBaseline.chooseEpochs(images, candidates: [1, 3], configuration: tinyConfiguration(epochs: 1),
                                                     classes: 10) { seen.append(($0, $1)) }
        print("held-out top-1: \(zip(choice.candidates, choice.heldOutTop1).map { "\($0) epochs → \($1)" })")
        XCTAssertEqual(choice.candidates, [1, 3])
        XCTAssertEqual(seen.map(\.0), [1, 3])
        XCTAssertEqual(seen.map(\.1), choice.heldOutTop1)
        let best = choice.heldOutTop1.max()!
        XCTAssertEqual(choice.chosen, choice.candidates[choice.heldOutTop1.firstIndex(of: best)!])
        // Recomputed by hand for the candidate with 3 epochs.
        let (fit, heldOut) = SupervisedBaseline.heldOutSplit(images)
        var config = tinyConfiguration(epochs: 3)
        config.batchSize = min(config.batchSize, fit.count)
        let again = SupervisedBaseline(config: config, classes: 10)
        again.train(images.subset(fit))
        XCTAssertEqual(again.evaluate(images.subset(heldOut)).top1, choice.heldOutTop1[1])
    }

    /// Saved and loaded, the network gives exactly the same scores, and the record comes back.
    func testSaveAndLoadRoundTrip() throws {
        let images = try TrainerTests.sample(perClass: 4)
        let baseline = SupervisedBaseline(config: tinyConfiguration(epochs: 2), classes: 10)
        let losses = baseline.train(images)
        let record = SupervisedBaseline.Record(configuration: baseline.config, classes: 10, labelledImages: images.count,
                                               labels: "the first 4 per class", epochChoice: nil, epochLosses: losses,
                                               seconds: 1, command: "test")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("supervised-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try baseline.save(to: url, record: record)
        let (loaded, readBack) = try SupervisedBaseline.load(url)
        XCTAssertEqual(readBack, record)
        XCTAssertEqual(loaded.evaluate(images).predictions, baseline.evaluate(images).predictions)
        XCTAssertEqual(loaded.evaluate(images).top1, baseline.evaluate(images).top1)
    }

    /// A file that is not a supervised baseline, or whose record asks for an absurd network,
    /// is refused in one line naming the file, before anything is allocated.
    func testUnusableFilesAreRefused() throws {
        let folder = try temporaryFolder("supervised-bad")
        let other = folder.appendingPathComponent("other.safetensors")
        try SafeTensors.write([("x", Tensor(shape: [1], data: [0]))], metadata: ["format": "something else"], to: other)
        var record = SupervisedBaseline.Record(configuration: tinyConfiguration(epochs: 1), classes: 10, labelledImages: 1,
                                               labels: "", epochChoice: nil, epochLosses: [], seconds: 0, command: "")
        record.configuration.encoder.width = 1_000_000
        let huge = folder.appendingPathComponent("huge.safetensors")
        let text = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try SafeTensors.write([("x", Tensor(shape: [1], data: [0]))],
                              metadata: ["format": "simclr-swift-supervised/1", "record": text], to: huge)
        for (url, expected) in [(other, "not a supervised baseline"), (huge, "width 1000000")] {
            XCTAssertThrowsError(try SupervisedBaseline.load(url)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(url.path) && message.contains(expected), message)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }
}
