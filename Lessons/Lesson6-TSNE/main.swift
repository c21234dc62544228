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

        report.step("The images to map")
        let source = try LessonData.locate(options, report: report)
        let test = try source.load(.test)
        let images = test.firstPerClass(perClass)
        let classes = test.classNames.count
        report.value("images mapped", Double(images.count), format: "%,.0f")
        report.say("""
            The first \(perClass) test images of each class. t-SNE places every image as a point in the \
            plane so that images with similar features land near each other. It never sees a label: \
            the class colours are added afterwards, to judge the map.
            """)

        report.step("The encoder SimCLR trained (Lesson 4's checkpoint)")
        let trained = try Representations.loadEncoder(report, checkpoint: checkpoint, options: options)
        let longRun = try Representations.loadLongRun(report, shipped: shipped)
        let architecture = trained?.model.architecture ?? .classroom
        let encoder = architecture.encoder

        report.step("The representations of the same images")
        let representations = try Representations.extract(report, options: options, images: images, architecture: architecture,
                                                           trained: trained, longRun: longRun)
        if let learned = representations.first(where: { $0.name == "SimCLR encoder" }) {
            // Read from the features the encoder produced, not from its configuration.
            report.check("representation h of the ResNet-18 encoder (columns extracted)", source: .card, document: 512,
                         ours: Double(learned.features.cols), tolerance: 0, format: "%.0f-d",
                         unless: .differentSetup("this encoder has width \(encoder.width) (the card's h of 512 needs 64), so h is "
                                                 + "\(learned.features.cols)-d; Lesson 4 --width 64 trains the card's",
                                                 when: encoder.width != 64))
        }

        report.step("PCA to 50 dimensions first")
        report.say("""
            t-SNE compares every image with its neighbours by Euclidean distance. Over 3,072 pixels that \
            is slow and partly measures fine detail and noise; the leading 50 principal components keep \
            the directions along which the images vary most. The share of the variance they keep:
            """)
        let reduced = try representations.map { rep in
            // An encoder narrower than 50 (a toy checkpoint) keeps all its dimensions.
            let pca = try PCA(rep.features.values, rows: rep.features.rows, cols: rep.features.cols,
                              components: min(50, rep.features.cols))
            let kept = pca.explainedVarianceRatio.reduce(0, +)
            report.value("\(rep.name): variance kept by 50 components", 100 * kept, format: "%.1f", unit: "%")
            return pca
        }
        report.text("PCA dimensions before t-SNE (bhtsne's and scikit-learn's advice: 50)", "\(reduced[0].componentCount)")

        report.step("t-SNE's settings, beside the reference implementations")
        report.say("""
            Both documents use t-SNE — the card's workflow step 6, "Visualize Embeddings", names "t-SNE", and the \
            write-up reports that "t-SNE visualizations of the learned embeddings showed clear clustering by food \
            category" — but neither gives its settings. \
            They come from van der Maaten's bhtsne (the t-SNE authors' code) and scikit-learn's TSNE ('bhtsne/sklearn').
            """)
        let rows = images.count
        try Settings.check(report, tsne: tsne, rows: rows, input: reduced.last!)

        report.step("Embed each representation in the plane")
        report.say("""
            KL(P ‖ Q) is what t-SNE minimises: how badly the map's neighbour probabilities Q match \
            the input's P. Trustworthiness 1 means every image's 5 map neighbours are among its 5 \
            nearest in the 50-d input; points pulled in from far away lower it.
            """)
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

        report.step("Does the map cluster by class? Measured, not eyeballed")
        Separation.explain(report, representations: representations, maps: maps, classNames: test.classNames, trained: trained)

        report.step("Perplexity: how many neighbours each point listens to")
        let perplexityMaps = try Perplexity.sweep(report, tsne: tsne, seed: options.seed, base: maps.last!, input: reduced.last!,
                                                  rows: rows, labels: images.labels, classes: classes)

        report.step("Figures")
        try Figures.writeAll(report, options: options, representations: representations, maps: maps,
                             perplexityMaps: perplexityMaps, images: images, trained: trained)
        try report.finish()
    }
}

Lesson6.main()
