import Augmentation
import Core
import Datasets
import Evaluation
import Foundation
import NeuralNet

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

/// SimCLR pretraining: each step draws a batch of images, makes two augmented views of
/// each, and minimises NT-Xent so the two views of an image agree and differ from the
/// other images' views. Labels are never used; a kNN classifier on a small labelled
/// held-out set is measured after every epoch only to show the class what is being learned.
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
    let loss: NTXent
    public private(set) var progress: Checkpoint.Progress

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
        var generator = SeededGenerator(seed: config.seed, stream: [0x1417])
        model = SimCLRModel(config.architecture, generator: &generator)
        optimizer = config.makeOptimizer()
        loss = NTXent(temperature: config.temperature)
        pipeline = config.pipeline(imageSize: config.imageSize)
        progress = Checkpoint.Progress(epoch: 0, step: 0, seed: config.seed, records: [], settings: config.digest)
    }

    /// Steps per epoch: the last partial batch is dropped (as `drop_last=True`), so every
    /// step contrasts exactly `batchSize` images; the dropped images differ every epoch
    /// because the order is reshuffled.
    public var stepsPerEpoch: Int { images.count / config.batchSize }
    public var droppedPerEpoch: Int { images.count % config.batchSize }
    public var totalSteps: Int { stepsPerEpoch * config.epochs }

    public var schedule: CosineSchedule {
        CosineSchedule(base: config.peakLearningRate, totalSteps: totalSteps,
                       warmupSteps: config.warmupEpochs * stepsPerEpoch)
    }

    /// Continues from the checkpoint: weights, batch-norm statistics, optimizer state and
    /// progress. Fails with one line if it was written by a run with other settings.
    public func resume() throws {
        guard let url = checkpointURL else { return }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError(path: url.path, reason: "no checkpoint to resume from; run without --resume to start training")
        }
        let saved = try Checkpoint.inspect(url)
        guard saved.progress.settings == config.digest else {
            throw CheckpointError(path: url.path, reason: "written by a run with other settings (epochs, batch, lr, data, …); "
                                  + "resume with the same flags, or start over without --resume")
        }
        progress = try Checkpoint.load(url, into: model, optimizer: optimizer)
    }

    /// Trains from `progress.epoch` to `config.epochs` (or only up to `stoppingAfter`,
    /// which is how a run is split in two for the resume test and for a class that wants
    /// to look at the model half-way).
    public func run(stoppingAfter epochLimit: Int? = nil, _ report: (Event) -> Void = { _ in }) throws -> Outcome {
        Interrupt.install()
        defer { Interrupt.uninstall() }
        let batch = config.batchSize, size = pipeline.size
        let viewFloats = 3 * size * size
        while progress.epoch < min(config.epochs, epochLimit ?? config.epochs) {
            let epoch = progress.epoch + 1
            let started = Date()
            var order = Array(0 ..< images.count)
            var shuffle = SeededGenerator(seed: config.seed, stream: [0x5EED, UInt64(epoch)])
            shuffle.shuffle(&order)
            var lossSum = 0.0, top1Sum = 0.0, lr: Float = 0
            for s in 0 ..< stepsPerEpoch {
                if Interrupt.isRequested { return .interrupted(epoch: epoch) }
                let chosen = Array(order[s * batch ..< (s + 1) * batch])
                var draws = SeededGenerator(seed: config.seed, stream: [0xA06, UInt64(epoch), UInt64(s)])
                let views = Tensor(shape: [2 * batch, 3, size, size]) { buffer in
                    let base = buffer.baseAddress!
                    pipeline.augmentPairs(count: batch, image: { images.rgbImage(at: chosen[$0]) },
                                          firstViews: base, secondViews: base + batch * viewFloats, using: &draws)
                }
                lr = schedule.rate(at: progress.step)
                let result = model.trainStep(views: views, loss: loss, optimizer: optimizer, lr: lr)
                // A NaN or infinite loss poisons every weight it touches: stop here rather than
                // spend hours on a dead model, and leave the last epoch's checkpoint as it is.
                guard result.loss.isFinite else {
                    return .diverged(epoch: epoch, step: s + 1, learningRate: lr, loss: result.loss)
                }
                progress.step += 1
                lossSum += Double(result.loss)
                top1Sum += Double(result.contrastiveAccuracy)
                let rate = Double((s + 1) * batch) / Date().timeIntervalSince(started)
                report(.step(epoch: epoch, step: s + 1, stepsPerEpoch: stepsPerEpoch, loss: result.loss,
                             learningRate: lr, imagesPerSecond: rate))
            }
            let seconds = Date().timeIntervalSince(started)
            let record = EpochRecord(epoch: epoch, meanLoss: lossSum / Double(stepsPerEpoch),
                                     contrastiveAccuracy: top1Sum / Double(stepsPerEpoch), knnTop1: monitorAccuracy(),
                                     learningRate: Double(lr), seconds: seconds,
                                     imagesPerSecond: Double(stepsPerEpoch * batch) / seconds)
            progress.epoch = epoch
            progress.records.append(record)
            report(.epochFinished(record))
            if let url = checkpointURL {
                try Checkpoint.save(model, optimizer: optimizer, progress: progress, to: url)
                report(.checkpointSaved(url))
            }
            try writeLog()
        }
        return .finished
    }

    /// kNN top-1 of h: labelled memory images vote for held-out queries.
    public func monitorAccuracy() -> Double? {
        guard let monitor else { return nil }
        let norm = pipeline.normalization ?? .cifar10
        let memory = FeatureExtractor.features(model, of: monitor.memory, normalization: norm)
        let queries = FeatureExtractor.features(model, of: monitor.queries, normalization: norm)
        let knn = KNNClassifier(training: memory, classes: monitor.memory.classNames.count,
                                k: min(config.monitorK, memory.rows))
        return knn.evaluate(queries).top1
    }

    /// The per-epoch CSV, rewritten whole (atomically) after every epoch.
    func writeLog() throws {
        guard let url = logURL else { return }
        var text = "epoch,loss,contrastive_accuracy,knn_top1,learning_rate,seconds,images_per_second\n"
        for r in progress.records {
            let knn = r.knnTop1.map { String(format: "%.4f", $0) } ?? ""
            text += "\(r.epoch),\(String(format: "%.5f", r.meanLoss)),\(String(format: "%.4f", r.contrastiveAccuracy)),\(knn),"
                + "\(String(format: "%.6f", r.learningRate)),\(String(format: "%.1f", r.seconds)),\(String(format: "%.1f", r.imagesPerSecond))\n"
        }
        try AtomicFile.write(Data(text.utf8), to: url)
    }
}
