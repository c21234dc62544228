import Foundation

/// What one epoch of pretraining measured.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Mean NT-Xent loss over the epoch's steps.
    public var meanLoss: Double
    /// Contrastive accuracy: the share of views whose most similar other view is their
    /// partner (`SimCLRModel.contrastiveAccuracy`), averaged over the epoch's steps.
    public var contrastiveAccuracy: Double
    /// kNN accuracy of h on the monitor's held-out images (nil without a monitor).
    public var knnTop1: Double?
    /// The learning rate of the epoch's last step.
    public var learningRate: Double
    public var seconds: Double
    /// Source images per second (each makes two views).
    public var imagesPerSecond: Double

    public init(epoch: Int, meanLoss: Double, contrastiveAccuracy: Double, knnTop1: Double?, learningRate: Double,
                seconds: Double, imagesPerSecond: Double) {
        self.epoch = epoch
        self.meanLoss = meanLoss
        self.contrastiveAccuracy = contrastiveAccuracy
        self.knnTop1 = knnTop1
        self.learningRate = learningRate
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
    }

    // Stored under the key checkpoints have always used (and scripts/torch/train_simclr.py writes).
    enum CodingKeys: String, CodingKey {
        case epoch, meanLoss, knnTop1, learningRate, seconds, imagesPerSecond
        case contrastiveAccuracy = "positiveTop1"
    }
}
