import Foundation
import SimCLR
import TestSupport
import XCTest

final class EvaluationProtocolTests: XCTestCase {
    /// The linear probe reads features of a frozen encoder: after extracting features and
    /// fitting the probe, every weight and batch-norm statistic is identical, bit for bit.
    func testEncoderStaysFrozen() throws {
        let images = try TrainerTests.sample(perClass: 6)
        var g = SeededGenerator(seed: 4)
        let model = SimCLRModel(TrainerTests.tinyConfig().architecture, generator: &g)
        let before = (model.parameters.map(\.value), model.buffers.map(\.value))
        let features = FeatureExtractor.features(model, of: images, normalization: .cifar10)
        let probe = LinearProbe(training: features, classes: 10)
        _ = probe.evaluate(features)
        _ = KNNClassifier(training: features, classes: 10, k: 5).evaluate(features)
        XCTAssertEqual(model.parameters.map(\.value), before.0, "weights changed")
        XCTAssertEqual(model.buffers.map(\.value), before.1, "batch-norm statistics changed")
        XCTAssertEqual(features.rows, images.count)
        XCTAssertEqual(features.cols, model.architecture.encoder.featureDimension)
    }

    /// Pad-and-crop + flip: with offsets 0 and no flip the batch is the plainly normalised
    /// image; a flip mirrors it; a shift moves it and fills with zero pixels.
    func testStandardAugmentation() throws {
        let images = try TrainerTests.sample(perClass: 1)
        let plain = ImageBatch.normalized(images, indices: [0], normalization: .cifar10)
        var augmentation = StandardAugmentation()
        augmentation.padding = 0
        var g = SeededGenerator(seed: 1)
        var sawFlip = false, sawPlain = false
        for _ in 0 ..< 20 {
            let b = augmentation.batch(images, indices: [0], using: &g)
            if b == plain { sawPlain = true; continue }
            // Otherwise it must be the mirror image.
            for c in 0 ..< 3 { for y in 0 ..< 32 { for x in 0 ..< 32 {
                XCTAssertEqual(b.data[(c * 32 + y) * 32 + x], plain.data[(c * 32 + y) * 32 + 31 - x])
            } } }
            sawFlip = true
        }
        XCTAssertTrue(sawFlip && sawPlain)
        augmentation.padding = 4
        var shifted = false
        for _ in 0 ..< 20 {
            let b = augmentation.batch(images, indices: [0], using: &g)
            // Zero padding shows up as the normalised value of a black pixel somewhere on an edge.
            let black = (0 - Normalization.cifar10.mean[0]) / Normalization.cifar10.std[0]
            if (0 ..< 32).contains(where: { b.data[$0] == black || b.data[31 * 32 + $0] == black
                || b.data[$0 * 32] == black || b.data[$0 * 32 + 31] == black }) { shifted = true }
        }
        XCTAssertTrue(shifted)
    }

    /// The supervised baseline fits a few labelled images (training accuracy rises far
    /// above the 10 % of chance), so it is a real baseline and not a constant.
    func testSupervisedBaselineLearns() throws {
        let images = try TrainerTests.sample(perClass: 4)
        var config = SupervisedBaseline.Configuration(encoder: ResNetConfig(depth: .resnet18, width: 4, stem: .cifar), epochs: 60)
        config.batchSize = 40
        config.learningRate = 0.05
        let baseline = SupervisedBaseline(config: config, classes: 10)
        let losses = baseline.train(images)
        let accuracy = baseline.evaluate(images).top1
        print("supervised on 40 images: loss \(losses.first!) → \(losses.last!), training accuracy \(accuracy)")
        XCTAssertLessThan(losses.last!, losses.first! * 0.7)
        XCTAssertGreaterThan(accuracy, 0.4)
    }
}
