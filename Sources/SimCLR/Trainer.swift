import Augmentation
import Core
import Datasets
import Evaluation
import Foundation
import NeuralNet

/// SimCLR pretraining.
///
/// Each step draws a batch of images, makes two augmented views of each, and minimises
/// NT-Xent so the two views of an image agree and differ from the other images' views.
/// Labels are never used; a kNN classifier on a small labelled held-out set is measured
/// after every epoch only to show the class what is being learned.
public final class Trainer {
    /// Progress reported to the caller (the lesson draws its progress bar from these).
    public enum Event {
        case step(epoch: Int, step: Int, stepsPerEpoch: Int, loss: Float, learningRate: Float, imagesPerSecond: Double)
        case epochFinished(EpochRecord)
        case checkpointSaved(URL)
    }

    /// How a run ended.
    public enum Outcome: Equatable {
        case finished
        /// Ctrl-C: stopped after a step of this epoch; the previous epoch's checkpoint is kept.
        case interrupted(epoch: Int)
        /// The loss became NaN or infinite at this step (1-based within the epoch) and learning
        /// rate: training stopped there; the previous epoch's checkpoint is kept.
        case diverged(epoch: Int, step: Int, learningRate: Float, loss: Float)
    }

    public let config: TrainingConfiguration
    public let model: SimCLRModel
    public let optimizer: Optimizer
    public let images: InMemoryDataset
    public let pipeline: AugmentationPipeline
    let monitor: (memory: InMemoryDataset, queries: InMemoryDataset)?
    let checkpointURL: URL?
    let logURL: URL?
    public let loss: NTXent
    public internal(set) var progress: Checkpoint.Progress

    /// - Parameters:
    ///   - images: the pretraining images (their labels are never read).
    ///   - monitor: labelled images for the kNN memory and held-out queries, or nil.
    ///   - checkpoint: written after every epoch (atomically), or nil.
    ///   - log: a CSV with one row per epoch, or nil.
    public init(config: TrainingConfiguration, images: InMemoryDataset,
                monitor: (memory: InMemoryDataset, queries: InMemoryDataset)?, checkpoint: URL?, log: URL?) {
        contract(images.count >= config.batchSize, "Trainer: \(images.count) images for batches of \(config.batchSize)")
        self.config = config
        self.images = images
        self.monitor = monitor
        self.checkpointURL = checkpoint
        self.logURL = log
        var generator = SeededGenerator(seed: config.seed, .simclrInitialWeights)
        model = SimCLRModel(config.architecture, generator: &generator)
        optimizer = config.makeOptimizer()
        optimizer.prepare(model.parameters)  // its state beside the model, not among the activations
        loss = NTXent(temperature: config.temperature)
        pipeline = config.pipeline(imageSize: config.imageSize)
        progress = Checkpoint.Progress(epoch: 0, step: 0, seed: config.seed, records: [], settings: config.digest)
    }

    /// Steps per epoch.
    ///
    /// The last partial batch is dropped (as `drop_last=True`), so every step contrasts
    /// exactly `batchSize` images; the dropped images differ every epoch because the order is
    /// reshuffled.
    public var stepsPerEpoch: Int { images.count / config.batchSize }
    public var droppedPerEpoch: Int { images.count % config.batchSize }
    public var totalSteps: Int { stepsPerEpoch * config.epochs }

    public var schedule: CosineSchedule {
        CosineSchedule(base: config.peakLearningRate, totalSteps: totalSteps,
                       warmupSteps: config.warmupEpochs * stepsPerEpoch)
    }

    /// Trains from `progress.epoch` to `config.epochs`, or only up to `stoppingAfter`.
    ///
    /// Stopping early is how a run is split in two for the resume test and for a class that wants
    /// to look at the model half-way. The loop is SimCLR itself; what keeps a long run safe
    /// (Ctrl-C, the NaN stop, the epoch's statistics, the kNN monitor, the checkpoint and the
    /// log) is in `Trainer+RunControl.swift`.
    public func run(stoppingAfter epochLimit: Int? = nil, _ report: (Event) -> Void = { _ in }) throws -> Outcome {
        Interrupt.install()
        defer { Interrupt.uninstall() }
        while progress.epoch < min(config.epochs, epochLimit ?? config.epochs) {
            let epoch = progress.epoch + 1
            let order = imageOrder(epoch: epoch)
            var tally = EpochTally()
            for step in 0 ..< stepsPerEpoch {
                if Interrupt.isRequested { return .interrupted(epoch: epoch) }
                let lr = schedule.rate(at: progress.step)

                // The SimCLR step. Two augmented views of each of the batch's N images: [2N, 3, S, S].
                let views = self.views(of: batch(step, of: order), epoch: epoch, step: step)
                // The encoder f gives h, the projection head g gives z, for all 2N views at once.
                let (_, z) = model.forward(views, training: true)
                // NT-Xent: each view must pick out its partner among the 2N - 1 others.
                let (value, dz) = loss.lossAndGradient(z)
                // The gradient back through g and f to every weight, then one optimizer update.
                model.backward(dz)
                optimizer.step(model.parameters, lr: lr)

                // A NaN or infinite loss poisons every weight it touches: stop, keeping the last epoch's checkpoint.
                guard value.isFinite else { return .diverged(epoch: epoch, step: step + 1, learningRate: lr, loss: value) }
                progress.step += 1
                tally.add(loss: value, contrastiveAccuracy: SimCLRModel.contrastiveAccuracy(z), learningRate: lr)
                report(.step(epoch: epoch, step: step + 1, stepsPerEpoch: stepsPerEpoch, loss: value, learningRate: lr,
                             imagesPerSecond: tally.imagesPerSecond(batch: config.batchSize)))
            }
            try finishEpoch(epoch, tally, report)
        }
        return .finished
    }

    /// The order of the images in `epoch` (1-based): a fresh shuffle from its own stream.
    public func imageOrder(epoch: Int) -> [Int] {
        var order = Array(0 ..< images.count)
        var shuffle = SeededGenerator(seed: config.seed, .imageOrder(epoch: epoch))
        shuffle.shuffle(&order)
        return order
    }

    /// The images of step `step` (0-based): the next `batchSize` of the epoch's order.
    public func batch(_ step: Int, of order: [Int]) -> [Int] {
        Array(order[step * config.batchSize ..< (step + 1) * config.batchSize])
    }

    /// Two augmented views of each image in `indices`, drawn from the step's own stream.
    ///
    /// The tensor is `[2N, 3, S, S]`, rows `0..<N` the first views and `N..<2N` the second,
    /// in the same image order (as `NTXent` expects).
    public func views(of indices: [Int], epoch: Int, step: Int) -> Tensor {
        var draws = SeededGenerator(seed: config.seed, .viewDraws(epoch: epoch, step: step))
        let n = indices.count, size = pipeline.size, viewFloats = 3 * size * size
        return Tensor(shape: [2 * n, 3, size, size]) { buffer in
            let base = buffer.baseAddress!
            pipeline.augmentPairs(count: n, image: { images.rgbImage(at: indices[$0]) },
                                  firstViews: base, secondViews: base + n * viewFloats, using: &draws)
        }
    }
}
