import Augmentation
import Foundation
import NeuralNet

/// Everything that defines a SimCLR pretraining run.
///
/// The defaults are the classroom configuration, Lesson 4's `--preset classroom` (its
/// default): sized to finish in minutes on a 2-core CPU.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var architecture = SimCLRModel.Architecture.classroom
    public var epochs = 10
    /// Images per step; each contributes two views, so the network sees 2 x this.
    public var batchSize = 256
    /// Peak learning rate (after warm-up), before any scaling rule.
    public var learningRate: Float = 0.06
    /// Multiply the learning rate by batchSize / 256 (the write-up's linear scaling rule).
    public var linearScaling = false
    public var temperature: Float = 0.5
    public var optimizer = OptimizerKind.sgd
    public var momentum: Float = 0.9
    public var weightDecay: Float = 1e-4
    public var warmupEpochs = 0
    /// Pretraining images per class (the first ones of each class; labels unused).
    public var imagesPerClass = 1_000
    /// Side of the augmented views: 32 for CIFAR-10 (the classroom pipeline), larger sizes
    /// use the write-up's pipeline (blur kernel 10 % of the size, ImageNet normalisation).
    public var imageSize = 32
    public var seed: UInt64 = 0
    /// kNN monitor: labelled training images per class as memory, test images per class as queries.
    public var monitorMemoryPerClass = 100
    public var monitorQueriesPerClass = 100
    public var monitorK = 200
    /// The augmentation, when a recipe file (`--config`) sets one other than the default for
    /// `imageSize`.
    ///
    /// `nil` means the default (`AugmentationPipeline.classroom` at 32 px, the write-up's
    /// pipeline otherwise). Left out of the JSON when nil, so the digest of every run that
    /// uses the default, and so resuming its checkpoints, is unchanged.
    public var augmentation: AugmentationSettings?

    public init() {}

    /// The learning rate the schedule starts from after the optional scaling rule.
    public var peakLearningRate: Float {
        linearScaling ? CosineSchedule.linearlyScaled(learningRate, batchSize: batchSize) : learningRate
    }

    /// The settings a resumed run must share with the checkpoint it continues.
    public var digest: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The augmentation for this run's image size: the recipe's, if it set one, else the
    /// default for that size.
    public func pipeline(imageSize: Int) -> AugmentationPipeline {
        if let augmentation, augmentation.crop.size == imageSize { return augmentation.pipeline }
        return Self.defaultPipeline(imageSize: imageSize)
    }

    /// The classroom pipeline at 32 px, the write-up's at any other size.
    public static func defaultPipeline(imageSize: Int) -> AugmentationPipeline {
        imageSize == 32 ? .classroom : .writeUp(size: imageSize)
    }

    public func makeOptimizer() -> Optimizer {
        switch optimizer {
        case .sgd: SGD(momentum: momentum, weightDecay: weightDecay)
        case .lars: LARS(momentum: momentum, weightDecay: weightDecay)
        case .adam: Adam(weightDecay: weightDecay)
        }
    }
}
