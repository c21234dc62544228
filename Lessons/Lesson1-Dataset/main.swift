// Lesson 1 — The data set.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson1: LessonCommand {
    static let commandName = "Lesson1-Dataset"
    /// What the lesson teaches.
    static let summary = "SimCLR learns from images alone, with no labels during pretraining. This lesson looks at the CIFAR-10 images the other lessons use, checks what the two source documents say about their data sets, and shows the splits the classroom run uses."

    @OptionGroup var options: LessonOptions

    @Flag(help: "Download the official CIFAR-10 binary archive (170 MB, MD5-checked) into data/ first.")
    var download = false

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson1", title: "Lesson 1 — The data set: CIFAR-10 for SimCLR",
            summary: Self.summary)

        // CIFAR-10 (Krizhevsky 2009): 60,000 photos of 32x32 pixels in 10 classes, 50,000 for training and
        // 10,000 for testing. The lesson finds them in --data, else the full set under data/, else the bundled
        // sample (500 training and 200 test images per class), and says which it found.
        report.step("Find the images")
        if download { LessonData.download(report: report) }
        let source = try LessonData.locate(options, report: report)
        let (train, test) = try LessonData.load(source)
        report.value("train images", Double(train.count), format: "%,.0f")
        report.value("test images", Double(test.count), format: "%,.0f")

        // One image is a 3 x 32 x 32 array: three colour planes (red, green, blue) of 32 x 32 values 0–255. That is
        // the card's input shape. The classes are what the probe of Lesson 5 must tell apart; pretraining never
        // sees them.
        report.step("What one image is")
        report.check("input shape (channels x height x width)", source: .card, document: "3x32x32",
                     ours: "3x\(train.height)x\(train.width)")
        report.check("classes", source: .dataset, document: 10, ours: Double(train.classNames.count), tolerance: 0,
                     format: "%,.0f")
        report.text("class names (label 0 … 9)", train.classNames.joined(separator: ", "))
        let full = train.count == 50_000 && test.count == 10_000
        let sampleNote = "this copy holds \(Report.format(Double(train.count), "%,.0f")) train / \(Report.format(Double(test.count), "%,.0f")) test images (the bundled sample: 500 / 200 per class); use --download or --data for all 60,000"
        report.check("training images", source: .dataset, document: 50_000, ours: Double(train.count), tolerance: 0,
                     format: "%,.0f", unless: .differentSetup(sampleNote, when: !full))
        report.check("test images", source: .dataset, document: 10_000, ours: Double(test.count), tolerance: 0,
                     format: "%,.0f", unless: .differentSetup(sampleNote, when: !full))
        let counts = train.classCounts()
        report.check("training images per class", source: .dataset, document: 5_000,
                     ours: Double(counts.min() ?? 0), tolerance: 0, format: "%,.0f",
                     unless: .differentSetup(sampleNote, when: !full))
        report.check("every class equally large", source: .dataset, document: "yes",
                     ours: counts.min() == counts.max() ? "yes" : "no (\(counts))")

        // Networks train better on inputs centred near 0 with unit spread, so every image is normalised channel by
        // channel:  x' = (x - mean) / std,  with the mean and standard deviation of all the training set's pixels.
        // We measure them from the images and hold them against the constants every CIFAR-10 code base uses.
        report.step("Pixel statistics used for normalisation")
        let stats = train.channelStatistics()
        let known = Normalization.cifar10
        let names = ["red", "green", "blue"]
        // The JPEG re-encoding of the bundled data shifts pixels slightly; the sample's 5,000
        // images estimate the statistics of 50,000 to about ±0.003.
        for c in 0 ..< 3 {
            report.check("mean, \(names[c])", source: .dataset, document: Double(known.mean[c]), ours: stats.mean[c],
                         tolerance: 0.005, format: "%.4f")
        }
        for c in 0 ..< 3 {
            report.check("std, \(names[c])", source: .dataset, document: Double(known.std[c]), ours: stats.std[c],
                         tolerance: 0.005, format: "%.4f")
        }
        report.say("""
            (Many code bases use std 0.2023/0.1994/0.2010 instead: that is the mean of per-image stds, not the std \
            of all pixels. It only rescales the inputs; SimCLR learns either way.)
            """)

        // Pretraining never reads a label; the linear probe of Lesson 5 does, and the card's table gives its probe
        // 5,000 labels. Taking the first images of each class keeps every split balanced and the same on every
        // machine.
        report.step("The splits the classroom run uses")
        let (pretrainPerClass, labelsPerClass) = options.quick ? (50, 20) : (1_000, 500)
        let pretrain = train.firstPerClass(pretrainPerClass)
        let labelled = train.firstPerClass(labelsPerClass)
        report.say("Pretraining: the first \(Report.format(Double(pretrainPerClass), "%,.0f")) training images of each class, labels thrown away.")
        if pretrain.count < pretrainPerClass * train.classNames.count {
            report.say("  (this data has only \(pretrain.count / train.classNames.count) per class, so all of them are used)")
        }
        report.say("Linear probe: the first \(labelsPerClass) of each class with labels — the card's 5,000 labels, spread evenly "
                   + "(our assumption; the card does not say how they were chosen); 10 % of CIFAR-10's 50,000 by our arithmetic.")
        report.value("pretraining images", Double(pretrain.count), format: "%,.0f")
        report.value("labelled images for the probe", Double(labelled.count), format: "%,.0f")
        // Our choice of 500 per class is the card's 5,000 labels spread evenly: arithmetic, not a check.
        report.explain("the card's 5,000 labels spread evenly, per class", source: .card, document: "5,000 labels",
                       arithmetic: "5,000 / \(train.classNames.count) classes",
                       result: Report.format(5_000 / Double(train.classNames.count), "%,.0f"))

        // The write-up trains on Food-101 and the card names STL-10 beside CIFAR-10. We have neither here, so their
        // sizes are arithmetic on the data sets' own definitions, printed as explanations, not checks.
        report.step("The other documents' data sets (arithmetic of their stated sizes)")
        // Food-101 (Bossard et al. 2014): 1,000 images per class, 750 for training and 250 for testing.
        let foodClasses = 101, perClass = 1_000, trainPerClass = 750
        // Arithmetic on the write-up's own numbers (we have no Food-101 here to count): explained, not checked.
        report.explain("Food-101 images", source: .writeUp, document: "101,000", arithmetic: "101 classes x 1,000",
                       result: Report.format(Double(foodClasses * perClass), "%,.0f"))
        report.explain("Food-101 linear-evaluation train split", source: .writeUp, document: "75,750",
                       arithmetic: "101 x 750 (Food-101's own split)", result: Report.format(Double(foodClasses * trainPerClass), "%,.0f"))
        report.explain("Food-101 test split", source: .writeUp, document: "25,250", arithmetic: "101 x 250 (Food-101's own split)",
                       result: Report.format(Double(foodClasses * (perClass - trainPerClass)), "%,.0f"))
        report.say("""
            STL-10 (the card's other data set): 96x96 images, 10 classes, 5,000 labelled train, 8,000 test and \
            100,000 unlabelled images — made for self-supervised learning. Loaders for STL-10 and Food-101 \
            are in Sources/Datasets; with the files under data/ the later lessons can use them.
            """)

        // A grid of examples per class, and the class balance of the three splits.
        report.step("Figures")
        try writeFigures(train: train, test: test, pretrain: pretrain, labelled: labelled, report: report)
        try report.finish()
    }

    /// An 8-per-class grid of examples and a bar chart of the class balance.
    func writeFigures(train: InMemoryDataset, test: InMemoryDataset, pretrain: InMemoryDataset,
                      labelled: InMemoryDataset, report: Report) throws {
        let perRow = 8
        var grid = ImageGrid(title: "CIFAR-10: the first \(perRow) training images of each class", columns: perRow)
        grid.imageWidth = 64
        grid.imageHeight = 64
        grid.rowLabels = train.classNames
        let indices = train.firstIndicesPerClass(perRow)
        for c in 0 ..< train.classNames.count {
            for i in indices where train.labels[i] == c { grid.add(train.rgbImage(at: i)) }
        }
        let gridURL = options.figureURL("lesson1-grid.png")
        try grid.render(scale: options.scale).write(to: gridURL)
        report.figure(gridURL, "8 example images per class")

        var bars = BarChart(title: "Images per class in the splits the lessons use", xLabel: "class",
                            yLabel: "images", categories: train.classNames)
        bars.valueFormat = "%.0f"
        bars.add(series: "pretraining (labels unused)", values: pretrain.classCounts().map { Double($0) })
        bars.add(series: "probe labels", values: labelled.classCounts().map { Double($0) })
        bars.add(series: "test", values: test.classCounts().map { Double($0) })
        let barURL = options.figureURL("lesson1-classes.png")
        try bars.render(width: 1400, height: 700, scale: options.scale).write(to: barURL)
        report.figure(barURL, "class balance of the pretraining, probe and test splits")
    }
}

Lesson1.main()
