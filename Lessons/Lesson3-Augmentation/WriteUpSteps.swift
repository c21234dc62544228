import Foundation
import LessonKit
import SimCLR

/// The figure of the write-up's pipeline applied one transform at a time.
enum WriteUpSteps {
    /// `figures/lesson3-steps.png`: the photo with the crop drawn, what each transform left
    /// (`steps`: crop, flip, jitter, grey, blur), and the normalised view shown two ways.
    static func write(_ report: Report, options: LessonOptions, photo: RGBImage, draw: ViewParameters,
                      pipeline: AugmentationPipeline, steps: [PlanarImage], normalized: PlanarImage) throws {
        let size = pipeline.size
        let area = 100 * Double(draw.crop.height * draw.crop.width) / Double(photo.height * photo.width)
        let captions = [
            ["1 · crop, resize to \(size)x\(size)", ViewCaption.crop(draw), String(format: "%.0f %% of the photo", area)],
            ["2 · horizontal flip", draw.flipped ? "mirrored" : "not drawn", " "],
            ["3 · colour jitter", draw.jitter.map(ViewParameters.factorsText) ?? "not drawn",
             draw.jitter.map { "order " + $0.order.map(\.letter).joined(separator: " → ") } ?? " "],
            ["4 · grayscale", draw.grayscale ? "0.2989 R + 0.587 G + 0.114 B" : "not drawn", " "],
            ["5 · Gaussian blur", draw.blurSigma.map { "kernel \(pipeline.blur?.kernelSize ?? 0)x\(pipeline.blur?.kernelSize ?? 0), "
                + String(format: "σ %.2f", $0) } ?? "not drawn", " "],
        ]
        let low = normalized.data.min() ?? .nan, high = normalized.data.max() ?? .nan
        var grid = ImageGrid(title: "The write-up's 256 px pipeline on a photo, one transform at a time (seed \(options.seed))",
                             columns: 4)
        grid.imageWidth = 256
        grid.imageHeight = 256
        grid.add(photo.enlarged(by: 1, outlining: [(draw.crop, viewColors[0])], lineWidth: 4),
                 caption: ["0 · the photo, \(photo.width)x\(photo.height)", "blue: the crop drawn", " "])
        for (caption, image) in zip(captions, steps) { grid.add(image.rgbImage(), caption: caption) }
        let normalization = Normalization.imageNet
        grid.add(normalized.denormalized(with: normalization).rgbImage(),
                 caption: ["6 · normalised (\(normalization.name))", "shown de-normalised", "what the network sees"])
        grid.add(normalized.rgbImage(),
                 caption: ["6 · the same values shown raw", "clipped to 0 ... 1: wrong colours",
                           String(format: "values %.2f ... %.2f", low, high)])
        let url = options.figureURL("lesson3-steps.png")
        try grid.render(scale: options.scale).write(to: url)
        report.figure(url, "the photo after each transform in turn, then normalised")
    }
}
