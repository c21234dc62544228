import Core

/// torchvision's `RandomGrayscale(p)`: with probability `p` replace the image by its
/// luma (`PlanarImage.grayscaled()`), keeping three channels.
public struct RandomGrayscale: Sendable, Equatable {
    /// Probability of going grey.
    public var probability: Double

    public init(probability: Double = 0.2) {
        self.probability = probability
    }

    /// Whether this view goes grey (one draw).
    public func draw(using generator: inout SeededGenerator) -> Bool {
        generator.bernoulli(probability)
    }
}
