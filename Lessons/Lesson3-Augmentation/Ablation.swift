import Foundation
import LessonKit
import SimCLR

/// Which augmentations matter: the SimCLR paper's ablation made visible, and its
/// colour-histogram argument measured.
enum Ablation {
    /// The four compositions the figure and the measurement compare, derived from `full`
    /// by leaving stages out: crop only (crop, resize and flip, as the paper groups them),
    /// colour only (jitter and grey on the whole image, or its centre square), crop + colour,
    /// and the full pipeline. Outputs stay in [0, 1].
    static func variants(of full: AugmentationPipeline) -> [(name: String, pipeline: AugmentationPipeline)] {
        var full = full.withoutNormalization()
        var cropOnly = full
        cropOnly.jitter.probability = 0
        cropOnly.grayscale.probability = 0
        cropOnly.blur = nil
        var colourOnly = full
        colourOnly.crop = RandomResizedCrop(size: full.size, scale: 1 ... 1, ratio: 1 ... 1)
        colourOnly.flip.probability = 0
        colourOnly.blur = nil
        var cropColour = full
        cropColour.blur = nil
        full.normalization = nil
        return [("crop only", cropOnly), ("colour only", colourOnly), ("crop + colour", cropColour), ("full", full)]
    }

    /// The SimCLR paper's ablation made visible on the photo, and its colour
    /// histogram argument measured on CIFAR-10; writes `figures/lesson3-ablation.png`.
    static func run(_ report: Report, options: LessonOptions, photo: RGBImage, test: InMemoryDataset,
                    using generator: inout SeededGenerator) throws {
        report.say("""
            The SimCLR paper (section 3) trained with single augmentations and with pairs of them: none \
            is enough alone, and one composition stands out, random crop together with colour distortion. \
            Its explanation: the crops of one image share that image's colours, so without colour \
            distortion two views can be paired by their colour histograms alone, a shortcut that needs \
            no understanding of the picture. We measure the shortcut: make two views of each of N test \
            images and pair each first view with the second view whose colour histogram (\(ColourShortcut.bins) bins \
            per channel) is nearest. How often is that its true partner? Chance is 1 / N.
            """)
        // The first images of every class (whatever order the data is stored in).
        let perClass = (options.quick ? 200 : 500) / max(1, test.classNames.count)
        let images = test.firstIndicesPerClass(perClass).map { test.rgbImage(at: $0) }
        let count = images.count
        var accuracies = [Double]()
        let variants = Self.variants(of: .classroom)
        for (name, pipeline) in variants {
            var g = generator.split()
            let accuracy = 100 * ColourShortcut.partnerAccuracy(pipeline, images: images, using: &g)
            accuracies.append(accuracy)
            report.value("paired by colour histogram, \(name)", accuracy, format: "%.1f", unit: "% of " + Report.format(Double(count), "%,.0f") + " images")
        }
        let chance = 100 / Double(count)
        report.value("chance", chance, format: "%.2f", unit: "%")
        report.say(String(format: "With crops alone the colour histogram finds the partner %.0f %% of the time; adding colour", accuracies[0]))
        report.say(String(format: "distortion brings that to %.0f %%, so the network must learn what is in the picture.", accuracies[2]))
        report.say("""
            Blur adds little against this shortcut; on a sample of N images these percentages move by a \
            few points from seed to seed, the gap between crop only and the rest does not.
            """)
        cardSplit(images: images, full: variants[3].pipeline, fullAccuracy: accuracies[3], using: &generator,
                      report: report)

        // The figure: the same four compositions on the photo (at the write-up's 256 px).
        let views = 5
        var grid = ImageGrid(title: "Views of the photo (write-up pipeline, 256 px)", columns: views)
        grid.imageWidth = 128
        grid.imageHeight = 128
        grid.columnLabels = (1 ... views).map { "view \($0)" }
        for (name, pipeline) in Self.variants(of: .writeUp(size: 256)) {
            grid.rowLabels.append(name)
            var g = generator.split()
            for _ in 0 ..< views { grid.add(pipeline(photo, using: &g).image.rgbImage()) }
        }
        let setup = Report.format(Double(count), "%,.0f")
            + String(format: " CIFAR-10 images at 32 px; chance %.1f %%", chance)
        var chart = BarChart(title: "Partner found by colour histogram alone", xLabel: setup,
                             yLabel: "first views paired with their partner (%)", categories: variants.map(\.name))
        chart.valueFormat = "%.1f%%"
        chart.add(series: "", values: accuracies, color: Palette.color(0))

        let title = "Which augmentations matter: crop + colour distortion (SimCLR paper, section 3)"
        let titleHeight = 56.0
        let gridSize = grid.naturalSize
        let chartWidth = 640.0
        let height = Double(max(gridSize.height, 560)) + titleHeight
        var canvas = Canvas(width: gridSize.width + Int(chartWidth), height: Int(height), scale: options.scale)
        canvas.text(title, at: Point(Double(canvas.width) / 2, 16), font: .large, align: .center)
        let gridRect = Rect(x: 0, y: titleHeight, width: Double(gridSize.width), height: height - titleHeight)
        canvas.withClip(gridRect) { grid.draw(in: gridRect, on: &$0) }
        let chartRect = Rect(x: Double(gridSize.width), y: titleHeight, width: chartWidth, height: height - titleHeight)
        canvas.withClip(chartRect) { chart.draw(in: chartRect, on: &$0) }
        let url = options.figureURL("lesson3-ablation.png")
        try canvas.write(to: url)
        report.figure(url, "crop only, colour only, crop + colour, full: views and the colour-histogram shortcut")
    }

    /// The card's way of making a pair, as we read its table ("Cat View 1": "Random Crop + Flip";
    /// "Cat View 2": "Color Jitter + Blur"). SimCLR instead sends both views through the whole pipeline. Measured with the
    /// same colour-histogram shortcut on the same images.
    static func cardSplit(images: [RGBImage], full: AugmentationPipeline, fullAccuracy: Double,
                   using generator: inout SeededGenerator, report: Report) {
        var viewOne = full  // random crop + flip
        viewOne.jitter.probability = 0
        viewOne.grayscale.probability = 0
        viewOne.blur = nil
        var viewTwo = full  // colour jitter + blur, on the whole image
        viewTwo.crop = RandomResizedCrop(size: full.size, scale: 1 ... 1, ratio: 1 ... 1)
        viewTwo.flip.probability = 0
        viewTwo.grayscale.probability = 0
        var g = generator.split()
        let split = 100 * ColourShortcut.partnerAccuracy(viewOne, second: viewTwo, images: images, using: &g)
        report.say("")
        report.say("""
            The card's table gives "Cat View 1" the augmentation "Random Crop + Flip" and "Cat View 2" "Color Jitter + \
            Blur": as we read it, it splits the work. SimCLR \
            sends both views through the whole pipeline. The same shortcut on pairs made the card's way:
            """)
        report.value("paired by colour histogram, the card's split views", split, format: "%.1f",
                     unit: "% (SimCLR's full pipeline: " + String(format: "%.1f", fullAccuracy) + " %)")
        report.say(String(format: """
            The split leaves the shortcut %.1f times as effective as SimCLR's pipeline. In our version of the card's \
            split (the card gives no probabilities), view 1 is never recoloured and view 2 only with our jitter's \
            p = %.1f, so in about one pair in %.0f both views keep the image's colours; with both views drawn from the \
            full pipeline that needs two misses of the jitter (and of the grayscale). That is why SimCLR draws both \
            views from the same pipeline.
            """, split / max(fullAccuracy, 1e-9), viewTwo.jitter.probability,
            1 / max(1e-9, 1 - Double(viewTwo.jitter.probability))))
    }
}
