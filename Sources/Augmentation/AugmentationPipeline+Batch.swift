import Core
import Imaging

/// Two views of each of `count` images, as two `[count, 3, size, size]` tensors.
public struct PairBatch: Sendable {
    public let count: Int
    public let size: Int
    /// View 1 of every image, `[count, 3, size, size]`.
    public var firstViews: [Float]
    /// View 2 of every image, `[count, 3, size, size]`.
    public var secondViews: [Float]
    /// The draws behind each pair.
    public var parameters: [PairParameters]

    /// View 1 of image `i` as an image.
    public func firstView(_ i: Int) -> PlanarImage { view(firstViews, i) }
    /// View 2 of image `i` as an image.
    public func secondView(_ i: Int) -> PlanarImage { view(secondViews, i) }

    private func view(_ data: [Float], _ i: Int) -> PlanarImage {
        let n = 3 * size * size
        return PlanarImage(channels: 3, height: size, width: size, data: Array(data[i * n ..< (i + 1) * n]))
    }
}

extension AugmentationPipeline {
    /// Draws two views' parameters per image, in order: image 0 view 1, image 0 view 2,
    /// image 1 view 1, ... Sequential, so the draws depend only on the generator.
    public func drawPairs(sizes: [(height: Int, width: Int)], using generator: inout SeededGenerator) -> [PairParameters] {
        sizes.map { s in
            let first = draw(height: s.height, width: s.width, using: &generator)
            let second = draw(height: s.height, width: s.width, using: &generator)
            return PairParameters(first: first, second: second)
        }
    }

    /// Applies recorded draws, view `i` of `images[i]` to `destination + i * 3 * size * size`.
    ///
    /// The optimized path spreads the views over the cores; each view is computed by one
    /// thread from its own draws, so the output does not depend on the thread count.
    ///
    /// - Parameters:
    ///   - parameters: one per image, drawn for that image's size.
    ///   - images: the sources.
    ///   - destination: room for `[images.count, 3, size, size]` floats.
    ///   - path: `.reference` (plain loops, one thread) or `.optimized`.
    public func render(_ parameters: [ViewParameters], of images: [RGBImage],
                       into destination: UnsafeMutablePointer<Float>, path: ComputePath = ComputePath.current) {
        contract(parameters.count == images.count, "render: \(parameters.count) draws for \(images.count) images")
        renderViews(count: images.count, image: { images[$0] }, parameters: { parameters[$0] },
                    destination: { destination + $0 * 3 * size * size }, path: path)
    }

    /// Augments every image twice into caller-provided batch tensors (what the training
    /// loop calls to fill its input without copies).
    ///
    /// For the usual stacked `[2B, 3, S, S]` input pass `base` and `base + B * 3 * S * S`.
    ///
    /// - Parameters:
    ///   - images: B source images, any sizes.
    ///   - firstViews: room for `[B, 3, size, size]`: view 1 of each image.
    ///   - secondViews: room for `[B, 3, size, size]`: view 2 of each image.
    ///   - generator: consumed sequentially for all draws before any pixel work.
    /// - Returns: the draws, for printing or replay.
    @discardableResult
    public func augmentPairs(_ images: [RGBImage], firstViews: UnsafeMutablePointer<Float>,
                             secondViews: UnsafeMutablePointer<Float>, using generator: inout SeededGenerator,
                             path: ComputePath = ComputePath.current) -> [PairParameters] {
        augmentPairs(count: images.count, image: { images[$0] }, firstViews: firstViews, secondViews: secondViews,
                     using: &generator, path: path)
    }

    /// `augmentPairs` with the images fetched by index (e.g. from a dataset); `image`
    /// is called once per index, in order, before any work starts.
    @discardableResult
    public func augmentPairs(count: Int, image: (Int) throws -> RGBImage, firstViews: UnsafeMutablePointer<Float>,
                             secondViews: UnsafeMutablePointer<Float>, using generator: inout SeededGenerator,
                             path: ComputePath = ComputePath.current) rethrows -> [PairParameters] {
        let images = try (0 ..< count).map(image)
        let pairs = drawPairs(sizes: images.map { ($0.height, $0.width) }, using: &generator)
        let viewFloats = 3 * size * size
        // Views 0 ..< count are the first views, count ..< 2 count the second.
        renderViews(count: 2 * count, image: { images[$0 % count] },
                    parameters: { $0 < count ? pairs[$0].first : pairs[$0 - count].second },
                    destination: { $0 < count ? firstViews + $0 * viewFloats : secondViews + ($0 - count) * viewFloats },
                    path: path)
        return pairs
    }

    /// `augmentPairs` into two `[Float]` tensors of `images.count * 3 * size * size` values.
    @discardableResult
    public func augmentPairs(_ images: [RGBImage], firstViews: inout [Float], secondViews: inout [Float],
                             using generator: inout SeededGenerator,
                             path: ComputePath = ComputePath.current) -> [PairParameters] {
        let n = images.count * 3 * size * size
        contract(firstViews.count == n && secondViews.count == n,
                 "augmentPairs: view buffers need \(n) floats (\(images.count) x 3 x \(size) x \(size))")
        return firstViews.withUnsafeMutableBufferPointer { first in
            secondViews.withUnsafeMutableBufferPointer { second in
                augmentPairs(images, firstViews: first.baseAddress!, secondViews: second.baseAddress!,
                             using: &generator, path: path)
            }
        }
    }

    /// Two views of every image in newly allocated tensors.
    public func augmentPairs(_ images: [RGBImage], using generator: inout SeededGenerator,
                             path: ComputePath = ComputePath.current) -> PairBatch {
        let n = images.count * 3 * size * size
        var first = [Float](repeating: 0, count: n), second = [Float](repeating: 0, count: n)
        let pairs = augmentPairs(images, firstViews: &first, secondViews: &second, using: &generator, path: path)
        return PairBatch(count: images.count, size: size, firstViews: first, secondViews: second, parameters: pairs)
    }

    /// The one loop behind every batch entry point.
    func renderViews(count: Int, image: (Int) -> RGBImage, parameters: (Int) -> ViewParameters,
                     destination: (Int) -> UnsafeMutablePointer<Float>, path: ComputePath) {
        let viewFloats = 3 * size * size
        switch path {
        case .reference:
            for v in 0 ..< count {
                let view = applyReference(parameters(v), to: image(v))
                view.data.withUnsafeBufferPointer { destination(v).update(from: $0.baseAddress!, count: viewFloats) }
            }
        case .optimized:
            // A 32 px view takes some microseconds; fewer than 8 per thread is not worth a thread.
            Parallel.forChunks(count, minimumChunk: 8) { range in
                let workspace = AugmentationWorkspace()
                for v in range {
                    renderOptimized(parameters(v), source: image(v), into: destination(v), workspace: workspace)
                }
            }
        }
    }
}
