// Lesson 3 — Augmentation: two views of one image.
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson3: LessonCommand {
    static let commandName = "Lesson3-Augmentation"
    /// What the lesson teaches.
    static let summary = "SimCLR's only teacher is the statement \"these two pictures come from the same image\": two random augmentations of one image form a positive pair. What the augmentations change is what the network learns to ignore. This lesson draws views of a real image with every random choice behind them, checks the documents' augmentation numbers and shows which augmentations matter."

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

        // Two pictures: a CIFAR-10 cat at the classroom's 32 px, like the card's example (the card shows no image),
        // and a photo of 451x300 pixels for the write-up's 256 px pipeline.
        report.step("Find the images")
        let source = try LessonData.locate(options, report: report)
        let (photo, photoURL) = try LessonInputs.photo()
        report.text("photo", "\(Report.displayPath(photoURL)), \(photo.width)x\(photo.height) (Chelsea the cat; CC0, from scikit-image)")
        let test = try source.load(.test)
        let catIndex = try LessonInputs.firstCat(in: test)
        let cat = test.rgbImage(at: catIndex)
        report.text("a cat, like the card's example (the card shows no image)", "test image #\(catIndex), the first labelled cat (test/cat/0000.jpg), \(cat.width)x\(cat.height)")

        // A view is the image sent through the classroom pipeline, stage by stage (listed below). Each view first
        // draws all its random choices, then applies them, so a view can be listed exactly and replayed: the same
        // --seed gives the same two views on every machine. The same draws go through both implementations: the plain
        // loops a student can read against torchvision's formulas, and the fused SIMD kernels training uses.
        report.step("The card's example: one cat, two views")
        for line in classroom.stageLines { report.say("    " + line) }
        var cardGenerator = master.split()
        let pair = classroom.pair(of: cat, using: &cardGenerator)
        for (name, view) in [("view 1", pair.first), ("view 2", pair.second)] {
            report.text(name, view.parameters.summary)
            for line in view.parameters.lines { report.say("      " + line) }
        }
        let view = pair.first.image
        report.check("view shape (channels x height x width)", source: .card, document: "3x32x32",
                     ours: "\(view.channels)x\(view.height)x\(view.width)")
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

        // In training, every image of a batch of N gets two views; each view has exactly one positive (its partner)
        // and 2N - 2 negatives (the other images' views). Six views of each of eight images:
        report.step("Many images, many views")
        var gridGenerator = master.split()
        try ViewFigures.writeGrid(report, options: options, test: test, pipeline: classroom, using: &gridGenerator)

        // The write-up's Gaussian blur kernel is int(0.1 x image_size), made odd by adding 1 when even; with its
        // image_size of 256 that is int(25.6) = 25, already odd (the write-up states the rule, not the 25). The card
        // gives no kernel size, so at CIFAR-10's and STL-10's sizes we apply the write-up's rule too.
        report.step("The blur kernel, by the write-up's rule")
        report.check("blur kernel by the write-up's rule at its image_size 256 (25 by our arithmetic)", source: .writeUp,
                     document: 25, ours: Double(GaussianBlur.kernelSize(forImageSize: 256)), tolerance: 0, format: "%.0f")
        for (side, what) in [(32, "CIFAR-10"), (96, "STL-10")] {
            report.value("blur kernel at \(side) px (\(what)) by the write-up's rule",
                         Double(GaussianBlur.kernelSize(forImageSize: side)), format: "%.0f")
        }
        report.say("""
            (int(3.2) = 3, int(9.6) = 9 and int(25.6) = 25 are odd already; at the paper's 224 px, int(22.4) = 22 \
            is even and becomes \(GaussianBlur.kernelSize(forImageSize: 224)).)
            """)

        // The documents' probabilities, checked against how often each stage really fired in 10,000 seeded draws,
        // not against the constants in our code. A count of n draws that each fire with probability p scatters by
        // sqrt(p(1 - p)/n) (0.4 points for p 0.8 here); the tolerance is 4.5 times that, so a correct pipeline fails
        // by chance about once in 100,000 checks, and a wrong p fails at once. The write-up blurs every view, the
        // SimCLR paper half of them: the classroom pipeline follows the paper, the write-up's 256 px pipeline its text.
        report.step("How often each stage fires")
        var stageGenerator = master.split()
        let stages = StageFrequencies(classroom, height: 32, width: 32, draws: Self.draws, using: &stageGenerator)
        var photoStageGenerator = master.split()
        let photoStages = StageFrequencies(writeUp, height: 300, width: 451, draws: Self.draws, using: &photoStageGenerator)
        for (name, source, document, count) in [("horizontal flip, how often", Source.writeUp, 50.0, stages.flips),
                                                ("colour jitter, how often (p 0.8)", .writeUp, 80, stages.jitters),
                                                ("grayscale, how often (p 0.2)", .writeUp, 20, stages.greys),
                                                ("blur, how often (classroom pipeline)", .paper, 50, stages.blurs)] {
            report.check(name, source: source, document: document, ours: stages.percent(count),
                         tolerance: Self.binomialTolerance(percent: document, draws: Self.draws), format: "%.1f", unit: " %")
        }
        report.check("blur, how often (write-up pipeline)", source: .writeUp, document: 100,
                     ours: photoStages.percent(photoStages.blurs),
                     tolerance: Self.binomialTolerance(percent: 100, draws: Self.draws), format: "%.1f", unit: " %")

        // ColorJitter(brightness 0.4, contrast 0.4, saturation 0.4, hue 0.1): each factor is drawn from [1 - x, 1 + x],
        // the hue shift from [-h, h], and the four adjustments are applied in a random order every time. The strengths
        // are read back from the factors actually drawn (half the width of each range), over the same 10,000 draws.
        report.step("Colour jitter and blur: the ranges drawn")
        func strength(_ e: Extremes<Float>) -> String { String(format: "%.1f", ((e.high ?? .nan) - (e.low ?? .nan)) / 2) }
        func range(_ e: Extremes<Float>, _ f: String) -> String {
            "[\(String(format: f, e.low ?? .nan)), \(String(format: f, e.high ?? .nan))]"
        }
        report.check("ColorJitter strengths (b, c, s, h): half the range of the factors drawn", source: .writeUp,
                     document: "(0.4, 0.4, 0.4, 0.1)",
                     ours: "(" + [stages.brightness, stages.contrast, stages.saturation, stages.hue].map(strength)
                         .joined(separator: ", ") + ")")
        report.check("brightness factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.brightness, "%.2f"))
        report.check("contrast factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.contrast, "%.2f"))
        report.check("saturation factors drawn", source: .torchvision, document: "[0.60, 1.40]", ours: range(stages.saturation, "%.2f"))
        report.check("hue shifts drawn", source: .torchvision, document: "[-0.10, +0.10]", ours: range(stages.hue, "%+.2f"))
        report.check("orders of the four adjustments seen", source: .torchvision, document: 24,
                     ours: Double(stages.orders.count), tolerance: 0, format: "%.0f")
        report.check("blur sigmas drawn", source: .paper, document: "[0.10, 2.00]", ours: range(stages.sigma, "%.2f"))

        // RandomResizedCrop: the area fraction is uniform in scale (0.08, 1.0), the aspect w/h log-uniform in ratio
        // (3/4, 4/3); up to 10 attempts to fit the image, else a centre crop. A crop of nearly the whole area fits only
        // when its aspect is near the image's own, so the largest accepted crops come close to 1.0 without reaching it
        // (0.03 short is beyond any seed's luck), and rounding the sides to whole pixels lets a box cover a little
        // under 8 %.
        report.step("Random resized crop: the ranges drawn")
        var cropGenerator = master.split()
        let crops = CropStatistics(classroom.crop, height: 32, width: 32, draws: Self.draws, using: &cropGenerator)
        report.check("crop area fraction, smallest drawn", source: .writeUp, document: 0.08,
                     ours: crops.areaFraction.low ?? .nan, tolerance: 0.005, format: "%.3f")
        report.check("crop area fraction, largest drawn", source: .writeUp, document: 1.0,
                     ours: crops.areaFraction.high ?? .nan, tolerance: 0.03, format: "%.3f")
        report.check("crop aspect w/h, smallest drawn", source: .torchvision, document: 0.75,
                     ours: crops.aspect.low ?? .nan, tolerance: 0.005, format: "%.3f")
        report.check("crop aspect w/h, largest drawn", source: .torchvision, document: 4.0 / 3.0,
                     ours: crops.aspect.high ?? .nan, tolerance: 0.005, format: "%.3f")
        report.check("crops drawn inside both ranges", source: .torchvision, document: 100,
                     ours: 100 * Double(crops.inRange) / Double(max(1, crops.accepted)), tolerance: 0,
                     format: "%.1f", unit: " %")
        report.value("crops that fell back to the centre crop", Double(crops.fallbacks), format: "%,.0f",
                     unit: "of " + Report.format(Double(Self.draws), "%,.0f"))
        report.say("The smallest box drawn covers " + String(format: "%.2f", 100 * (crops.realisedArea.low ?? .nan))
                   + " % of the 32x32 image once its sides are rounded to whole pixels.")
        var photoCropGenerator = master.split()
        let photoCrops = CropStatistics(writeUp.crop, height: 300, width: 451, draws: Self.draws, using: &photoCropGenerator)
        report.value("largest crop drawn on the 451x300 photo", 100 * (photoCrops.areaFraction.high ?? .nan),
                     format: "%.1f", unit: "% of its area")
        report.say("""
            (The photo's aspect, 1.5, lies outside 3/4 ... 4/3: a crop with an allowed aspect can hold at most \
            300 x 400 of its 300 x 451 pixels, 88.7 %.)
            """)

        // Normalisation, channel by channel: (x - mean) / std. We read the constants back from what each pipeline's
        // normalisation does to a black pixel (x = 0 gives -mean/std) and a white one (x = 1 gives (1 - mean)/std):
        //     std = 1 / (white - black),   mean = -black · std.
        report.step("Normalisation: the constants, read back")
        let (writeUpMean, writeUpStd) = NormalizationReadBack.measure(writeUp, digits: 3)
        let (classroomMean, classroomStd) = NormalizationReadBack.measure(classroom, digits: 4)
        report.check("mean, write-up (ImageNet)", source: .writeUp, document: "(0.485, 0.456, 0.406)", ours: writeUpMean)
        report.check("std, write-up (ImageNet)", source: .writeUp, document: "(0.229, 0.224, 0.225)", ours: writeUpStd)
        report.check("mean, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.4914, 0.4822, 0.4465)",
                     ours: classroomMean)
        report.check("std, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.2470, 0.2435, 0.2616)",
                     ours: classroomStd)
        report.say("(Lesson 1 measured the CIFAR-10 statistics from the images themselves.)")

        // The write-up trains a ResNet-50 on Food-101 photos at 256 px. Its pipeline, as we build it (torchvision's
        // defaults written out; blur kernel 25 by its rule), on the photo: one transform after another, as
        // torchvision's Compose runs them, then the whole pipeline at once through the optimized kernels. Most views
        // skip a stage or two, so to see each at work we take the first draw in which every stage fires and the
        // blur's sigma is at least 1 (0.5 x 0.8 x 0.2 x 0.53: 4 % of views).
        report.step("The write-up's 256 px pipeline on a photo, one transform at a time")
        for line in writeUp.stageLines { report.say("    " + line) }
        var photoGenerator = master.split()
        var draw = writeUp.draw(height: photo.height, width: photo.width, using: &photoGenerator)
        var tries = 1
        while !(draw.flipped && draw.jitter != nil && draw.grayscale && (draw.blurSigma ?? 0) >= 1) && tries < 10_000 {
            draw = writeUp.draw(height: photo.height, width: photo.width, using: &photoGenerator)
            tries += 1
        }
        report.value("the first draw in which every stage fires", Double(tries), format: "%.0f")
        for line in draw.lines { report.say("      " + line) }
        var x = PlanarImage(photo).resizedCrop(draw.crop, to: writeUp.size, antialias: writeUp.crop.antialias)
        var steps = [x]                                                   // what each transform leaves, for the figure
        if draw.flipped { x = x.horizontallyFlipped() }
        steps.append(x)
        if let j = draw.jitter { x = ColorJitter.apply(j, to: x) }
        steps.append(x)
        if draw.grayscale { x = x.grayscaled() }
        steps.append(x)
        if let kernel = writeUp.blur?.kernelSize, let sigma = draw.blurSigma { x = x.gaussianBlurred(kernelSize: kernel, sigma: sigma) }
        steps.append(x)
        let normalized = x.normalized(with: .imageNet)                      // the write-up: ImageNet mean and std
        let oneShot = writeUp.apply(draw, to: photo, path: .optimized)
        let difference = zip(normalized.data, oneShot.data).map { abs($0 - $1) }.max() ?? .nan
        report.value("largest difference, one transform at a time vs the optimized pipeline", Double(difference), format: "%.1e")
        report.check("view shape at the write-up's size", source: .writeUp, document: "3x256x256",
                     ours: "\(oneShot.channels)x\(oneShot.height)x\(oneShot.width)")
        let (low, high) = (oneShot.data.min() ?? .nan, oneShot.data.max() ?? .nan)
        report.text("values after normalisation", String(format: "%.2f ... %.2f (the picture was in 0 ... 1)", low, high))
        report.say("""
            Normalised values are what the network reads; to look at them as a picture, undo the \
            normalisation (x * std + mean). Shown as they are, they are clipped and look wrong.
            """)
        try WriteUpSteps.write(report, options: options, photo: photo, draw: draw, pipeline: writeUp, steps: steps,
                               normalized: normalized)

        // Which augmentations matter. The SimCLR paper (section 3) trained with single augmentations and with pairs of
        // them: none is enough alone, and one composition stands out, random crop together with colour distortion.
        // Its explanation: the crops of one image share that image's colours, so without colour distortion two views
        // can be paired by their colour histograms alone, a shortcut that needs no understanding of the picture.
        // We measure the shortcut: two views of each of N test images, each first view paired with the second view
        // whose colour histogram (16 bins per channel) is nearest. How often is that its true partner? Chance is 1/N.
        // The card's table makes its pair differently ("Cat View 1": "Random Crop + Flip"; "Cat View 2": "Color Jitter
        // + Blur"): as we read it, it splits the work between the views, where SimCLR sends both views through the
        // whole pipeline. The same shortcut measures that too.
        report.step("Which augmentations matter")
        var ablationGenerator = master.split()
        let perClass = (options.quick ? 200 : 500) / max(1, test.classNames.count)
        let images = test.firstIndicesPerClass(perClass).map { test.rgbImage(at: $0) }
        let variants = Ablation.variants(of: .classroom)            // crop only, colour only, crop + colour, full
        var shortcut: [Double] = []
        for (name, pipeline) in variants {
            var g = ablationGenerator.split()
            shortcut.append(100 * ColourShortcut.partnerAccuracy(pipeline, images: images, using: &g))
            report.value("paired by colour histogram, \(name)", shortcut.last!, format: "%.1f",
                         unit: "% of " + Report.format(Double(images.count), "%,.0f") + " images")
        }
        report.value("chance", 100 / Double(images.count), format: "%.2f", unit: "%")
        report.say(String(format: """
            With crops alone the colour histogram finds the partner %.0f %% of the time; adding colour distortion \
            brings that to %.0f %%, so the network must learn what is in the picture. Blur adds little against this \
            shortcut; on a sample of N images these percentages move by a few points from seed to seed, the gap \
            between crop only and the rest does not.
            """, shortcut[0], shortcut[2]))
        let (cardView1, cardView2) = Ablation.cardSplit(of: variants[3].pipeline)   // crop + flip; jitter + blur
        var cardSplitGenerator = ablationGenerator.split()
        let cardSplit = 100 * ColourShortcut.partnerAccuracy(cardView1, second: cardView2, images: images,
                                                             using: &cardSplitGenerator)
        report.value("paired by colour histogram, the card's split views", cardSplit, format: "%.1f",
                     unit: "% (SimCLR's full pipeline: " + String(format: "%.1f", shortcut[3]) + " %)")
        report.say(String(format: """
            The split leaves the shortcut %.1f times as effective as SimCLR's pipeline. In our version of the card's \
            split (the card gives no probabilities), view 1 is never recoloured and view 2 only with our jitter's \
            p = %.1f, so in about one pair in %.0f both views keep the image's colours; with both views drawn from the \
            full pipeline that needs two misses of the jitter (and of the grayscale). That is why SimCLR draws both \
            views from the same pipeline.
            """, cardSplit / max(shortcut[3], 1e-9), cardView2.jitter.probability,
            1 / max(1e-9, 1 - Double(cardView2.jitter.probability))))
        try Ablation.write(report, options: options, photo: photo, variants: variants.map(\.name), shortcut: shortcut,
                           images: images.count, using: &ablationGenerator)

        // The write-up says "removing color jitter or Gaussian blur hurts performance meaningfully". We measure it with
        // short SimCLR runs, the same seed and budget for each, on the full classroom pipeline, without colour jitter
        // and without blur; then the kNN accuracy of each encoder (labelled training images vote for held-out test
        // images). The full pipeline also runs under three seeds: a difference within twice their range is noise.
        report.step("Leaving out colour jitter or blur, measured by training")
        let shortRuns = LeavingOut(quick: options.quick, seed: options.seed, train: try source.load(.train), test: test)
        report.say("Each run: \(shortRuns.budget.summary).")
        let all = Set(AugmentationStage.allCases)
        let fullRuns = try shortRuns.budget.seeds.map { try shortRuns.kNNAccuracy(stages: all, seed: $0) }
        report.text("kNN accuracy, full pipeline, seeds \(shortRuns.budget.seeds.map(String.init).joined(separator: ", "))",
                    fullRuns.map { String(format: "%.1f %%", $0) }.joined(separator: ", "))
        report.value("their mean", fullRuns.reduce(0, +) / Double(fullRuns.count), format: "%.1f", unit: "%")
        let spread = (fullRuns.max() ?? 0) - (fullRuns.min() ?? 0)
        report.value("their spread (max - min): the noise", spread, format: "%.1f", unit: "points")
        report.say(String(format: "So a stage left out counts as hurting (or helping) only if kNN moves by more than %.1f points.",
                          LeaveOneOut.noiseMultiple * spread))
        for (name, left) in [("colour jitter", AugmentationStage.jitter), ("Gaussian blur", .blur)] {
            let without = try shortRuns.kNNAccuracy(stages: all.subtracting([left]), seed: shortRuns.budget.seeds[0])
            report.value("kNN accuracy without \(name) (seed \(shortRuns.budget.seeds[0]))", without, format: "%.1f", unit: "%")
            // ✓ when leaving the stage out hurts beyond the noise, ≠ when the change is within it, ✗ when it helps
            // beyond it (or a run stopped early and measured nothing).
            let finding = LeaveOneOut(full: fullRuns, without: without)
            report.check("removing \(name): kNN lower than the full pipeline beyond the noise", source: .writeUp,
                         document: "hurts", ours: finding.outcome.rawValue, unless: finding.exception(stage: name))
            if finding.outcome == .helps { LeavingOut.explainHelps(report, stage: name, by: -finding.drop) }
        }
        LeavingOut.suggestClassroomRuns(report)

        // Both paths of the pipeline timed on the same images: the plain loops, and the fused SIMD kernels on both
        // cores that training uses.
        report.step("Speed: the reference loops and the optimized path")
        Speed.run(report, options: options, test: test, pipeline: classroom)

        try report.finish()
    }
}

Lesson3.main()
