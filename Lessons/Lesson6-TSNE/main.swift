// Lesson 6 — Seeing the learned representation.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson6: LessonCommand {
    static let commandName = "Lesson6-TSNE"
    /// What the lesson teaches.
    static let summary = "SimCLR never sees a label, yet it should put pictures of the same kind of thing near each other. This lesson maps CIFAR-10 test images into the plane with t-SNE from raw pixels, from an untrained encoder and from the SimCLR encoder, and measures the maps so that \"SimCLR clusters by class\" is a number."

    @OptionGroup var options: LessonOptions

    @Option(help: "The SimCLR checkpoint to map (default: Lesson 4's, checkpoints/lesson4.safetensors or lesson4-quick with --quick).")
    var checkpoint: String?

    @OptionGroup var shipped: ShippedModelFlags

    @Flag(help: "Exact t-SNE over all pairs instead of Barnes-Hut (another algorithm, O(N²) per step: minutes).")
    var exactTsne = false

    @Option(help: ArgumentHelp("Test images to map and to put in the explorer page, the first of each class (default 2,000; 200 with --quick).",
                               valueName: "N"))
    var explorerPoints: Int?

    func validate() throws {
        // The perplexity sweep maps at perplexity 50, which needs more than 3 x 50 points.
        if let n = explorerPoints, n < 160 { throw ValidationError("--explorer-points must be at least 160 (t-SNE at perplexity 50 needs more than 150 points)") }
    }

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson6", title: "Lesson 6 — Seeing the representation: t-SNE maps of CIFAR-10",
            summary: Self.summary)
        let points = explorerPoints ?? (options.quick ? 200 : 2_000)
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
        guard points <= test.count else {
            throw LessonError("--explorer-points \(points): the test set has \(Report.format(Double(test.count), "%,.0f")) "
                              + "images; use at most that many")
        }
        let classes = test.classNames.count
        let mapped = test.firstIndicesPerClass(points / classes)      // test-set indices of the mapped images
        let images = test.subset(mapped)
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
                Representation.pixels(images))
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

        // Retrieval: pick a test image and ask each representation for the training images most like it (cosine
        // similarity in its full feature space, the search Lesson 4's kNN monitor votes with). An encoder that never saw
        // a label should return the query's class more often than raw pixels, which return whatever has the same
        // colours. The share of the 8 nearest that share the query's class is measured over every test image, against
        // the 5,000 labelled training images Lesson 5's probe learns from.
        report.step("Nearest neighbours: which training images each representation calls alike")
        let gallery = try source.load(.train).firstPerClass(options.quick ? 20 : 500)
        let queries = options.quick ? images : test
        var describe: [(name: String, features: (InMemoryDataset) -> FeatureSet)] = [
            ("raw pixels", Representation.pixels),
            ("random-init encoder", { Representation.encode($0, with: untrained, label: "random-init encoder") }),
        ]
        if let trained { describe.append(("SimCLR encoder", { Representation.encode($0, with: trained.model, label: "SimCLR encoder") })) }
        if let longRun {
            describe.append((Representation.longRunName, { Representation.encode($0, with: longRun.model, label: "long-run model") }))
        }
        if let supervised = try Representation.shippedSupervised() {
            describe.append((Representation.supervisedName, { Representation.encode($0, with: supervised) }))
        }
        var retrievals: [Retrieval] = []
        for (name, features) in describe {
            let found = Retrieval(name, gallery: features(gallery), queries: features(queries), count: 8)
            report.value("\(name): share of the 8 nearest training images in the query's class", 100 * found.sameClass,
                         format: "%.1f", unit: "%")
            retrievals.append(found)
        }
        Representation.retrievalTable(report, retrievals: retrievals, representations: representations,
                                      queries: queries.count, gallery: gallery.count)
        try Retrieval.write(report, options: options, results: retrievals,
                            queryIndices: Retrieval.figureQueries(labels: queries.labels, classes: classes, seed: options.seed),
                            queries: queries, gallery: gallery, shown: 8)

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

        // The explorer: one page with the maps side by side, where a student points at an image and sees what each
        // representation thinks is like it. The neighbour lists are computed here, with the kNN classifier's own
        // search among the mapped images (up to 20 each); the page's script only displays them. It is one file that
        // fetches nothing: thumbnails are a JPEG sprite sheet inside it.
        report.step("An explorer page: point at an image, see its neighbours")
        let k = min(20, images.count - 1)
        let explorerMaps = zip(representations, maps).map { rep, map in
            EmbeddingExplorer.Map(name: rep.name, points: map.result.points,
                                  neighbours: KNNClassifier(training: rep.features, classes: classes)
                                      .neighbours(of: rep.features, count: k, excludingSelf: true))
        }
        let learned = explorerMaps.last { $0.name == Representation.longRunName || $0.name == "SimCLR encoder" }
        let examples = [("cat", "frog"), ("ship", "airplane")].map { own, wrong in
            (own: own, wrong: wrong, example: learned.flatMap { learned in
                ExplorerGuide.example(own: own, wrongClass: wrong, classNames: test.classNames, labels: images.labels,
                                      imageIndices: mapped, pixels: explorerMaps[0].neighbours,
                                      learned: (learned.name, learned.neighbours), k: EmbeddingExplorer.defaultK)
            })
        }
        let explorer = EmbeddingExplorer(
            title: "Explore the representations: \(Report.format(Double(images.count), "%,.0f")) CIFAR-10 test images",
            classNames: test.classNames, labels: images.labels, imageIndices: mapped,
            thumbnails: (0 ..< images.count).map { images.rgbImage(at: $0) }, maps: explorerMaps,
            introduction: ExplorerGuide.introduction, lookFor: ExplorerGuide.lookFor,
            suggestions: ExplorerGuide.suggestions(examples, k: EmbeddingExplorer.defaultK),
            classColors: (0 ..< classes).map { Palette.color($0).cssHex })
        let explorerURL = options.figureURL("lesson6-explorer.html")
        let page = try explorer.html()
        try AtomicFile.write(Data(page.utf8), to: explorerURL)
        report.value("explorer page size", Double(page.utf8.count) / 1_000_000, format: "%.1f", unit: "MB")
        report.page(explorerURL, "the explorer: the maps side by side, and any image's nearest neighbours in each representation")
        for map in explorerMaps {
            report.text("explorer: the \(EmbeddingExplorer.defaultK) nearest of image \(mapped[0]) in \(map.name)",
                        map.neighbours[0].prefix(EmbeddingExplorer.defaultK).map { String(mapped[$0]) }.joined(separator: ", "))
        }
        for suggestion in ExplorerGuide.suggestions(examples, k: EmbeddingExplorer.defaultK) {
            report.say("Try it: " + suggestion.text)
        }
        try report.finish()
    }
}

Lesson6.main()
