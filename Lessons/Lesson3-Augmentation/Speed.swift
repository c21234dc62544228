import Foundation
import LessonKit
import SimCLR

/// The augmentation pipeline's two code paths, timed.
enum Speed {
    /// Two-view augmentations per second through the plain-loop reference and the
    /// fused, threaded optimized path (both compiled optimized: the library is, even in a
    /// debug build of this lesson), on the classroom pipeline at 32 px.
    static func run(_ report: Report, options: LessonOptions, test: InMemoryDataset, pipeline: AugmentationPipeline) {
        let images = test.firstIndicesPerClass(512 / max(1, test.classNames.count)).map { test.rgbImage(at: $0) }
        let seconds = options.quick ? 0.15 : 1.5
        let batch = options.quick ? 64 : 256
        report.say("Each source image becomes two normalised 3x32x32 views (draws included), batch after batch,")
        report.say(String(format: "for at least %.2g s per path on %d thread(s):", seconds, Parallel.threadCount))
        var results = [ComputePath: AugmentationThroughput]()
        for path in [ComputePath.reference, .optimized] {
            let t = pipeline.measureThroughput(images: images, batchSize: batch, minimumSeconds: seconds,
                                               path: path, seed: options.seed)
            results[path] = t
            report.value("\(path.rawValue) path", t.imagesPerSecond, format: "%,.0f",
                         unit: "images/s (" + Report.format(t.viewsPerSecond, "%,.0f") + " views/s)")
        }
        let ratio = results[.optimized]!.imagesPerSecond / results[.reference]!.imagesPerSecond
        report.value("optimized / reference", ratio, format: "%.1f", unit: "x")
        report.say("Training a batch of 256 images needs 256 pairs; the optimized path makes them in "
                   + String(format: "%.0f ms.", 1000 * 256 / results[.optimized]!.imagesPerSecond))
    }
}
