import Augmentation
import Core
import Datasets
import Evaluation
import Foundation
import NeuralNet

/// The supervised baseline: the same encoder trained end to end with labels and a linear
/// classifier on top.
///
/// It trains with cross entropy, SGD with momentum, a cosine schedule and the standard
/// pad-and-crop + flip augmentation. It answers "what would the labels alone give?".
public final class SupervisedBaseline {
    public struct Configuration: Codable, Equatable, Sendable {
        public var encoder: ResNetConfig
        public var epochs: Int
        public var batchSize = 128
        public var learningRate: Float = 0.1
        public var momentum: Float = 0.9
        public var weightDecay: Float = 5e-4
        public var seed: UInt64 = 0

        public init(encoder: ResNetConfig, epochs: Int) {
            self.encoder = encoder
            self.epochs = epochs
        }
    }

    public let config: Configuration
    public let encoder: ResNet
    public let classifier: Linear
    let augmentation = StandardAugmentation()

    public init(config: Configuration, classes: Int) {
        self.config = config
        var g = SeededGenerator(seed: config.seed, .supervisedInitialWeights)
        encoder = ResNet(config.encoder, generator: &g)
        classifier = Linear(name: "fc", inFeatures: config.encoder.featureDimension, outFeatures: classes, generator: &g)
    }

    /// Trains on `images` (with their labels). Batches are full except the last of each
    /// epoch, which is kept (with few labels every image counts). Returns the mean loss per epoch.
    @discardableResult
    public func train(_ images: InMemoryDataset, progress: (_ epoch: Int, _ step: Int, _ stepsPerEpoch: Int, _ loss: Float) -> Void = { _, _, _, _ in })
        -> [Double] {
        let optimizer = SGD(momentum: config.momentum, weightDecay: config.weightDecay)
        let batch = min(config.batchSize, images.count)
        let stepsPerEpoch = (images.count + batch - 1) / batch
        let schedule = CosineSchedule(base: config.learningRate, totalSteps: stepsPerEpoch * config.epochs)
        let parameters = encoder.parameters + classifier.parameters
        optimizer.prepare(parameters)
        var losses: [Double] = []
        var step = 0
        for epoch in 1 ... config.epochs {
            var order = Array(0 ..< images.count)
            var shuffle = SeededGenerator(seed: config.seed, .supervisedImageOrder(epoch: epoch))
            shuffle.shuffle(&order)
            var total = 0.0
            for s in 0 ..< stepsPerEpoch {
                let chosen = Array(order[s * batch ..< min(images.count, (s + 1) * batch)])
                var draws = SeededGenerator(seed: config.seed, .viewDraws(epoch: epoch, step: s))
                let x = augmentation.batch(images, indices: chosen, using: &draws)
                let logits = classifier.forward(encoder.forward(x, training: true), training: true)
                let (loss, dlogits) = softmaxCrossEntropy(logits: logits, labels: chosen.map { images.labels[$0] })
                _ = encoder.backward(classifier.backward(dlogits))
                optimizer.step(parameters, lr: schedule.rate(at: step))
                step += 1
                total += Double(loss)
                progress(epoch, s + 1, stepsPerEpoch, loss)
            }
            losses.append(total / Double(stepsPerEpoch))
        }
        return losses
    }

    /// End-to-end accuracy of encoder + classifier on `test` (evaluation mode, no augmentation).
    public func evaluate(_ test: InMemoryDataset) -> ClassificationResult {
        var scores = [Float]()
        var start = 0
        while start < test.count {
            let chunk = Array(start ..< min(test.count, start + 256))
            let x = ImageBatch.normalized(test, indices: chunk, normalization: augmentation.normalization)
            scores += classifier.forward(encoder.forward(x, training: false), training: false).data
            start += chunk.count
        }
        return ClassificationResult(scores: scores, labels: test.labels, classes: classifier.outFeatures)
    }
}
