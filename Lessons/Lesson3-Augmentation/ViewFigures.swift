import Foundation
import LessonKit
import SimCLR

/// Colours of the crop boxes drawn over an original: view 1, view 2.
let viewColors = [Palette.color(0), Palette.color(1)]

/// The figures of views: one positive pair, and many views of many images.
enum ViewFigures {
    /// `figures/lesson3-views.png`: the cat with both crop boxes outlined, and the two views
    /// with the draws that made them as captions.
    static func writePair(_ report: Report, options: LessonOptions, cat: RGBImage, catIndex: Int, pair: ViewPair,
                          pipeline: AugmentationPipeline) throws {
        let normalization = pipeline.normalization
        func picture(_ v: AugmentedView) -> RGBImage {
            // The network sees normalised values; undoing the normalisation shows them as a picture.
            (normalization.map { v.image.denormalized(with: $0) } ?? v.image).rgbImage()
        }
        let factor = 7
        var grid = ImageGrid(title: "Two views of one CIFAR-10 test image: a positive pair (seed \(options.seed))", columns: 3)
        grid.imageWidth = Double(cat.width * factor)
        grid.imageHeight = Double(cat.height * factor)
        grid.columnLabels = ["original", "view 1 (blue box)", "view 2 (orange box)"]
        let original = cat.enlarged(by: factor, outlining: [(pair.first.parameters.crop, viewColors[0]),
                                                            (pair.second.parameters.crop, viewColors[1])])
        grid.add(original, caption: ["test image #\(catIndex): cat, \(cat.width)x\(cat.height)",
                                     "boxes: where each view was cropped"])
        grid.add(picture(pair.first), caption: ViewCaption.lines(pair.first.parameters))
        grid.add(picture(pair.second), caption: ViewCaption.lines(pair.second.parameters))
        let url = options.figureURL("lesson3-views.png")
        try grid.render(scale: options.scale).write(to: url)
        report.figure(url, "the cat, its two crop boxes, and the two views with their draws")
    }

    /// `figures/lesson3-grid.png`: eight test images (rows) and six views of each.
    static func writeGrid(_ report: Report, options: LessonOptions, test: InMemoryDataset, pipeline: AugmentationPipeline,
                          using generator: inout SeededGenerator) throws {
        // The first image of each of the first eight classes, whatever order the data is stored in.
        let indices = test.firstIndicesPerClass(1).sorted { test.labels[$0] < test.labels[$1] }.prefix(8)
        let rows = indices.count, views = 6
        let display = pipeline.withoutNormalization()
        var grid = ImageGrid(title: "CIFAR-10 test images and six random views of each (classroom pipeline)",
                             columns: views + 1)
        grid.imageWidth = 96
        grid.imageHeight = 96
        grid.columnLabels = ["original"] + (1 ... views).map { "view \($0)" }
        for i in indices {
            let image = test.rgbImage(at: i)
            grid.rowLabels.append(test.classNames[test.labels[i]])
            grid.add(image)
            for _ in 0 ..< views { grid.add(display(image, using: &generator).image.rgbImage()) }
        }
        let url = options.figureURL("lesson3-grid.png")
        try grid.render(scale: options.scale).write(to: url)
        report.figure(url, "\(rows) images x \(views) views: any two views in a row are a positive pair")
    }
}
