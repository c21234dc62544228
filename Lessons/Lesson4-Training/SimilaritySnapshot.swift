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
        // One image of each of the first 8 classes, always the same views (seed fixed);
        // unlabelled data (STL-10's) simply gives its first 8 images.
        var picks = (0 ..< Self.count).compactMap { c in images.labels.firstIndex(of: c) }
        if picks.count < Self.count { picks = Array(0 ..< min(Self.count, images.count)) }
        let size = trainer.pipeline.size, floats = 3 * size * size
        var generator = SeededGenerator(seed: 2020)
        views = Tensor(shape: [2 * picks.count, 3, size, size]) { buffer in
            let base = buffer.baseAddress!
            trainer.pipeline.augmentPairs(count: picks.count, image: { images.rgbImage(at: picks[$0]) },
                                          firstViews: base, secondViews: base + picks.count * floats, using: &generator)
        }
        model = trainer.model
    }

    /// Mean cosine of each view with its partner, and with the other images' views.
    static func summary(_ m: [[Double]]) -> (partners: Double, others: Double) {
        let n = m.count / 2
        var partners = 0.0, others = 0.0, count = 0
        for i in 0 ..< 2 * n {
            for j in 0 ..< 2 * n where j != i {
                if j == (i + n) % (2 * n) { partners += m[i][j] } else { others += m[i][j]; count += 1 }
            }
        }
        return (partners / Double(2 * n), others / Double(count))
    }

    /// `[2n][2n]` cosine similarities of z in evaluation mode.
    func matrix() -> [[Double]] {
        let z = model.forward(views, training: false).z
        let n = z.dim(0)
        let s = NTXent.cosineSimilarities(z).data
        return (0 ..< n).map { i in (0 ..< n).map { Double(s[i * n + $0]) } }
    }
}
