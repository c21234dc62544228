// Lesson 3 — Augmentation: two views of one image.
//
// SimCLR has no labels. Its only teacher is the statement "these two pictures come from the
// same image": two random augmentations ("views") of one image form a positive pair, and
// views of other images are the negatives. What the network learns is therefore decided by
// the augmentations — what they change is what it learns to ignore. This lesson draws two
// views of the card's cat and lists every random choice behind them, checks the documents'
// augmentation numbers against what our pipeline measurably does, runs the write-up's 256 px
// pipeline on a photo one transform at a time, shows which augmentations matter, and times
// the two code paths.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Lesson3-Augmentation",
        abstract: "Lesson 3: two augmented views of one image (SimCLR's positive pairs) and the documents' augmentation numbers.")

    @OptionGroup var options: LessonOptions

    /// Draws behind each measured probability: the standard error of a frequency near 0.5
    /// is then 0.5 points, a third of the ±1.5-point tolerance.
    static let draws = 10_000

    /// 4.5 standard errors of a frequency measured as a percentage over `draws` draws, each
    /// firing with probability `percent` / 100: sqrt(p(1 - p)/n). At p = 0 or 1 the count has
    /// no spread, and the tolerance is half a draw.
    static func binomialTolerance(percent: Double, draws: Int) -> Double {
        let p = percent / 100
        return max(4.5 * (p * (1 - p) / Double(draws)).squareRoot() * 100, 50 / Double(draws))
    }

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson3", title: "Lesson 3 — Augmentation: two views of one image",
            summary: "SimCLR's only teacher is the statement \"these two pictures come from the same image\": two random augmentations of one image form a positive pair. What the augmentations change is what the network learns to ignore. This lesson draws views of a real image with every random choice behind them, checks the documents' augmentation numbers and shows which augmentations matter.")
        // One generator seeded with --seed; each step takes its own stream, so a step's
        // draws do not change when another step draws more or less.
        var master = SeededGenerator(seed: options.seed)
        let classroom = AugmentationPipeline.classroom
        let writeUp = AugmentationPipeline.writeUp(size: 256)

        report.step("Find the images")
        let source = try LessonData.locate(options, report: report)
        let (photo, photoURL) = try LessonInputs.photo()
        report.text("photo", "\(Report.displayPath(photoURL)), \(photo.width)x\(photo.height) (Chelsea the cat; CC0, from scikit-image)")
        let test = try source.load(.test)
        let catIndex = try LessonInputs.firstCat(in: test)
        let cat = test.rgbImage(at: catIndex)
        report.text("the card's image", "test image #\(catIndex), the first labelled cat (test/cat/0000.jpg), \(cat.width)x\(cat.height)")

        report.step("The card's example: one cat, two views")
        report.say("A view is the image sent through the classroom pipeline (the README's classroom run), these stages in this order:")
        for line in classroom.stageLines { report.say("    " + line) }
        report.say("""
            Each view first draws all its random choices, then applies them. So a view can be listed \
            exactly, and replayed: the same --seed gives the same two views on every machine.
            """)
        var cardGenerator = master.split()
        let pair = classroom.pair(of: cat, using: &cardGenerator)
        for (name, view) in [("view 1", pair.first), ("view 2", pair.second)] {
            report.text(name, view.parameters.summary)
            for line in view.parameters.lines { report.say("      " + line) }
        }
        let view = pair.first.image
        report.check("view shape (channels x height x width)", source: .card, document: "3x32x32",
                     ours: "\(view.channels)x\(view.height)x\(view.width)")
        // The same draws through both implementations: the plain loops a student can read
        // against torchvision's formulas, and the fused SIMD kernels training uses.
        var pathDifference: Float = 0
        for v in [pair.first, pair.second] {
            let reference = classroom.apply(v.parameters, to: cat, path: .reference)
            let optimized = classroom.apply(v.parameters, to: cat, path: .optimized)
            for (a, b) in zip(reference.data, optimized.data) { pathDifference = max(pathDifference, abs(a - b)) }
        }
        report.value("largest difference, reference vs optimized path (same draws)", Double(pathDifference), format: "%.1e")
        report.say("""
            The two views differ in crop, colours and blur, yet both show the same cat: a positive pair. \
            Training pulls the network's outputs for the two views together and pushes other images' away.
            """)
        try writeViewsFigure(cat: cat, catIndex: catIndex, pair: pair, pipeline: classroom, report: report)

        report.step("Many images, many views")
        report.say("""
            In training, every image of a batch of N gets two views; each view has exactly one positive \
            (its partner) and 2N - 2 negatives (the other images' views). Six views of eight images:
            """)
        var gridGenerator = master.split()
        try writeGridFigure(test: test, pipeline: classroom, using: &gridGenerator, report: report)

        report.step("The documents' numbers, checked against what the code does")
        checkDocumentNumbers(classroom: classroom, writeUp: writeUp, using: &master, report: report)

        report.step("The write-up's 256 px pipeline on a photo, one transform at a time")
        var photoGenerator = master.split()
        try showWriteUpPipeline(photo: photo, pipeline: writeUp, using: &photoGenerator, report: report)

        report.step("Which augmentations matter")
        var ablationGenerator = master.split()
        try showAblation(photo: photo, test: test, using: &ablationGenerator, report: report)

        report.step("Leaving out colour jitter or blur, measured by training")
        try measureLeavingOut(train: try source.load(.train), test: test, report: report)

        report.step("Speed: the reference loops and the optimized path")
        measureSpeed(test: test, pipeline: classroom, report: report)

        try report.finish()
    }

    /// Step 4: the kernel-size rule, then every probability and range measured over
    /// `Lesson3.draws` seeded draws and compared with the documents.
    func checkDocumentNumbers(classroom: AugmentationPipeline, writeUp: AugmentationPipeline,
                              using master: inout SeededGenerator, report: Report) {
        report.say("""
            The write-up's Gaussian blur kernel = int(0.1 x image side), made odd by adding 1 when even. \
            It states the result at its own 256 px; the card gives no kernel size, so at CIFAR-10's and STL-10's \
            sizes we apply the write-up's rule:
            """)
        report.check("blur kernel at 256 px (Food-101)", source: .writeUp, document: 25,
                     ours: Double(GaussianBlur.kernelSize(forImageSize: 256)), tolerance: 0, format: "%.0f")
        for (side, what) in [(32, "CIFAR-10"), (96, "STL-10")] {
            report.value("blur kernel at \(side) px (\(what)) by the write-up's rule",
                         Double(GaussianBlur.kernelSize(forImageSize: side)), format: "%.0f")
        }
        report.say("(int(3.2) = 3, int(9.6) = 9 and int(25.6) = 25 are odd already; at the paper's 224 px, int(22.4) = 22")
        report.say(" is even and becomes \(GaussianBlur.kernelSize(forImageSize: 224)).)")

        let n = Report.format(Double(Self.draws), "%,.0f")
        report.say("")
        report.say("""
            Probabilities: not the constants in our code but how often each stage really fired in \(n) \
            seeded draws of the classroom pipeline (a 32x32 image). A count of n draws that each fire with \
            probability p scatters by sqrt(p(1 - p)/n) (0.4 points for p 0.8 here); the tolerance is 4.5 times \
            that, so a correct pipeline fails by chance about once in 100,000 checks, and a wrong p fails at once.
            """)
        var g = master.split()
        let stages = StageFrequencies(classroom, height: 32, width: 32, draws: Self.draws, using: &g)
        func percent(_ name: String, _ source: Source, _ document: Double, _ count: Int) {
            report.check(name, source: source, document: document, ours: stages.percent(count),
                         tolerance: Self.binomialTolerance(percent: document, draws: Self.draws),
                         format: "%.1f", unit: " %")
        }
        percent("horizontal flip, how often", .writeUp, 50, stages.flips)
        percent("colour jitter, how often (p 0.8)", .writeUp, 80, stages.jitters)
        percent("grayscale, how often (p 0.2)", .writeUp, 20, stages.greys)
        percent("blur, how often (classroom pipeline)", .paper, 50, stages.blurs)
        var h = master.split()
        let photoStages = StageFrequencies(writeUp, height: 300, width: 451, draws: Self.draws, using: &h)
        report.check("blur, how often (write-up pipeline)", source: .writeUp, document: 100,
                     ours: photoStages.percent(photoStages.blurs),
                     tolerance: Self.binomialTolerance(percent: 100, draws: Self.draws), format: "%.1f", unit: " %")
        report.say("""
            Blur: the write-up applies it to every view, the SimCLR paper to half of them. The classroom \
            run follows the paper (p 0.5); the write-up's 256 px pipeline below blurs always.
            """)

        report.say("")
        report.say("""
            ColorJitter(brightness 0.4, contrast 0.4, saturation 0.4, hue 0.1): each factor is drawn from \
            [1 - x, 1 + x], hue from [-h, h], and the four are applied in a random order every time.
            """)
        let j = classroom.jitter
        report.check("ColorJitter strengths (b, c, s, h)", source: .writeUp, document: "(0.4, 0.4, 0.4, 0.1)",
                     ours: String(format: "(%.1f, %.1f, %.1f, %.1f)", j.brightness, j.contrast, j.saturation, j.hue))
        func range(_ e: Extremes<Float>, _ f: String) -> String {
            "[\(String(format: f, e.low ?? .nan)), \(String(format: f, e.high ?? .nan))]"
        }
        report.check("brightness factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.brightness, "%.2f"))
        report.check("contrast factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.contrast, "%.2f"))
        report.check("saturation factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.saturation, "%.2f"))
        report.check("hue shifts drawn", source: .torchvision, document: "[-0.10, +0.10]", ours: range(stages.hue, "%+.2f"))
        report.check("orders of the four adjustments seen", source: .torchvision, document: 24,
                     ours: Double(stages.orders.count), tolerance: 0, format: "%.0f")
        report.check("blur sigmas drawn", source: .paper, document: "[0.10, 2.00]", ours: range(stages.sigma, "%.2f"))

        report.say("")
        report.say("""
            RandomResizedCrop: area fraction uniform in scale (0.08, 1.0), aspect w/h log-uniform in \
            ratio (3/4, 4/3); up to 10 attempts to fit the image, else a centre crop. On a 32x32 image:
            """)
        var c = master.split()
        let crops = CropStatistics(classroom.crop, height: 32, width: 32, draws: Self.draws, using: &c)
        report.check("crop area fraction, smallest drawn", source: .writeUp, document: 0.08,
                     ours: crops.areaFraction.low ?? .nan, tolerance: 0.005, format: "%.3f")
        // Near-whole crops fit only with an aspect near 1, so the largest accepted one
        // falls short of 1.0 by about 0.01 in 10,000 draws (0.03 is beyond any seed's luck).
        report.check("crop area fraction, largest drawn", source: .writeUp, document: 1.0,
                     ours: crops.areaFraction.high ?? .nan, tolerance: 0.03, format: "%.3f")
        report.check("crop aspect w/h, smallest drawn", source: .torchvision, document: 0.75,
                     ours: crops.aspect.low ?? .nan, tolerance: 0.005, format: "%.3f")
        report.check("crop aspect w/h, largest drawn", source: .torchvision, document: 4.0 / 3.0,
                     ours: crops.aspect.high ?? .nan, tolerance: 0.005, format: "%.3f")
        report.check("crops drawn inside both ranges", source: .torchvision, document: 100,
                     ours: 100 * Double(crops.inRange) / Double(max(1, crops.accepted)), tolerance: 0,
                     format: "%.1f", unit: " %")
        report.value("crops that fell back to the centre crop", Double(crops.fallbacks), format: "%,.0f", unit: "of \(n)")
        report.say("""
            A crop of nearly the whole area fits only when its aspect is near the image's own, so the \
            largest accepted crops come close to 1.0 without reaching it; and rounding the sides to whole
            """)
        report.say("pixels lets a box cover a little under 8 %: " + String(format: "%.2f", 100 * (crops.realisedArea.low ?? .nan))
                   + " % of the image at the least here.")
        var d = master.split()
        let photoCrops = CropStatistics(writeUp.crop, height: 300, width: 451, draws: Self.draws, using: &d)
        report.value("largest crop drawn on the 451x300 photo", 100 * (photoCrops.areaFraction.high ?? .nan),
                     format: "%.1f", unit: "% of its area")
        report.say("(The photo's aspect, 1.5, lies outside 3/4 ... 4/3: a crop with an allowed aspect can hold at")
        report.say(" most 300 x 400 of its 300 x 451 pixels, 88.7 %.)")

        report.say("")
        report.say("Normalisation, channel by channel (x - mean) / std, with the statistics of the data set:")
        func triple(_ values: [Float]?, _ f: String) -> String {
            guard let values else { return "none" }
            return "(" + values.map { String(format: f, $0) }.joined(separator: ", ") + ")"
        }
        report.check("mean, write-up (ImageNet)", source: .writeUp, document: "(0.485, 0.456, 0.406)",
                     ours: triple(writeUp.normalization?.mean, "%.3f"))
        report.check("std, write-up (ImageNet)", source: .writeUp, document: "(0.229, 0.224, 0.225)",
                     ours: triple(writeUp.normalization?.std, "%.3f"))
        report.check("mean, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.4914, 0.4822, 0.4465)",
                     ours: triple(classroom.normalization?.mean, "%.4f"))
        report.check("std, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.2470, 0.2435, 0.2616)",
                     ours: triple(classroom.normalization?.std, "%.4f"))
        report.say("(Lesson 1 measured the CIFAR-10 statistics from the images themselves.)")
    }
}

Lesson3.main()
