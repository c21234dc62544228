import Foundation
import SimCLR

/// The cosine similarities of a fixed set of views — 8 images, two augmentations each —
/// computed with the network as it is now: the same inputs before and after training show
/// what the loss does (each view's partner becomes its most similar neighbour).
struct SimilaritySnapshot {
    static let count = 8
    let views: Tensor
    let model: SimCLRModel

    init(trainer: Trainer, images: InMemoryDataset) {
        // One image of each of the first 8 classes, always the same views (seed fixed).
        let picks = (0 ..< Self.count).compactMap { c in images.labels.firstIndex(of: c) }
        let size = trainer.pipeline.size, floats = 3 * size * size
        var generator = SeededGenerator(seed: 2020)
        views = Tensor(shape: [2 * picks.count, 3, size, size]) { buffer in
            let base = buffer.baseAddress!
            trainer.pipeline.augmentPairs(count: picks.count, image: { images.rgbImage(at: picks[$0]) },
                                          firstViews: base, secondViews: base + picks.count * floats, using: &generator)
        }
        model = trainer.model
    }

    /// `[2n][2n]` cosine similarities of z in evaluation mode.
    func matrix() -> [[Double]] {
        let z = model.forward(views, training: false).z
        let n = z.dim(0)
        let s = NTXent.cosineSimilarities(z).data
        return (0 ..< n).map { i in (0 ..< n).map { Double(s[i * n + $0]) } }
    }
}
