import Foundation
import LessonKit
import SimCLR

/// Passes a real image through the (untrained) classroom encoder stage by stage, prints the
/// shapes, and draws a few channels of each stage's feature maps.
enum FeatureMaps {
    static func run(_ report: Report, model: SimCLRModel, images: InMemoryDataset,
                    options: LessonOptions) throws {
        guard let cat = images.labels.firstIndex(of: images.classNames.firstIndex(of: "cat") ?? 3) else { return }
        let x = ImageBatch.normalized(images, indices: [cat], normalization: .cifar10)
        report.say("The first test image of class cat, normalised with the CIFAR-10 mean and std, shape \(x.shape).")
        var maps: [(String, Tensor)] = []
        var out = x
        for layer in model.encoder.stem { out = layer.forward(out, training: false) }
        maps.append(("stem", out))
        for (i, block) in model.encoder.blocks.enumerated() {
            out = block.forward(out, training: false)
            if i % 2 == 1 { maps.append(("layer\(i / 2 + 1)", out)) }
        }
        for (name, t) in maps { report.say("after \(name): \(t.shape)") }
        let (_, z) = model.forward(x, training: false)
        let (h, _) = model.forward(x, training: false)
        report.say("The classroom model gives h of \(h.dim(1)) and z of \(z.dim(1)) numbers (the card's model: 512 and 128).")
        let norm = z.data.map { $0 * $0 }.reduce(0, +).squareRoot()
        report.value("‖z‖ before normalisation", Double(norm), format: "%.3f")
        report.say("NT-Xent only looks at directions: z is divided by ‖z‖ before cosine similarities are taken.")

        var grid = ImageGrid(title: "A cat through the untrained classroom encoder: 8 channels per stage", columns: 9)
        grid.imageWidth = 96
        grid.imageHeight = 96
        grid.rowLabels = maps.map(\.0)
        grid.columnLabels = ["input"] + (0 ..< 8).map { "channel \($0)" }
        let original = images.rgbImage(at: cat)
        for (_, t) in maps {
            grid.add(original)
            for c in 0 ..< 8 { grid.add(channelImage(t, channel: c)) }
        }
        let url = options.figureURL("lesson2-feature-maps.png")
        try grid.render(scale: options.scale).write(to: url)
        report.figure(url, "feature maps after the stem and each stage (brighter = larger)")
    }

    /// One channel of `[1, C, H, W]` as a grey image, scaled to its own range.
    static func channelImage(_ t: Tensor, channel: Int) -> RGBImage {
        let (h, w) = (t.dim(2), t.dim(3))
        let plane = Array(t.data[channel * h * w ..< (channel + 1) * h * w])
        let lo = plane.min() ?? 0, hi = plane.max() ?? 1
        let span = hi > lo ? hi - lo : 1
        let pixels = plane.flatMap { v -> [UInt8] in
            let g = UInt8(max(0, min(255, ((v - lo) / span * 255).rounded())))
            return [g, g, g]
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }
}
