import Core
import Imaging

extension PlanarImage {
    /// The mirror image, left to right (torchvision's `hflip`).
    /// - Returns: same shape as `self`.
    public func horizontallyFlipped() -> PlanarImage {
        var out = self
        for c in 0 ..< channels {
            for y in 0 ..< height {
                for x in 0 ..< width { out[c, y, x] = self[c, y, width - 1 - x] }
            }
        }
        return out
    }
}

/// torchvision's `RandomHorizontalFlip(p)`.
public struct RandomHorizontalFlip: Sendable, Equatable {
    /// Probability of flipping.
    public var probability: Double

    public init(probability: Double = 0.5) {
        self.probability = probability
    }

    /// Whether this view is flipped (one draw, as torchvision's `torch.rand(1) < p`).
    public func draw(using generator: inout SeededGenerator) -> Bool {
        generator.bernoulli(probability)
    }
}
