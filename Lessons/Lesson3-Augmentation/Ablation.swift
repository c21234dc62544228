import Foundation
import LessonKit
import SimCLR

/// The compositions of the SimCLR paper's ablation and of the card's split views, and the
/// figure that shows them.
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

    /// The card's way of making a pair, as we read its table ("Cat View 1": "Random Crop + Flip";
    /// "Cat View 2": "Color Jitter + Blur"), built from the full pipeline `full`: view 1 crops and
    /// flips only, view 2 recolours and blurs the whole image. (SimCLR sends both views through the
    /// whole pipeline.)
    static func cardSplit(of full: AugmentationPipeline) -> (first: AugmentationPipeline, second: AugmentationPipeline) {
        var viewOne = full  // random crop + flip
        viewOne.jitter.probability = 0
        viewOne.grayscale.probability = 0
        viewOne.blur = nil
        var viewTwo = full  // colour jitter + blur, on the whole image
        viewTwo.crop = RandomResizedCrop(size: full.size, scale: 1 ... 1, ratio: 1 ... 1)
        viewTwo.flip.probability = 0
        viewTwo.grayscale.probability = 0
        return (viewOne, viewTwo)
    }

    /// `figures/lesson3-ablation.png`: five views of the photo under each composition of
    /// `variants(of: .writeUp(size: 256))` beside a bar chart of `shortcut`, the percentage of
    /// first views the colour histogram paired with their partner among `images` CIFAR-10 images.
    static func write(_ report: Report, options: LessonOptions, photo: RGBImage, variants names: [String],
                      shortcut: [Double], images count: Int, using generator: inout SeededGenerator) throws {
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
        let chance = 100 / Double(count)
        let setup = Report.format(Double(count), "%,.0f")
            + String(format: " CIFAR-10 images at 32 px; chance %.1f %%", chance)
        var chart = BarChart(title: "Partner found by colour histogram alone", xLabel: setup,
                             yLabel: "first views paired with their partner (%)", categories: names)
        chart.valueFormat = "%.1f%%"
        chart.add(series: "", values: shortcut, color: Palette.color(0))

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
}
