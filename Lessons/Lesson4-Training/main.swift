// Lesson 4 — Training the encoder with the NT-Xent loss.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson4: LessonCommand {
    static let commandName = "Lesson4-Training"
    /// What the lesson teaches.
    static let summary = "The heart of SimCLR: two views of each image go through the encoder and the head, and the NT-Xent loss pulls each pair together while pushing it away from every other view in the batch. This lesson works the card's loss example, says what values the loss can take, trains the classroom model, watches a kNN classifier improve although no label is used, and measures the write-up's claims about batch size, temperature and the projection head."

    @OptionGroup var options: LessonOptions

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        options.apply()
        let config = try flags.configuration(options: options)
        if try flags.exportConfiguration(config) { return }
        let report = options.report(lesson: "lesson4", title: "Lesson 4 — Training the encoder with the NT-Xent loss",
            summary: Self.summary)
        // NT-Xent by hand, on the card's worked example:
        //     ℓ(i, j) = -log( exp(sim(z_i, z_j)/τ) / Σ_{k≠i} exp(sim(z_i, z_k)/τ) ),  sim = cosine of the L2-normalised z.
        // The card gives z1's similarity to its partner z2 and to three of its six negatives; eight unit vectors with
        // exactly those (the other three chosen to complete its denominator 12.845) go through our NT-Xent.
        report.step("NT-Xent, the card's worked example (N = 4 images, 8 views, τ = 0.5)")
        let (z8, unlisted) = WorkedExample.views()
        let ntXent = NTXent(temperature: 0.5)
        let logits = ntXent.scaledSimilarities(z8).data     // sim/τ of every pair of the 8 views
        let rowLosses = ntXent.rowLosses(z8)                 // ℓ of each view; row 0 is the card's ℓ(z1, z2)
        WorkedExample.compare(report, z: z8, unlisted: unlisted, logits: logits, rows: rowLosses)


        // What the loss can be: ln(2N - 1) for a network that has learned nothing, and a lowest value above 0, which we
        // measure by running NT-Xent on the best possible batch (both views of an image equal, the N images a regular
        // simplex). The card's training table is held against it.
        report.step("What the loss can be")
        let floor = NTXent(temperature: config.temperature).loss(LossFacts.bestPossibleBatch(images: config.batchSize))
        LossFacts.run(report, batch: config.batchSize, temperature: Double(config.temperature), floor: Double(floor))

        // The run's data and recipe. Pretraining reads images only. The kNN monitor reads the labels of some training
        // images and asks them to vote for some test images: after every epoch it measures how well the encoder's h
        // already groups the classes, and no label ever reaches the training.
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

        // One SimCLR step by hand: the training loop's first iteration (Sources/SimCLR/Trainer.swift, run), on a second
        // trainer of the same configuration — the same initial weights, first batch, views and learning rate — so the
        // run below is untouched. Training repeats exactly these lines.
        report.step("One SimCLR step, by hand")
        let copy = Trainer(config: config, images: images, monitor: nil, checkpoint: nil, log: nil)
        let views = copy.views(of: copy.batch(0, of: copy.imageOrder(epoch: 1)), epoch: 1, step: 0)  // 2 views of N images
        let (h, z) = copy.model.forward(views, training: true)                   // encoder f → h, head g → z
        let (firstStep, dz) = copy.loss.lossAndGradient(z)                       // NT-Xent and its gradient ∂L/∂z
        copy.model.backward(dz)                                                   // back through g and f
        copy.optimizer.step(copy.model.parameters, lr: copy.schedule.rate(at: 0))   // one update
        let afterOneStep = copy.loss.loss(copy.model.forward(views, training: true).z)  // the same views again
        OneStep.describe(report, h: h, z: z, before: firstStep, after: afterOneStep, config: config)

        // Training repeats the step above for every batch of every epoch: `Trainer.run` in Sources/SimCLR/Trainer.swift
        // writes it out (shuffle, two views, forward, NT-Xent, backward, update), and after each epoch runs the kNN
        // monitor, saves a checkpoint (Ctrl-C stops cleanly; --resume continues) and appends a line to the CSV log.
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

        // What the run shows: every epoch's loss between the floor and chance, the card's table beside this run's losses,
        // the kNN monitor before and after, and how the views' similarities changed.
        report.step("What the run shows")
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

        // The loss and the kNN monitor over the run, the similarity matrices before and after, and, for the classroom
        // run, the write-up's claims about batch size, temperature and the projection head measured with short runs.
        report.step("Figures")
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
