import Foundation
import LessonKit
import SimCLR

/// The figure of one image's feature maps: a few channels of each stage's output.
enum FeatureMaps {
    /// `figures/lesson2-feature-maps.png`: per stage, the input and 8 channels of the stage's output.
    static func write(_ report: Report, options: LessonOptions, maps: [(stage: String, output: Tensor)],
                      original: RGBImage) throws {
        var grid = ImageGrid(title: "A cat through the untrained classroom encoder: 8 channels per stage", columns: 9)
        grid.imageWidth = 96
        grid.imageHeight = 96
        grid.rowLabels = maps.map(\.stage)
        grid.columnLabels = ["input"] + (0 ..< 8).map { "channel \($0)" }
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
