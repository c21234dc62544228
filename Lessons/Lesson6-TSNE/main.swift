// Lesson 6 — Seeing the learned representation.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson6: ParsableCommand {
    /// What the lesson teaches.
    static let summary = "SimCLR never sees a label, yet it should put pictures of the same kind of thing near each other. This lesson maps CIFAR-10 test images into the plane with t-SNE from raw pixels, from an untrained encoder and from the SimCLR encoder, and measures the maps so that \"SimCLR clusters by class\" is a number."

    static let configuration = CommandConfiguration(
        commandName: "Lesson6-TSNE",
        abstract: summary)

    @OptionGroup var options: LessonOptions

    @Option(help: "The SimCLR checkpoint to map (default: Lesson 4's, checkpoints/lesson4.safetensors or lesson4-quick with --quick).")
    var checkpoint: String?

    @OptionGroup var shipped: ShippedModelFlags

    @Flag(help: "Exact t-SNE over all pairs instead of Barnes-Hut (another algorithm, O(N²) per step: minutes).")
    var exactTsne = false

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson6", title: "Lesson 6 — Seeing the representation: t-SNE maps of CIFAR-10",
            summary: Self.summary)
        let perClass = options.quick ? 20 : 200
        let tsne = TSNE(method: exactTsne ? .exact : .barnesHut)
        if exactTsne {
            report.say("--exact-tsne: every map uses all N² pairs, the t-SNE paper's algorithm, instead of Barnes-Hut.")
        }
        if options.reference {
            report.say("--reference: the encoders and PCA run their plain-loop kernels (slow).")
        }

        // t-SNE places every image as a point in the plane so that images with similar features land near each other.
        // It never sees a label: the class colours are added afterwards, to judge the map. We map the first test images
        // of each class.
        report.step("The images to map")
        let source = try LessonData.locate(options, report: report)
        let test = try source.load(.test)
        let images = test.firstPerClass(perClass)
        let classes = test.classNames.count
        report.value("images mapped", Double(images.count), format: "%,.0f")

        // The encoder Lesson 4 trained, and the long run shipped with the lessons (the same recipe with far more
        // training), mapped beside it.
        report.step("The encoder SimCLR trained (Lesson 4's checkpoint)")
        let trained = try LessonCheckpoint.loadAndDescribe(checkpoint, options: options, report: report)
        if trained == nil { report.say("Without it this run maps raw pixels and the random-init encoder; the SimCLR panel is omitted.") }
        let longRun = try ShippedModel.load(shipped)
        if let longRun {
            ShippedModel.describe(longRun, in: report)
        } else if !shipped.noLongRun {
            report.say(ShippedModel.missingNote)
        }
        let architecture = trained?.model.architecture ?? .classroom
        let encoder = architecture.encoder

        // Four descriptions of the same images: their raw pixels, and the h of three encoders — untrained, trained by
        // SimCLR in Lesson 4, and the long run. An encoder's h is scaled to unit length, so distances compare
        // directions: the cosine similarity SimCLR trains with. The yardstick for the maps is 5-NN accuracy in the full
        // features: each image's class guessed by a vote of its 5 nearest other images.
        report.step("The representations of the same images")
        var representations: [Representation] = []
        func add(_ name: String, title: String, _ description: String, _ features: FeatureSet) throws {
            let accuracy = try TSNE.neighbourAccuracy(points: features.values, rows: features.rows, cols: features.cols,
                                                      labels: features.labels, k: 5)
            report.say("\(name): \(description)")
            report.value("\(name): 5-NN accuracy in the full features", 100 * accuracy, format: "%.1f", unit: "%")
            representations.append(Representation(name: name, title: title, features: features, featureAccuracy: accuracy))
        }
        let h = encoder.featureDimension
        try add("raw pixels", title: "Raw pixels (3,072-d)", "32 x 32 x 3 = 3,072 numbers per image, scaled to 0–1",
                FeatureSet(rows: images.count, cols: images.imageByteCount, values: images.pixels.map { Float($0) / 255 },
                           labels: images.labels))
        var generator = SeededGenerator(seed: options.seed)
        let untrained = SimCLRModel(architecture, generator: &generator)
        try add("random-init encoder", title: "Random-init encoder (h, \(h)-d)",
                "the same ResNet with PyTorch's default random weights (seed \(options.seed)), never trained",
                Representation.encode(images, with: untrained, label: "random-init encoder"))
        if let trained {
            let epochs = "\(trained.progress.epoch) epoch\(trained.progress.epoch == 1 ? "" : "s")"
            try add("SimCLR encoder", title: "SimCLR encoder, \(epochs) (h, \(h)-d)",
                    "the encoder Lesson 4 trained with SimCLR for \(epochs), on unlabelled images only",
                    Representation.encode(images, with: trained.model, label: "SimCLR encoder"))
        }
        if let longRun {
            let epochs = longRun.progress.epoch, dimension = longRun.model.architecture.encoder.featureDimension
            try add(Representation.longRunName, title: "SimCLR, long run: \(epochs) epochs (h, \(dimension)-d)",
                    "the model shipped with the lessons, trained by Lesson 4 for \(epochs) epochs on 50,000 unlabelled images",
                    Representation.encode(images, with: longRun.model, label: "long-run model"))
        }
        report.say("5-NN chance is \(Report.format(100 / Double(classes), "%.0f")) %.")
        if let learned = representations.first(where: { $0.name == "SimCLR encoder" }) {
            // Read from the features the encoder produced, not from its configuration.
            report.check("representation h of the ResNet-18 encoder (columns extracted)", source: .card, document: 512,
                         ours: Double(learned.features.cols), tolerance: 0, format: "%.0f-d",
                         unless: .differentSetup("this encoder has width \(encoder.width) (the card's h of 512 needs 64), so h is "
                                                 + "\(learned.features.cols)-d; Lesson 4 --width 64 trains the card's",
                                                 when: encoder.width != 64))
        }

        // t-SNE compares every image with its neighbours by Euclidean distance. Over 3,072 pixels that is slow and
        // partly measures fine detail and noise; the leading 50 principal components keep the directions along which
        // the images vary most. The share of the variance they keep:
        report.step("PCA to 50 dimensions first")
        let reduced = try representations.map { rep in
            // An encoder narrower than 50 (a toy checkpoint) keeps all its dimensions.
            let pca = try PCA(rep.features.values, rows: rep.features.rows, cols: rep.features.cols,
                              components: min(50, rep.features.cols))
            report.value("\(rep.name): variance kept by 50 components", 100 * pca.explainedVarianceRatio.reduce(0, +),
                         format: "%.1f", unit: "%")
            return pca
        }
        report.text("PCA dimensions before t-SNE (bhtsne's and scikit-learn's advice: 50)", "\(reduced[0].componentCount)")

        // Both documents use t-SNE — the card's workflow step 6, "Visualize Embeddings", names "t-SNE", and the
        // write-up reports that "t-SNE visualizations of the learned embeddings showed clear clustering by food
        // category" — but neither gives its settings. Ours come from van der Maaten's bhtsne (the t-SNE authors' code)
        // and scikit-learn's TSNE. Each point's Gaussian gets its own width, found by bisection, so that the
        // distribution over its neighbours has entropy log(perplexity): that is measured.
        report.step("t-SNE's settings, beside the reference implementations")
        let rows = images.count
        TSNESettings.table(report, tsne: tsne, rows: rows)
        let calibrationInput = reduced.last!
        let entropies = tsne.method == .exact
            ? try TSNE.exactProbabilities(calibrationInput.projected, rows: rows, cols: calibrationInput.componentCount,
                                          perplexity: tsne.perplexity).conditionalEntropies
            : try TSNE.sparseProbabilities(calibrationInput.projected, rows: rows, cols: calibrationInput.componentCount,
                                           perplexity: tsne.perplexity).conditionalEntropies
        let reached = entropies.map { exp($0) }
        report.check("perplexity each point's Gaussian reaches (mean)", source: .implementation, document: tsne.perplexity,
                     ours: reached.reduce(0, +) / Double(reached.count), tolerance: 0.001, format: "%.4f")
        TSNESettings.describeCalibration(report, tsne: tsne, reached: reached)

        // KL(P ‖ Q) is what t-SNE minimises: how badly the map's neighbour probabilities Q match the input's P.
        // Trustworthiness 1 means every image's 5 map neighbours are among its 5 nearest in the 50-d input; points
        // pulled in from far away lower it.
        report.step("Embed each representation in the plane")
        var maps: [EmbeddedMap] = []
        for (rep, pca) in zip(representations, reduced) {
            let map = try EmbeddedMap.embed(rep.name, input: pca.projected, rows: rows, cols: pca.componentCount,
                                            labels: images.labels, classes: classes, tsne: tsne, seed: options.seed)
            report.value("\(rep.name): final KL", map.result.finalKL, format: "%.3f")
            report.value("\(rep.name): trustworthiness T(5) against the 50-d PCA input", map.trustworthiness,
                         format: "%.3f")
            report.value("\(rep.name): 5-NN accuracy in the 2-D map", 100 * map.mapAccuracy, format: "%.1f", unit: "%")
            report.record("\(rep.name): t-SNE seconds", map.seconds)
            maps.append(map)
        }

        // Whether a map clusters by class is measured, not eyeballed: each map's 5-NN accuracy (overall and per class)
        // against raw pixels and the untrained network. An accuracy over n images has a binomial standard error of at
        // most 50/√n points; a difference of two is noise below about twice √2 times that (3 points at n = 2,000).
        // The write-up's "clear clustering" is held against the long run: clearly grouped means ahead of both raw
        // pixels and the untrained network by more than the noise.
        report.step("Does the map cluster by class? Measured, not eyeballed")
        Separation.tables(report, representations: representations, maps: maps, classNames: test.classNames)
        let (pixels, random) = (maps[0], maps[1])
        let noise = ClusteringClaim.noise(images: rows)
        if maps.count > 2 {
            report.value("noise threshold for a difference of two map accuracies", noise, format: "%.0f", unit: "points")
        }
        for map in maps.dropFirst(2) {
            Separation.compare(map, pixels: pixels, random: random, noise: noise, classNames: test.classNames, report: report)
        }
        if let long = maps.first(where: { $0.name == Representation.longRunName }) {
            let claim = ClusteringClaim(learned: long.mapAccuracy, pixels: pixels.mapAccuracy, random: random.mapAccuracy,
                                        noise: noise)
            report.check("t-SNE \"showed clear clustering by food category\": here by CIFAR-10 class (long run)",
                         source: .writeUp, document: "clear clustering", ours: claim.outcome)
        }
        Separation.conclude(report, maps: maps, classNames: test.classNames, trained: trained)

        // Perplexity is the effective number of neighbours each image's Gaussian covers in the input. Small: only the
        // closest few count — many small clumps. Large: it looks further — broader groups. The same features (the
        // clearest map's) mapped with perplexity 5, 30 and 50; each map's KL compares it with its own P, so KL is not
        // comparable across perplexities.
        report.step("Perplexity: how many neighbours each point listens to")
        let base = maps.last!, baseInput = reduced.last!
        if base.name == Representation.longRunName {
            report.say("(The long run's features: the clearest map of this lesson.)")
        } else if base.name != "SimCLR encoder" {
            report.say("(No checkpoint: this uses the random-init encoder's features instead of SimCLR's.)")
        }
        var perplexityMaps: [EmbeddedMap] = []
        for perplexity in [5.0, 30, 50] {
            var settings = tsne
            settings.perplexity = perplexity
            let name = "perplexity \(Int(perplexity))"
            let map = perplexity == base.perplexity ? base      // made above
                : try EmbeddedMap.embed(name, input: baseInput.projected, rows: rows, cols: baseInput.componentCount,
                                        labels: images.labels, classes: classes, tsne: settings, seed: options.seed)
            report.value("\(name): final KL", map.result.finalKL, format: "%.3f")
            report.value("\(name): trustworthiness T(5) against the 50-d PCA input", map.trustworthiness, format: "%.3f")
            report.value("\(name): 5-NN accuracy in the 2-D map", 100 * map.mapAccuracy, format: "%.1f", unit: "%")
            perplexityMaps.append(map)
        }

        // The maps side by side, coloured by class, with thumbnails, and how KL fell while each map was made.
        report.step("Figures")
        try Figures.writeAll(report, options: options, representations: representations, maps: maps,
                             perplexityMaps: perplexityMaps, images: images, trained: trained)
        try report.finish()
    }
}

Lesson6.main()
