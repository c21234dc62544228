import SimCLR

/// The SimCLR paper's reason for colour distortion (Chen et al. 2020, section 3.3 and
/// Figure 6): crops of one image share its colour distribution, so a network could pair
/// two views by their colour histograms alone and learn nothing else about the image.
///
/// This measures how well that shortcut works under a pipeline: every image gives two
/// views; each first view is matched to the second view whose colour histogram is
/// nearest (L1 distance); the score is the fraction matched to their own partner.
/// Chance is 1 / images.count.
enum ColourShortcut {
    /// Bins per colour channel; each view's histogram is `3 * bins` fractions.
    static let bins = 16

    /// - Parameters:
    ///   - pipeline: makes the two views (its output must be in [0, 1]: no normalisation).
    ///   - secondPipeline: makes the second views instead, when the two views of a pair come
    ///     from different pipelines (the card's split: crop + flip for one, colour for the other).
    ///   - images: the sources, at least 2.
    /// - Returns: the fraction of first views whose nearest second view is their partner.
    static func partnerAccuracy(_ pipeline: AugmentationPipeline, second secondPipeline: AugmentationPipeline? = nil,
                                images: [RGBImage], using generator: inout SeededGenerator) -> Double {
        guard pipeline.normalization == nil && secondPipeline?.normalization == nil && images.count >= 2
              && (secondPipeline?.size ?? pipeline.size) == pipeline.size else {
            fatalError("ColourShortcut: unnormalised pipelines of one size and at least two images")
        }
        let batch = pipeline.augmentPairs(images, using: &generator)
        let secondViews = secondPipeline.map { $0.augmentPairs(images, using: &generator).secondViews } ?? batch.secondViews
        let viewFloats = 3 * pipeline.size * pipeline.size
        let first = histograms(batch.firstViews, count: images.count, viewFloats: viewFloats)
        let second = histograms(secondViews, count: images.count, viewFloats: viewFloats)
        let length = 3 * bins
        var matched = 0
        // Raw pointers: this lesson is built without optimization, and N^2 array
        // subscripts with bounds checks would take seconds.
        first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in
                for i in 0 ..< images.count {
                    var best = 0, bestDistance = Float.infinity
                    for j in 0 ..< images.count {
                        var d: Float = 0
                        for k in 0 ..< length { d += abs(a[i * length + k] - b[j * length + k]) }
                        if d < bestDistance { (best, bestDistance) = (j, d) }
                    }
                    if best == i { matched += 1 }
                }
            }
        }
        return Double(matched) / Double(images.count)
    }

    /// Per-channel histograms of `count` planar views in [0, 1], each channel's bins
    /// summing to 1: `count * 3 * bins` values.
    static func histograms(_ views: [Float], count: Int, viewFloats: Int) -> [Float] {
        let plane = viewFloats / 3
        var out = [Float](repeating: 0, count: count * 3 * bins)
        views.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { h in
                for n in 0 ..< count {
                    for c in 0 ..< 3 {
                        let base = (n * 3 + c) * bins
                        for i in 0 ..< plane {
                            let bin = min(bins - 1, max(0, Int(v[n * viewFloats + c * plane + i] * Float(bins))))
                            h[base + bin] += 1
                        }
                        for b in 0 ..< bins { h[base + b] /= Float(plane) }
                    }
                }
            }
        }
        return out
    }
}
