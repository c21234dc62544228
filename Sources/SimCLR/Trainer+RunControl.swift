import Core
import Foundation

/// Run control: what keeps a long run safe and visible around the SimCLR step in `run`.
extension Trainer {
    /// What an epoch's steps add up to.
    struct EpochTally {
        let started = Date()
        private(set) var steps = 0
        private(set) var lossSum = 0.0, contrastiveAccuracySum = 0.0
        /// The learning rate of the latest step.
        private(set) var learningRate: Float = 0

        mutating func add(loss: Float, contrastiveAccuracy: Float, learningRate: Float) {
            steps += 1
            lossSum += Double(loss)
            contrastiveAccuracySum += Double(contrastiveAccuracy)
            self.learningRate = learningRate
        }

        /// Source images per second so far.
        func imagesPerSecond(batch: Int) -> Double { Double(steps * batch) / Date().timeIntervalSince(started) }
    }

    /// Closes an epoch: its record (with the kNN monitor), the checkpoint and the log.
    func finishEpoch(_ epoch: Int, _ tally: EpochTally, _ report: (Event) -> Void) throws {
        let seconds = Date().timeIntervalSince(tally.started)
        let record = EpochRecord(epoch: epoch, meanLoss: tally.lossSum / Double(stepsPerEpoch),
                                 contrastiveAccuracy: tally.contrastiveAccuracySum / Double(stepsPerEpoch),
                                 knnTop1: monitorAccuracy(), learningRate: Double(tally.learningRate), seconds: seconds,
                                 imagesPerSecond: Double(stepsPerEpoch * config.batchSize) / seconds)
        progress.epoch = epoch
        progress.records.append(record)
        report(.epochFinished(record))
        if let url = checkpointURL {
            try Checkpoint.save(model, optimizer: optimizer, progress: progress, to: url)
            report(.checkpointSaved(url))
        }
        try writeLog()
    }

    /// Continues from the checkpoint: weights, batch-norm statistics, optimizer state and
    /// progress. Fails with one line if it was written by a run with other settings.
    public func resume() throws {
        guard let url = checkpointURL else { return }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileError(path: url.path, reason: "no checkpoint to resume from; run without --resume to start training")
        }
        let saved = try Checkpoint.inspect(url)
        guard saved.progress.settings == config.digest else {
            throw FileError(path: url.path, reason: "written by a run with other settings (epochs, batch, lr, data, …); "
                                  + "resume with the same flags, or start over without --resume")
        }
        progress = try Checkpoint.load(url, into: model, optimizer: optimizer)
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
