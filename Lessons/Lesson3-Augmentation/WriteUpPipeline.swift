import Foundation
import LessonKit
import SimCLR

/// The write-up's 256 px pipeline on a photo, one transform at a time.
enum WriteUpPipeline {
    /// The write-up's pipeline on the photo, each transform applied in turn with
    /// the plain functional transforms, compared with the whole pipeline at once, and
    /// `figures/lesson3-steps.png`.
    static func run(_ report: Report, options: LessonOptions, photo: RGBImage, pipeline: AugmentationPipeline,
                    using generator: inout SeededGenerator) throws {
        report.say("The write-up trains a ResNet-50 on Food-101 photos at 256 px. Its pipeline as we build it "
                   + "(torchvision's defaults written out; kernel 25 by its rule):")
        for line in pipeline.stageLines { report.say("    " + line) }
        // Most views skip a stage or two (grey fires for one view in five), and a blur with
        // sigma near 0.1 changes nothing visible; to see each transform at work, take the
        // first draw in which every stage fires and the blur's sigma is at least 1.
        func showsEveryStage(_ p: ViewParameters) -> Bool {
            p.flipped && p.jitter != nil && p.grayscale && (p.blurSigma ?? 0) >= 1
        }
        var draw = pipeline.draw(height: photo.height, width: photo.width, using: &generator)
        var tries = 1
        while !showsEveryStage(draw) && tries < 10_000 {
            draw = pipeline.draw(height: photo.height, width: photo.width, using: &generator)
            tries += 1
        }
        report.say("""
            To show every transform at work, this is the first draw in which all of them fire and the \
            blur's sigma is at least 1 (0.5 x 0.8 x 0.2 x 0.53 for flip, jitter, grey and a sigma of 1 to 2: \
            4 % of views): draw \(tries).
            """)
        for line in draw.lines { report.say("      " + line) }

        // One transform after another, as torchvision's Compose runs them.
        let size = pipeline.size
        var x = PlanarImage(photo).resizedCrop(draw.crop, to: size, antialias: pipeline.crop.antialias)
        let area = 100 * Double(draw.crop.height * draw.crop.width) / Double(photo.height * photo.width)
        var steps = [(["1 · crop, resize to \(size)x\(size)", ViewCaption.crop(draw), String(format: "%.0f %% of the photo", area)], x)]
        if draw.flipped { x = x.horizontallyFlipped() }
        steps.append((["2 · horizontal flip", draw.flipped ? "mirrored" : "not drawn", " "], x))
        if let j = draw.jitter { x = ColorJitter.apply(j, to: x) }
        steps.append((["3 · colour jitter", draw.jitter.map(ViewParameters.factorsText) ?? "not drawn",
                       draw.jitter.map { "order " + $0.order.map(\.letter).joined(separator: " → ") } ?? " "], x))
        if draw.grayscale { x = x.grayscaled() }
        steps.append((["4 · grayscale", draw.grayscale ? "0.2989 R + 0.587 G + 0.114 B" : "not drawn", " "], x))
        if let kernel = pipeline.blur?.kernelSize, let sigma = draw.blurSigma {
            x = x.gaussianBlurred(kernelSize: kernel, sigma: sigma)
            steps.append((["5 · Gaussian blur", "kernel \(kernel)x\(kernel), " + String(format: "σ %.2f", sigma), " "], x))
        }
        guard let normalization = pipeline.normalization else {
            preconditionFailure("showWriteUpPipeline: the write-up pipeline normalises")
        }
        let normalized = x.normalized(with: normalization)
        let oneShot = pipeline.apply(draw, to: photo, path: .optimized)
        var difference: Float = 0
        for (a, b) in zip(normalized.data, oneShot.data) { difference = max(difference, abs(a - b)) }
        report.value("largest difference, one transform at a time vs the optimized pipeline", Double(difference), format: "%.1e")
        report.check("view shape at the write-up's size", source: .writeUp, document: "3x256x256",
                     ours: "\(oneShot.channels)x\(oneShot.height)x\(oneShot.width)")
        let low = oneShot.data.min() ?? .nan, high = oneShot.data.max() ?? .nan
        report.text("values after normalisation", String(format: "%.2f ... %.2f (the picture was in 0 ... 1)", low, high))
        report.say("""
            Normalised values are what the network reads; to look at them as a picture, undo the \
            normalisation (x * std + mean). Shown as they are, they are clipped and look wrong.
            """)

        var grid = ImageGrid(title: "The write-up's 256 px pipeline on a photo, one transform at a time (seed \(options.seed))",
                             columns: 4)
        grid.imageWidth = 256
        grid.imageHeight = 256
        grid.add(photo.enlarged(by: 1, outlining: [(draw.crop, viewColors[0])], lineWidth: 4),
                 caption: ["0 · the photo, \(photo.width)x\(photo.height)", "blue: the crop drawn", " "])
        for (caption, image) in steps { grid.add(image.rgbImage(), caption: caption) }
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
