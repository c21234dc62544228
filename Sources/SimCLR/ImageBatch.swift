import Augmentation
import Core
import Datasets
import Foundation
import NeuralNet

/// Turning stored 8-bit images into the network's input without augmentation (for
/// feature extraction and evaluation): `x = (pixel / 255 - mean) / std`, channel-planar.
public enum ImageBatch {
    /// Images `indices` of `dataset` as a normalised `[count, 3, H, W]` tensor.
    public static func normalized(_ dataset: InMemoryDataset, indices: some Collection<Int>,
                                  normalization: Normalization) -> Tensor {
        let (h, w) = (dataset.height, dataset.width)
        let plane = h * w
        let list = Array(indices)
        // Per channel: x · scale + shift with scale = 1/(255·std), shift = -mean/std.
        let scale = (0 ..< 3).map { 1 / (255 * normalization.std[$0]) }
        let shift = (0 ..< 3).map { -normalization.mean[$0] / normalization.std[$0] }
        return Tensor(shape: [list.count, 3, h, w]) { out in
            let base = out.baseAddress!
            dataset.withUnsafeBufferPointer { pixels in
                Parallel.forChunks(list.count, minimumChunk: 32) { range in
                    for j in range {
                        let src = pixels.baseAddress! + list[j] * plane * 3
                        let dst = base + j * 3 * plane
                        for p in 0 ..< plane {
                            for c in 0 ..< 3 { dst[c * plane + p] = Float(src[3 * p + c]) * scale[c] + shift[c] }
                        }
                    }
                }
            }
        }
    }
}
