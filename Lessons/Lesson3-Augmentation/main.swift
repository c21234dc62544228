// Lesson 3 — Augmentation: two views of one image.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson3: ParsableCommand {
    /// What the lesson teaches.
    static let summary = "SimCLR's only teacher is the statement \"these two pictures come from the same image\": two random augmentations of one image form a positive pair. What the augmentations change is what the network learns to ignore. This lesson draws views of a real image with every random choice behind them, checks the documents' augmentation numbers and shows which augmentations matter."

    static let configuration = CommandConfiguration(
        commandName: "Lesson3-Augmentation",
        abstract: summary)

    @OptionGroup var options: LessonOptions

    /// Draws behind each measured probability: the standard error of a frequency near 0.5
    /// is then 0.5 points, and the tolerance there 4.5 of them, ±2.25 points.
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
            summary: Self.summary)
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
        report.text("a cat, like the card's example (the card shows no image)", "test image #\(catIndex), the first labelled cat (test/cat/0000.jpg), \(cat.width)x\(cat.height)")

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
        try ViewFigures.writePair(report, options: options, cat: cat, catIndex: catIndex, pair: pair, pipeline: classroom)

        report.step("Many images, many views")
        report.say("""
            In training, every image of a batch of N gets two views; each view has exactly one positive \
            (its partner) and 2N - 2 negatives (the other images' views). Six views of eight images:
            """)
        var gridGenerator = master.split()
        try ViewFigures.writeGrid(report, options: options, test: test, pipeline: classroom, using: &gridGenerator)

        report.step("The documents' numbers, checked against what the code does")
        DocumentNumbers.run(report, classroom: classroom, writeUp: writeUp, using: &master)

        report.step("The write-up's 256 px pipeline on a photo, one transform at a time")
        var photoGenerator = master.split()
        try WriteUpPipeline.run(report, options: options, photo: photo, pipeline: writeUp, using: &photoGenerator)

        report.step("Which augmentations matter")
        var ablationGenerator = master.split()
        try Ablation.run(report, options: options, photo: photo, test: test, using: &ablationGenerator)

        report.step("Leaving out colour jitter or blur, measured by training")
        try LeavingOut.run(report, options: options, train: try source.load(.train), test: test)

        report.step("Speed: the reference loops and the optimized path")
        Speed.run(report, options: options, test: test, pipeline: classroom)

        try report.finish()
    }
}

Lesson3.main()
