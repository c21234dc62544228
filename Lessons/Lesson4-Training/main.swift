// Lesson 4 — Training the encoder with the NT-Xent loss.
//
// The heart of SimCLR: two augmented views of each image go through the encoder and the
// projection head, and the NT-Xent loss pulls each pair together while pushing it away
// from every other view in the batch. This lesson works the card's loss example by hand,
// says what values the loss can take, then trains the classroom model (GUIDE §3) and
// watches a kNN classifier on held-out images improve although no label is ever used.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Lesson4-Training",
        abstract: "Lesson 4: the NT-Xent loss, and SimCLR pretraining of a ResNet on CIFAR-10.")

    @OptionGroup var options: LessonOptions

    @Option(help: "Training epochs.") var epochs = 10
    @Option(help: "Images per step (each gives two views).") var batchSize = 256
    @Option(help: "Peak learning rate.") var lr: Float = 0.06
    @Flag(help: "Scale the learning rate by batch size / 256 (the write-up's linear scaling rule).") var linearScaling = false
    @Option(help: "NT-Xent temperature τ.") var temperature: Float = 0.5
    @Option(help: "Optimizer: sgd, lars or adam.") var optimizer = OptimizerKind.sgd
    @Option(help: "Weight decay.") var weightDecay: Float = 1e-4
    @Option(help: "Linear warm-up epochs before the cosine decay.") var warmupEpochs = 0
    @Option(help: "Encoder: resnet18, resnet34 or resnet50.") var arch = ResNetConfig.Depth.resnet18
    @Option(help: "Channels of the first stage (16 classroom, 64 the standard ResNet).") var width = 16
    @Option(help: "Pretraining images per class (the first ones of each class).") var imagesPerClass = 1_000
    @Option(help: "Data set to pretrain on: cifar10, stl10 or food101 (the last two from --data or data/).")
    var dataset = PretrainingDataset.cifar10
    @Option(help: "Side of the augmented views (default: 32 for CIFAR-10, 96 for STL-10, 256 for Food-101).")
    var imageSize: Int?
    @Option(help: "Where to write the checkpoint after every epoch (default: checkpoints/lesson4.safetensors, or lesson4-quick with --quick).")
    var checkpoint: String?
    @Flag(help: "Continue from the checkpoint instead of starting over.") var resume = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs))") }
        guard batchSize >= 2 else { throw ValidationError("--batch-size must be at least 2 (got \(batchSize))") }
        guard lr > 0, temperature > 0 else { throw ValidationError("--lr and --temperature must be positive") }
        guard width >= 2 && width <= 256 else { throw ValidationError("--width must be between 2 and 256 (got \(width))") }
        guard imagesPerClass >= 1 else { throw ValidationError("--images-per-class must be positive") }
        if let imageSize, imageSize < 8 || imageSize > 512 {
            throw ValidationError("--image-size must be between 8 and 512 (got \(imageSize))")
        }
        guard warmupEpochs >= 0 && warmupEpochs < epochs else {
            throw ValidationError("--warmup-epochs must be between 0 and epochs - 1 (got \(warmupEpochs))")
        }
    }

    func run() throws {
        options.apply()
        let report = Report(lesson: "lesson4", title: "Lesson 4 — Training the encoder with the NT-Xent loss",
                            url: options.reportURL(lesson: "lesson4"))
        WorkedExample.run(report)
        LossFacts.run(report, batch: options.quick ? 16 : batchSize, temperature: Double(temperature))

        report.step("The classroom run")
        let config = trainingConfiguration()
        let data = try PretrainingData.load(dataset, options: options, imagesPerClass: config.imagesPerClass,
                                            imageSize: config.imageSize, monitorPerClass: config.monitorMemoryPerClass,
                                            report: report)
        let (images, memory, queries) = (data.images, data.memory, data.queries)
        let classCount = memory.classNames.count
        report.say("Encoder \(config.architecture), NT-Xent τ \(config.temperature), \(config.optimizer.rawValue.uppercased())"
                   + " momentum \(config.momentum), weight decay \(config.weightDecay), cosine decay to 0.")
        report.value("pretraining images (labels unused)", Double(images.count), format: "%,.0f")
        if dataset == .cifar10 && images.count < config.imagesPerClass * classCount {
            report.say("(asked for \(config.imagesPerClass) per class; this data has \(images.count / classCount) — "
                       + "run with the full CIFAR-10 for the classroom's 10,000)")
        }
        let checkpoint = self.checkpoint ?? options.defaultCheckpoint
        let trainer = Trainer(config: config, images: images, monitor: (memory, queries),
                              checkpoint: URL(fileURLWithPath: checkpoint),
                              log: options.figureURL("lesson4-log.csv"))
        report.value("steps per epoch", Double(trainer.stepsPerEpoch), format: "%.0f")
        report.say("The last \(trainer.droppedPerEpoch) images of each shuffled epoch are dropped so every step has exactly "
                   + "\(config.batchSize) images (\(2 * config.batchSize - 2) negatives per view).")
        report.value("peak learning rate", Double(config.peakLearningRate), format: "%.4f")
        report.say("kNN monitor: \(memory.count) labelled training images vote (k = \(min(config.monitorK, memory.count)), "
                   + "cosine, exp(s/0.1)) for \(queries.count) test images, after every epoch.")
        if resume {
            try trainer.resume()
            report.say("Resumed from \(checkpoint) after epoch \(trainer.progress.epoch) (step \(trainer.progress.step)).")
        }

        let monitorBefore = trainer.progress.epoch == 0 ? trainer.monitorAccuracy() : nil
        if let before = monitorBefore {
            report.value("kNN accuracy before training (random encoder)", before * 100, format: "%.1f", unit: "%")
        }
        let snapshot = SimilaritySnapshot(trainer: trainer, images: images)
        let before = snapshot.matrix()

        report.step("Train")
        let bar = ProgressBar(total: trainer.totalSteps, label: "training")
        var stepLosses: [(step: Int, loss: Float)] = []
        let outcome = try trainer.run { event in
            switch event {
            case let .step(epoch, step, steps, loss, lrNow, rate):
                stepLosses.append((trainer.progress.step, loss))
                bar.update(trainer.progress.step, status: String(format: "epoch %d/%d step %d/%d loss %.3f lr %.4f %.0f img/s",
                                                                  epoch, config.epochs, step, steps, loss, lrNow, rate))
            case let .epochFinished(r):
                report.say(String(format: "epoch %2d: loss %.3f  positives found %4.1f %%  kNN %4.1f %%  lr %.4f  %.0f img/s  %.0f s",
                                  r.epoch, r.meanLoss, r.positiveTop1 * 100, (r.knnTop1 ?? 0) * 100, r.learningRate,
                                  r.imagesPerSecond, r.seconds))
            case .checkpointSaved:
                break
            }
        }
        if case let .interrupted(epoch) = outcome {
            report.say("Stopped by Ctrl-C during epoch \(epoch); the checkpoint of epoch \(epoch - 1) is intact.")
            report.say("Continue with: swift run Lesson4-Training --resume (and the same flags).")
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
        report.say("Before training a random ResNet (with batch norm's initial statistics) maps every image to nearly")
        report.say("the same direction; training pulls the partners together and spreads the other images apart.")
        try TrainingFigures.write(report, options: options, trainer: trainer, stepLosses: stepLosses,
                                  similarityBefore: before, similarityAfter: after)
        report.say("Checkpoint: \(checkpoint) — Lessons 5 and 6 read it.")
        try report.finish()
    }

    func trainingConfiguration() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        let size = imageSize ?? dataset.defaultImageSize
        // Small images keep the CIFAR stem; large ones need torchvision's downsampling stem.
        let stem: ResNetConfig.Stem = size <= 64 ? .cifar : .imagenet
        c.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: arch, width: width, stem: stem),
                                                  hidden: 512, projection: 128)
        c.imageSize = size
        c.epochs = epochs
        c.batchSize = batchSize
        c.learningRate = lr
        c.linearScaling = linearScaling
        c.temperature = temperature
        c.optimizer = optimizer
        c.weightDecay = weightDecay
        c.warmupEpochs = warmupEpochs
        c.imagesPerClass = imagesPerClass
        c.seed = options.seed
        if options.quick {
            // Seconds, not minutes: a narrow network on 160 images, two epochs.
            c.architecture = SimCLRModel.Architecture(encoder: ResNetConfig(depth: arch, width: 8, stem: stem),
                                                      hidden: 64, projection: 32)
            c.epochs = 2
            c.batchSize = 16
            c.imagesPerClass = 16
            c.monitorMemoryPerClass = 10
            c.monitorQueriesPerClass = 10
            c.warmupEpochs = 0
        }
        return c
    }
}

extension OptimizerKind: ExpressibleByArgument {}
extension ResNetConfig.Depth: ExpressibleByArgument {}

Lesson4.main()
