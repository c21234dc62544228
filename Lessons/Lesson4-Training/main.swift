// Lesson 4 — Training the encoder with the NT-Xent loss.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson4: ParsableCommand {
    /// What the lesson teaches.
    static let summary = "The heart of SimCLR: two views of each image go through the encoder and the head, and the NT-Xent loss pulls each pair together while pushing it away from every other view in the batch. This lesson works the card's loss example, says what values the loss can take, trains the classroom model, watches a kNN classifier improve although no label is used, and measures the write-up's claims about batch size, temperature and the projection head."

    static let configuration = CommandConfiguration(
        commandName: "Lesson4-Training",
        abstract: summary)

    @OptionGroup var options: LessonOptions

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        options.apply()
        let config = try flags.configuration(options: options)
        if try flags.exportConfiguration(config) { return }
        let report = options.report(lesson: "lesson4", title: "Lesson 4 — Training the encoder with the NT-Xent loss",
            summary: Self.summary)
        WorkedExample.run(report)
        LossFacts.run(report, batch: config.batchSize, temperature: Double(config.temperature))

        report.step(flags.preset == .long ? "The long run" : "The classroom run")
        let data = try PretrainingData.load(flags.dataset, options: options, imagesPerClass: config.imagesPerClass,
                                            imageSize: config.imageSize, monitorPerClass: config.monitorMemoryPerClass,
                                            report: report)
        let (images, memory, queries) = (data.images, data.memory, data.queries)
        let classCount = memory.classNames.count
        report.say("Encoder \(config.architecture), NT-Xent τ \(config.temperature), \(config.optimizer.rawValue.uppercased())"
                   + " momentum \(config.momentum), weight decay \(config.weightDecay), cosine decay to 0.")
        report.value("pretraining images (labels unused)", Double(images.count), format: "%,.0f")
        if flags.dataset == .cifar10 && images.count < config.imagesPerClass * classCount {
            report.say("(asked for \(config.imagesPerClass) per class; this data has \(images.count / classCount) — "
                       + "run with the full CIFAR-10 for the classroom's 10,000)")
        }
        guard images.count >= config.batchSize else {
            throw LessonError("\(images.count) pretraining images cannot fill one batch of \(config.batchSize): "
                                  + "use --batch-size \(max(2, images.count)) or less, or more --images-per-class")
        }
        let checkpoint = flags.checkpoint ?? flags.preset.defaultCheckpoint(quick: options.quick)
        let trainer = Trainer(config: config, images: images, monitor: (memory, queries),
                              checkpoint: URL(fileURLWithPath: checkpoint),
                              log: options.figureURL(flags.preset.logName))
        let stages = AugmentationSettings(trainer.pipeline).stages
        report.text("augmentation stages", AugmentationStage.allCases.filter(stages.contains).map(\.rawValue).joined(separator: ", ")
                    + (stages.count == AugmentationStage.allCases.count ? " (all)" : " (the others left out with --augmentations)"))
        report.value("steps per epoch", Double(trainer.stepsPerEpoch), format: "%.0f")
        report.say("The last \(trainer.droppedPerEpoch) images of each shuffled epoch are dropped so every step has exactly "
                   + "\(config.batchSize) images (\(2 * config.batchSize - 2) negatives per view).")
        report.value("peak learning rate", Double(config.peakLearningRate), format: "%.4f")
        report.say("kNN monitor: \(memory.count) labelled training images vote (k = \(min(config.monitorK, memory.count)), "
                   + "cosine, exp(s/0.1)) for \(queries.count) test images, after every epoch.")
        if flags.resume {
            try trainer.resume()
            report.say("Resumed from \(checkpoint) after epoch \(trainer.progress.epoch) (step \(trainer.progress.step)).")
        }

        let monitorBefore = trainer.progress.epoch == 0 ? trainer.monitorAccuracy() : nil
        if let before = monitorBefore {
            report.value("kNN accuracy before training (random encoder)", before * 100, format: "%.1f", unit: "%")
        }
        let snapshot = SimilaritySnapshot(trainer: trainer, images: images)
        let before = snapshot.matrix()

        let firstStep = OneStep.run(report, config: config, images: images)

        report.step("Train")
        let bar = ProgressBar(total: trainer.totalSteps, label: "training", start: trainer.progress.step)
        var stepLosses: [(step: Int, loss: Float)] = []
        let outcome = try trainer.run { event in
            switch event {
            case let .step(epoch, step, steps, loss, lrNow, rate):
                stepLosses.append((trainer.progress.step, loss))
                bar.update(trainer.progress.step, status: String(format: "epoch %d/%d step %d/%d loss %.3f lr %.4f %.0f img/s",
                                                                  epoch, config.epochs, step, steps, loss, lrNow, rate))
            case let .epochFinished(r):
                report.say(String(format: "epoch %2d: loss %.3f  contrastive accuracy %4.1f %%  kNN %4.1f %%  lr %.4f  %.0f img/s  %.0f s",
                                  r.epoch, r.meanLoss, r.contrastiveAccuracy * 100, (r.knnTop1 ?? 0) * 100, r.learningRate,
                                  r.imagesPerSecond, r.seconds))
            case .checkpointSaved:
                break
            }
        }
        // The by-hand step is the loop's first: the same loss (unless this run resumed later).
        if monitorBefore != nil, let first = stepLosses.first {
            report.record("loss of the loop's first step minus the by-hand step's", Double(first.loss - firstStep))
        }
        if case let .diverged(epoch, step, lrNow, lossNow) = outcome {
            report.say(String(format: "Training stopped: the loss became %@ at epoch %d, step %d (learning rate %.4g).",
                              "\(lossNow)", epoch, step, lrNow))
            report.say("The checkpoint of epoch \(epoch - 1) is kept. Try a smaller --lr, a few --warmup-epochs, or a larger --temperature.")
            try report.finish()
            throw ExitCode.failure
        }
        if case let .interrupted(epoch) = outcome {
            report.say("""
                Stopped by Ctrl-C during epoch \(epoch); the checkpoint of epoch \(epoch - 1) is intact. \
                Continue with: \(flags.resumeCommand)
                """)
            try report.finish()
            return
        }
        try Results.run(report, trainer: trainer, monitorBefore: monitorBefore, quick: options.quick)
        let after = snapshot.matrix()
        for (name, m) in [("before", before), ("after", after)] {
            let s = SimilaritySnapshot.summary(m)
            report.value("mean cosine of a view with its partner, \(name) training", s.partners, format: "%.2f")
            report.value("mean cosine with the other images' views, \(name) training", s.others, format: "%.2f")
        }
        report.say("""
            Before training a random ResNet (with batch norm's initial statistics) maps every image to nearly \
            the same direction; training pulls the partners together and spreads the other images apart.
            """)
        try TrainingFigures.write(report, options: options, trainer: trainer, stepLosses: stepLosses,
                                  similarityBefore: before, similarityAfter: after)
        try LongRunFigure.write(report, options: options, records: trainer.progress.records, preset: flags.preset,
                                batch: config.batchSize, temperature: Double(config.temperature))
        // The write-up's claims about batch, temperature and head, on CIFAR-10 with the classroom recipe.
        if flags.preset == .classroom && flags.dataset == .cifar10 && flags.config == nil {
            try WriteUpClaims.run(report, options: options, images: images, queries: queries)
        }
        report.say("Checkpoint: \(checkpoint) — Lessons 5 and 6 read it.")
        report.setting("model", "trained by this run, saved to \(checkpoint)")
        try report.finish()
    }
}


Lesson4.main()
