import Core
import Dispatch
import Foundation
import Imaging

/// How fast a pipeline turns images into normalized two-view batches.
public struct AugmentationThroughput: Sendable, CustomStringConvertible {
    public let path: ComputePath
    /// Source images augmented (each into two views).
    public let images: Int
    public let seconds: Double
    public var imagesPerSecond: Double { Double(images) / seconds }
    public var viewsPerSecond: Double { 2 * Double(images) / seconds }

    public var description: String {
        String(format: "%@: %.0f images/s (%.0f views/s), %d images in %.2f s",
               path.rawValue, imagesPerSecond, viewsPerSecond, images, seconds)
    }
}

extension AugmentationPipeline {
    /// Times `augmentPairs` into preallocated batch buffers, batch after batch cycling
    /// through `images`, until `minimumSeconds` have passed (after one untimed warm-up
    /// batch).
    ///
    /// Includes drawing the parameters. For the benchmark executable; tests must not
    /// assert on it.
    ///
    /// - Parameters:
    ///   - images: sources, reused cyclically.
    ///   - batchSize: images per batch (each gives two views).
    ///   - path: which implementation to time.
    public func measureThroughput(images: [RGBImage], batchSize: Int = 256, minimumSeconds: Double = 1,
                                  path: ComputePath, seed: UInt64 = 0) -> AugmentationThroughput {
        contract(!images.isEmpty && batchSize > 0, "measureThroughput: needs images and a positive batch size")
        var generator = SeededGenerator(seed: seed)
        let floats = batchSize * 3 * size * size
        let first = UnsafeMutablePointer<Float>.allocate(capacity: floats)
        let second = UnsafeMutablePointer<Float>.allocate(capacity: floats)
        defer { first.deallocate(); second.deallocate() }
        var cursor = 0
        func runBatch() {
            augmentPairs(count: batchSize, image: { images[(cursor + $0) % images.count] },
                         firstViews: first, secondViews: second, using: &generator, path: path)
            cursor = (cursor + batchSize) % images.count
        }
        runBatch()
        let start = DispatchTime.now().uptimeNanoseconds
        var done = 0
        var elapsed = 0.0
        repeat {
            runBatch()
            done += batchSize
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        return AugmentationThroughput(path: path, images: done, seconds: elapsed)
    }
}
