// Lesson 5 — How good are the learned features? The linear probe.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson5: ParsableCommand {
    /// What the lesson teaches.
    static let summary = "SimCLR's representation is judged by freezing the encoder and training only a linear classifier on its features h, with few labels. This lesson does that for the encoder from Lesson 4 and for its baselines (a random encoder, raw pixels, the same network trained with labels) and sets the results beside the card's table."

    static let configuration = CommandConfiguration(
        commandName: "Lesson5-LinearProbe",
        abstract: summary)

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
        report.step("The encoder from Lesson 4")
        let loaded = try Encoders.simclr(checkpoint, options: options, report: report)
        let model = loaded?.model
        let longRun = try Encoders.longRun(shipped, report: report)

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
        report.say("""
            The probe never sees the test labels; its weight decay is chosen on a held-out fifth of the \
            training labels, then refitted on all of them (L-BFGS on standardised features).
            """)

        var rows = try Probes.run(report, model: model, longRun: longRun, labelled: labelled, test: testSet,
                                  architecture: model?.architecture ?? .classroom, seed: options.seed)
        rows += try Supervised.run(report, labelled: labelled, test: testSet, train: train,
                                   architecture: (model?.architecture ?? .classroom).encoder,
                                   epochs: options.quick ? 2 : supervisedEpochs, allLabels: allLabels && !options.quick,
                                   seed: options.seed)
        let shipped = try ShippedSupervised.evaluate(test: testSet, folder: shippedFolder, named: supervisedFolder != nil)
        ShippedSupervised.describe(shipped, report: report)
        rows += shipped.map(\.row)
        let setup = loaded.flatMap { PretrainingSetup.read($0.url.path) }
        CardTable.run(report, rows: rows, model: model, setup: setup,
                      longRunSetup: longRun.flatMap { PretrainingSetup.read($0.url.path) }, quick: options.quick)
        var curve: [LabelFraction.Point] = []
        if !noLabelFraction {
            curve = try LabelFraction.run(report, model: model, longRun: longRun?.model, train: train, test: testSet,
                                          architecture: (model?.architecture ?? .classroom).encoder,
                                          fractions: (options.quick ? [2, 5, 20] : [10, 50, 100, 500]).filter { $0 <= available },
                                          supervisedEpochs: options.quick ? 2 : supervisedEpochs, seed: options.seed,
                                          known: LabelFraction.knownPoint(rows, perClass: perClass),
                                          shipped: Dictionary(shipped.compactMap { s in s.plan.perClass.map { ($0, s.row.top1) } },
                                                              uniquingKeysWith: { a, _ in a }))
        }
        try ProbeFigures.write(report, options: options, rows: rows, curve: curve, classNames: train.classNames)
        try report.finish()
    }
}

extension Lesson5 {
    /// Where the shipped supervised baselines are read from.
    var shippedFolder: URL { supervisedFolder.map { URL(fileURLWithPath: $0) } ?? ShippedSupervised.folder }
}

Lesson5.main()
