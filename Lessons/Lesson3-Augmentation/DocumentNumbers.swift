import Foundation
import LessonKit
import SimCLR

/// The documents' augmentation numbers, checked against what the pipeline measurably does.
enum DocumentNumbers {
    /// The kernel-size rule, then every probability and range measured over
    /// `Lesson3.draws` seeded draws and compared with the documents.
    static func run(_ report: Report, classroom: AugmentationPipeline, writeUp: AugmentationPipeline,
                    using master: inout SeededGenerator) {
        report.say("""
            The write-up's Gaussian blur kernel = int(0.1 x image_size), made odd by adding 1 when even, with \
            image_size = 256: by its rule int(25.6) = 25, already odd (the write-up states the rule, not the 25). \
            The card gives no kernel size, so at CIFAR-10's and STL-10's sizes we apply the write-up's rule too:
            """)
        report.check("blur kernel by the write-up's rule at its image_size 256 (25 by our arithmetic)", source: .writeUp,
                     document: 25,
                     ours: Double(GaussianBlur.kernelSize(forImageSize: 256)), tolerance: 0, format: "%.0f")
        for (side, what) in [(32, "CIFAR-10"), (96, "STL-10")] {
            report.value("blur kernel at \(side) px (\(what)) by the write-up's rule",
                         Double(GaussianBlur.kernelSize(forImageSize: side)), format: "%.0f")
        }
        report.say("(int(3.2) = 3, int(9.6) = 9 and int(25.6) = 25 are odd already; at the paper's 224 px, int(22.4) = 22")
        report.say(" is even and becomes \(GaussianBlur.kernelSize(forImageSize: 224)).)")

        let n = Report.format(Double(Lesson3.draws), "%,.0f")
        report.say("")
        report.say("""
            Probabilities: not the constants in our code but how often each stage really fired in \(n) \
            seeded draws of the classroom pipeline (a 32x32 image). A count of n draws that each fire with \
            probability p scatters by sqrt(p(1 - p)/n) (0.4 points for p 0.8 here); the tolerance is 4.5 times \
            that, so a correct pipeline fails by chance about once in 100,000 checks, and a wrong p fails at once.
            """)
        var g = master.split()
        let stages = StageFrequencies(classroom, height: 32, width: 32, draws: Lesson3.draws, using: &g)
        func percent(_ name: String, _ source: Source, _ document: Double, _ count: Int) {
            report.check(name, source: source, document: document, ours: stages.percent(count),
                         tolerance: Lesson3.binomialTolerance(percent: document, draws: Lesson3.draws),
                         format: "%.1f", unit: " %")
        }
        percent("horizontal flip, how often", .writeUp, 50, stages.flips)
        percent("colour jitter, how often (p 0.8)", .writeUp, 80, stages.jitters)
        percent("grayscale, how often (p 0.2)", .writeUp, 20, stages.greys)
        percent("blur, how often (classroom pipeline)", .paper, 50, stages.blurs)
        var h = master.split()
        let photoStages = StageFrequencies(writeUp, height: 300, width: 451, draws: Lesson3.draws, using: &h)
        report.check("blur, how often (write-up pipeline)", source: .writeUp, document: 100,
                     ours: photoStages.percent(photoStages.blurs),
                     tolerance: Lesson3.binomialTolerance(percent: 100, draws: Lesson3.draws), format: "%.1f", unit: " %")
        report.say("""
            Blur: the write-up applies it to every view, the SimCLR paper to half of them. The classroom \
            run follows the paper (p 0.5); the write-up's 256 px pipeline below blurs always.
            """)

        report.say("")
        report.say("""
            ColorJitter(brightness 0.4, contrast 0.4, saturation 0.4, hue 0.1): each factor is drawn from \
            [1 - x, 1 + x], hue from [-h, h], and the four are applied in a random order every time.
            """)
        // The strengths are read back from the factors actually drawn: half the width of each range.
        func strength(_ e: Extremes<Float>) -> String {
            String(format: "%.1f", ((e.high ?? .nan) - (e.low ?? .nan)) / 2)
        }
        report.check("ColorJitter strengths (b, c, s, h): half the range of the factors drawn", source: .writeUp,
                     document: "(0.4, 0.4, 0.4, 0.1)",
                     ours: "(" + [stages.brightness, stages.contrast, stages.saturation, stages.hue].map(strength)
                         .joined(separator: ", ") + ")")
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
        let crops = CropStatistics(classroom.crop, height: 32, width: 32, draws: Lesson3.draws, using: &c)
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
        let photoCrops = CropStatistics(writeUp.crop, height: 300, width: 451, draws: Lesson3.draws, using: &d)
        report.value("largest crop drawn on the 451x300 photo", 100 * (photoCrops.areaFraction.high ?? .nan),
                     format: "%.1f", unit: "% of its area")
        report.say("(The photo's aspect, 1.5, lies outside 3/4 ... 4/3: a crop with an allowed aspect can hold at")
        report.say(" most 300 x 400 of its 300 x 451 pixels, 88.7 %.)")

        report.say("")
        report.say("""
            Normalisation, channel by channel (x - mean) / std. We read the constants back from what each \
            pipeline's normalisation does to a black pixel (x = 0 gives -mean/std) and a white one \
            (x = 1 gives (1 - mean)/std): std = 1 / (white - black), mean = -black · std.
            """)
        func measured(_ pipeline: AugmentationPipeline) -> (mean: String, std: String) {
            guard let n = pipeline.normalization else { return ("none", "none") }
            let black = PlanarImage(channels: 3, height: 1, width: 1, data: [0, 0, 0]).normalized(with: n).data
            let white = PlanarImage(channels: 3, height: 1, width: 1, data: [1, 1, 1]).normalized(with: n).data
            let std = (0 ..< 3).map { 1 / (white[$0] - black[$0]) }
            let mean = (0 ..< 3).map { -black[$0] * std[$0] }
            func triple(_ v: [Float], _ f: String) -> String { "(" + v.map { String(format: f, $0) }.joined(separator: ", ") + ")" }
            let digits = pipeline == writeUp ? "%.3f" : "%.4f"
            return (triple(mean, digits), triple(std, digits))
        }
        let (writeUpMean, writeUpStd) = measured(writeUp), (classroomMean, classroomStd) = measured(classroom)
        report.check("mean, write-up (ImageNet)", source: .writeUp, document: "(0.485, 0.456, 0.406)", ours: writeUpMean)
        report.check("std, write-up (ImageNet)", source: .writeUp, document: "(0.229, 0.224, 0.225)", ours: writeUpStd)
        report.check("mean, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.4914, 0.4822, 0.4465)",
                     ours: classroomMean)
        report.check("std, CIFAR-10 training set (the usual constants)", source: .dataset, document: "(0.2470, 0.2435, 0.2616)",
                     ours: classroomStd)
        report.say("(Lesson 1 measured the CIFAR-10 statistics from the images themselves.)")
    }
}
