import Augmentation
import Core
import Datasets
import Foundation
import NeuralNet

/// The standard supervised CIFAR augmentation (He et al. 2016): pad by 4 pixels with
/// zeros, take a random 32x32 crop, flip horizontally with probability 0.5, normalise.
///
/// The supervised baseline trains with it, as the usual ResNet-on-CIFAR recipe does.
public struct StandardAugmentation: Sendable {
    public var padding = 4
    public var normalization: Normalization

    public init(normalization: Normalization = .cifar10) {
        self.normalization = normalization
    }

    /// A normalised `[count, 3, H, W]` batch of augmented images `indices` of `dataset`.
    /// The crop offsets and flips are drawn first, in order, from `generator`.
    public func batch(_ dataset: InMemoryDataset, indices: [Int], using generator: inout SeededGenerator) -> Tensor {
        let (h, w) = (dataset.height, dataset.width), plane = h * w
        let draws = indices.map { _ in
            (dy: generator.integer(in: -padding ... padding), dx: generator.integer(in: -padding ... padding),
             flip: generator.bernoulli(0.5))
        }
        let scale = (0 ..< 3).map { 1 / (255 * normalization.std[$0]) }
        let shift = (0 ..< 3).map { -normalization.mean[$0] / normalization.std[$0] }
        return Tensor(shape: [indices.count, 3, h, w]) { out in
            let base = out.baseAddress!
            dataset.withUnsafeBufferPointer { pixels in
                Parallel.forChunks(indices.count, minimumChunk: 32) { range in
                    for j in range {
                        let src = pixels.baseAddress! + indices[j] * plane * 3
                        let d = draws[j]
                        for y in 0 ..< h {
                            let sy = y + d.dy
                            for x in 0 ..< w {
                                let sx = (d.flip ? w - 1 - x : x) + d.dx
                                let inside = sy >= 0 && sy < h && sx >= 0 && sx < w
                                for c in 0 ..< 3 {
                                    // Zero padding is 0 in [0, 1] pixels, i.e. `shift` after normalising.
                                    let value = inside ? Float(src[(sy * w + sx) * 3 + c]) : 0
                                    base[(j * 3 + c) * plane + y * w + x] = value * scale[c] + shift[c]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
