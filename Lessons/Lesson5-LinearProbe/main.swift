// Lesson 5 — How good are the learned features? The linear probe.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson5: LessonCommand {
    static let commandName = "Lesson5-LinearProbe"
    /// What the lesson teaches.
    static let summary = "SimCLR's representation is judged by freezing the encoder and training only a linear classifier on its features h, with few labels. This lesson does that for the encoder from Lesson 4 and for its baselines (a random encoder, raw pixels, the same network trained with labels) and sets the results beside the card's table."

    @OptionGroup var options: LessonOptions

    @OptionGroup var shipped: ShippedModelFlags

    @Option(help: "The SimCLR checkpoint to evaluate (default: Lesson 4's, checkpoints/lesson4.safetensors or lesson4-quick with --quick).")
    var checkpoint: String?

    @Option(help: "Labelled training images per class for the probe (500: the card's 5,000 labels if spread evenly over 10 classes, our assumption).")
    var labelsPerClass = 500

    @Option(help: "Epochs of the supervised baseline on the probe's labels.")
    var supervisedEpochs = 15

    @Flag(help: "Also train the supervised baseline on all training labels (the card's 50,000; slow).")
    var allLabels = false

    @Flag(help: "Skip the label-fraction curve (10/50/100/500 labels per class).")
    var noLabelFraction = false

    @Option(help: ArgumentHelp("Folder of the shipped supervised baselines (default: data/pretrained/supervised).",
                               valueName: "folder"))
    var supervisedFolder: String?

    func validate() throws {
        guard labelsPerClass >= 2 else { throw ValidationError("--labels-per-class must be at least 2") }
        guard supervisedEpochs >= 1 else { throw ValidationError("--supervised-epochs must be at least 1") }
    }

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson5", title: "Lesson 5 — Linear probe: SimCLR against its baselines",
            summary: Self.summary)
        // The encoder Lesson 4 trained, read from its checkpoint. Without one, the lesson says how to make it and
        // evaluates the baselines only.
        report.step("The encoder from Lesson 4")
        let loaded = try LessonCheckpoint.loadAndDescribe(checkpoint, options: options, report: report)
        if loaded == nil { report.say("This run shows the baselines only.") }
        let model = loaded?.model
        let architecture = model?.architecture ?? .classroom

        // The project ships a model trained for hours by Lesson 4's own code on all 50,000 training images. It shows
        // what the same recipe gives with far more training than a lesson has time for; every number below is
        // computed from it in this run, on the same labels and test images as your model.
        report.step("The long-run model shipped with the lessons")
        let longRun = try ShippedModel.load(shipped)
        if let longRun {
            ShippedModel.describe(longRun, in: report)
        } else {
            report.say(shipped.noLongRun ? "Left out (--no-long-run): only your own model and the baselines are evaluated."
                                         : ShippedModel.missingNote)
        }

        // The probe learns from few labels and is measured on the whole test set. It never sees the test labels; its
        // weight decay is chosen on a held-out fifth of the training labels, then refitted on all of them.
        report.step("Data: few labels for the probe, the whole test set to measure")
        let source = try LessonData.locate(options, report: report)
        let (train, test) = try LessonData.load(source)
        let perClass = options.quick ? min(labelsPerClass, 20) : labelsPerClass
        let available = train.classCounts().min() ?? 0
        guard perClass <= available else {
            throw LessonError("--labels-per-class \(perClass): this data has only \(available) labelled training images in its "
                              + "smallest class; use --labels-per-class \(available) or less, or the full CIFAR-10 (--data DIR)")
        }
        let labelled = train.firstPerClass(perClass)
        let testSet = options.quick ? test.firstPerClass(20) : test
        report.value("labelled training images", Double(labelled.count), format: "%,.0f")
        report.value("test images", Double(testSet.count), format: "%,.0f")

        // The linear probe: freeze the encoder, compute the features of the labelled images once, and fit only a
        // linear classifier on them (softmax regression, L-BFGS on standardised features). Its test accuracy says
        // how much of the class is linearly readable from the features. A kNN classifier (k = 200, cosine) on the
        // same features needs no training at all. Baselines: a random encoder of the same architecture, and the raw
        // pixels.
        report.step("Linear probes on frozen features")
        let classes = train.classNames.count
        func probe(_ name: String, _ features: FeatureSet, _ testFeatures: FeatureSet, knn: Bool = true) -> ResultRow {
            let classifier = LinearProbe(training: features, classes: classes)
            let result = classifier.evaluate(testFeatures)
            let kNN = knn ? KNNClassifier(training: features, classes: classes, k: min(200, features.rows)).evaluate(testFeatures)
                : nil
            return Probes.describe(report, name, classifier, result, kNN: kNN, features: features)
        }
        var rows: [ResultRow] = []
        if let model {
            rows.append(probe("SimCLR h", FeatureExtractor.features(model, of: labelled, layer: .encoder, normalization: .cifar10),
                              FeatureExtractor.features(model, of: testSet, layer: .encoder, normalization: .cifar10)))
            rows.append(probe("SimCLR z", FeatureExtractor.features(model, of: labelled, layer: .projection, normalization: .cifar10),
                              FeatureExtractor.features(model, of: testSet, layer: .projection, normalization: .cifar10)))
        }
        if let longRun {
            var row = probe(ShippedModel.name, FeatureExtractor.features(longRun.model, of: labelled, layer: .encoder, normalization: .cifar10),
                            FeatureExtractor.features(longRun.model, of: testSet, layer: .encoder, normalization: .cifar10))
            row.setup = (longRun.model.architecture.encoder.width, longRun.progress.epoch)
            rows.append(row)
        }
        var randomGenerator = SeededGenerator(seed: options.seed, .randomEncoder)
        let random = SimCLRModel(architecture, generator: &randomGenerator)
        rows.append(probe("random init h", FeatureExtractor.features(random, of: labelled, normalization: .cifar10),
                          FeatureExtractor.features(random, of: testSet, normalization: .cifar10)))
        rows.append(probe("raw pixels", Probes.pixels(labelled), Probes.pixels(testSet), knn: false))

        // The write-up: "Always evaluate at the encoder output, not the projection head output". The head is trained
        // to discard what the augmentations change (colour, position), which a classifier may still need. Two
        // accuracies on the same n test images differ by chance by about 2·sqrt(p(1 - p)/n): a gap counts beyond that.
        if let h = rows.first(where: { $0.name == "SimCLR h" }), let z = rows.first(where: { $0.name == "SimCLR z" }) {
            report.step("Encoder output h or head output z?")
            let finding = EncoderVersusHead(h: h.top1, z: z.top1, testImages: testSet.count)
            report.value("probe on h minus probe on z", finding.gap, format: "%+.1f",
                         unit: String(format: "points (noise ±%.1f)", finding.noise))
            report.check("better features: encoder output h or head output z", source: .writeUp, document: "h > z",
                         ours: finding.outcome, unless: finding.exception)
        }

        // The other yardstick: the same network trained end to end with the probe's labels (cross entropy, pad-4 crop
        // and flip, SGD with cosine decay). A few epochs are what a lesson can afford.
        report.step("The supervised baseline: the same network trained with labels")
        for (images, name) in [(labelled, "supervised")] + (allLabels && !options.quick ? [(train, "supervised, all labels")] : []) {
            var config = SupervisedBaseline.Configuration(encoder: architecture.encoder, epochs: options.quick ? 2 : supervisedEpochs)
            config.seed = options.seed
            let baseline = SupervisedBaseline(config: config, classes: classes)
            report.say("\(name): \(architecture.encoder), \(config.epochs) epochs on \(Report.format(Double(images.count), "%,.0f")) "
                       + "labelled images, pad-4 crop + flip, SGD lr \(config.learningRate) cosine, batch \(config.batchSize).")
            let started = Date()
            let losses = baseline.train(images, progress: Supervised.progressBar(name, images: images.count, config: config))
            rows.append(Supervised.describe(report, name, baseline.evaluate(testSet), losses: losses, labels: images.count,
                                            seconds: Date().timeIntervalSince(started)))
        }

        // A few epochs undersell supervised training. The project ships networks trained once, each for the number of
        // epochs that scored best on a held-out fifth of its own labels (never the test set); their test accuracy is
        // recomputed here from the shipped weights.
        report.step("Supervised baselines trained to their best, shipped")
        let shippedSupervised = try ShippedSupervised.evaluate(test: testSet, folder: shippedFolder, named: supervisedFolder != nil)
        ShippedSupervised.describe(shippedSupervised, report: report)
        rows += shippedSupervised.map(\.row)

        // The card's table (CIFAR-10, 5,000 labels): Random Init 23.4 %, SimCLR 78.6 %, Supervised (50,000 labels)
        // 91.2 %, "+55.2 %". Each row is checked against ours (within 3 points), or marked ≠ with the setup that
        // differs: the card does not say how long its encoder was pretrained, and its width (64) is our inference
        // from its h of 512.
        report.step("The card's table beside ours")
        func row(_ name: String) -> ResultRow? { rows.first { $0.name == name } }
        let width = architecture.encoder.width
        let widthNote = "width 64: our inference from the card's h of 512"
        if let random = row("random init h") {
            report.check("Random Init, linear probe (card: 5,000 labels)", source: .card, document: 23.4, ours: random.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %",
                         unless: .differentSetup("our random encoder has width \(width) (\(widthNote)); its score depends "
                                                 + "on width and initialisation", when: width != 64))
        }
        if let simclr = row("SimCLR h") {
            let setup = loaded.flatMap { PretrainingSetup.read($0.url.path) }
            report.check("SimCLR, linear probe (card: 5,000 labels)", source: .card, document: 78.6, ours: simclr.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %", unless: setup?.cardException)
        }
        if let long = row(ShippedModel.name), let longRunSetup = longRun.flatMap({ PretrainingSetup.read($0.url.path) }) {
            report.check("\(ShippedModel.name), linear probe (card's SimCLR: 5,000 labels)", source: .card, document: 78.6,
                         ours: long.top1 * 100, tolerance: 3, format: "%.1f", unit: " %", unless: longRunSetup.cardException)
            // The random encoder has the class's model's architecture: a fair zero for the long run only when that is
            // the long run's too.
            if let random = row("random init h"), width == longRunSetup.width {
                let differences = longRunSetup.differencesFromCard
                report.check("gain of the long run over the random encoder (the card's +55.2%; 78.6 - 23.4 = 55.2, our arithmetic)",
                             source: .card, document: 55.2, ours: (long.top1 - random.top1) * 100, tolerance: 3,
                             format: "%+.1f", unit: " points",
                             unless: .differentSetup("pretrained with " + differences.joined(separator: ", ")
                                                     + "; our random encoder has width \(width) (\(widthNote))",
                                                     when: !differences.isEmpty || width != 64))
            }
        }
        if let supervised = row("supervised, all labels (shipped)") ?? row("supervised, all labels") ?? row("supervised") {
            let labels = supervised.labels
            let trained = supervised.setup?.width ?? width
            let how = supervised.setup.map { "for \($0.epochs) epochs (a shipped run)" } ?? "for a few epochs"
            report.check("Supervised (card: 50,000 labels)", source: .card, document: 91.2, ours: supervised.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %",
                         unless: .differentSetup("ours trains width \(trained) on \(Report.format(Double(labels), "%,.0f")) "
                                                 + "labels \(how)" + (labels < 50_000 ? "; --all-labels uses all 50,000" : "")
                                                 + "; the card gives no setup for this row (width 64 is our assumption)",
                                                 when: labels != 50_000 || trained != 64))
        }
        CardTable.explainGain(report, simclr: row("SimCLR h"), random: row("random init h"), quick: options.quick)

        // With few labels, the features learned without labels matter most (the card's and the paper's point). For
        // each number of labels per class: linear probes on the frozen features of your model, the long run and the
        // random encoder, and the same network trained end to end with those labels (fewer labels get more epochs,
        // about the square root, each epoch being shorter).
        var curve: [LabelFraction.Point] = []
        if !noLabelFraction {
            report.step("How many labels? The label-fraction curve")
            let supervisedEpochs = options.quick ? 2 : self.supervisedEpochs
            let shippedTop1 = ShippedSupervised.top1ByLabelsPerClass(shippedSupervised)
            let simclrTest = model.map { FeatureExtractor.features($0, of: testSet, normalization: .cifar10) }
            let longRunTest = longRun.map { FeatureExtractor.features($0.model, of: testSet, normalization: .cifar10) }
            let randomTest = FeatureExtractor.features(random, of: testSet, normalization: .cifar10)
            var epochs: [Int] = []
            let fractions = (options.quick ? [2, 5, 20] : [10, 50, 100, 500]).filter { $0 <= available }
            let bar = ProgressBar(total: fractions.count, label: "label fractions")
            for (i, k) in fractions.enumerated() {
                if var known = LabelFraction.knownPoint(rows, perClass: perClass), known.perClass == k {
                    known.supervisedBest = shippedTop1[k]               // measured above: not trained again
                    curve.append(known)
                    epochs.append(supervisedEpochs)
                    continue
                }
                let subset = train.firstPerClass(k)
                func top1(_ encoder: SimCLRModel, _ testFeatures: FeatureSet) -> Double {
                    LinearProbe(training: FeatureExtractor.features(encoder, of: subset, normalization: .cifar10), classes: classes)
                        .evaluate(testFeatures).top1
                }
                var config = SupervisedBaseline.Configuration(encoder: architecture.encoder,
                                                              epochs: LabelFraction.epochs(perClass: k, base: supervisedEpochs))
                config.seed = options.seed
                config.batchSize = min(128, subset.count)
                let supervised = SupervisedBaseline(config: config, classes: classes)
                supervised.train(subset)
                curve.append(LabelFraction.Point(perClass: k, simclr: model.map { top1($0, simclrTest!) },
                                                 longRun: longRun.map { top1($0.model, longRunTest!) },
                                                 random: top1(random, randomTest), supervised: supervised.evaluate(testSet).top1,
                                                 supervisedBest: shippedTop1[k]))
                epochs.append(config.epochs)
                bar.update(i + 1, status: "\(k) labels per class done")
            }
            LabelFraction.table(report, curve, epochs: epochs)

            // The card's Key Insight, "high performance with only a small amount of labeled data", and the write-up's
            // "competitive with supervised baselines trained from scratch", held against the curve: the long run's
            // probe beside the best supervised network with the same labels, a gap counting only beyond the noise.
            report.step("SimCLR against supervised training, label count by label count")
            LabelFraction.compareWithSupervised(curve, testImages: testSet.count, report: report)
        }

        // The card's table and ours as bars, the label-fraction curve, and the confusion matrix of your model's probe.
        report.step("Figures")
        try ProbeFigures.write(report, options: options, rows: rows, curve: curve, classNames: train.classNames)
        try report.finish()
    }
}

extension Lesson5 {
    /// Where the shipped supervised baselines are read from.
    var shippedFolder: URL { supervisedFolder.map { URL(fileURLWithPath: $0) } ?? ShippedSupervised.folder }
}

Lesson5.main()
