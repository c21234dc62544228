import Core
import Imaging

/// One of ColorJitter's four adjustments, numbered as torchvision's `fn_idx`.
public enum JitterOperation: Int, CaseIterable, Sendable, Hashable {
    case brightness = 0, contrast, saturation, hue

    /// One letter for printing orders: b, c, s, h.
    public var letter: String {
        switch self {
        case .brightness: "b"
        case .contrast: "c"
        case .saturation: "s"
        case .hue: "h"
        }
    }
}

/// The factors one ColorJitter call drew, and the order it applies them in. A factor is
/// `nil` when its strength is 0 (torchvision then neither draws nor applies it).
public struct JitterParameters: Equatable, Sendable {
    public var brightness: Float?
    public var contrast: Float?
    public var saturation: Float?
    public var hue: Float?
    /// A permutation of the four operations (torchvision's `randperm(4)`).
    public var order: [JitterOperation]

    public init(brightness: Float?, contrast: Float?, saturation: Float?, hue: Float?,
                order: [JitterOperation] = JitterOperation.allCases) {
        contract(Set(order) == Set(JitterOperation.allCases) && order.count == 4,
                 "JitterParameters: order must be a permutation of the four operations")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.order = order
    }

    /// The factor of `operation`, if it was drawn.
    public func factor(_ operation: JitterOperation) -> Float? {
        switch operation {
        case .brightness: brightness
        case .contrast: contrast
        case .saturation: saturation
        case .hue: hue
        }
    }
}

/// torchvision's `RandomApply([ColorJitter(brightness, contrast, saturation, hue)], p)`.
///
/// Each call draws a random order of the four adjustments, then brightness, contrast
/// and saturation factors uniformly in [max(0, 1 - x), 1 + x] and a hue shift in [-h, h].
public struct ColorJitter: Sendable, Equatable {
    public var brightness: Float
    public var contrast: Float
    public var saturation: Float
    public var hue: Float
    /// Probability that the jitter is applied at all (SimCLR: 0.8).
    public var probability: Double

    public init(brightness: Float = 0.4, contrast: Float = 0.4, saturation: Float = 0.4, hue: Float = 0.1,
                probability: Double = 0.8) {
        contract(brightness >= 0 && contrast >= 0 && saturation >= 0, "ColorJitter: strengths must be >= 0")
        contract((0 ... 0.5).contains(hue), "ColorJitter: hue must be in [0, 0.5]")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.probability = probability
    }

    /// torchvision's factor range for a strength x: [max(0, 1 - x), 1 + x].
    public static func factorRange(strength x: Float) -> ClosedRange<Float> {
        max(0, 1 - x) ... 1 + x
    }

    /// The parameters for one view, or `nil` when the jitter is skipped.
    /// Draw order: the coin, the permutation, then b, c, s, h (torchvision's `get_params`).
    public func draw(using generator: inout SeededGenerator) -> JitterParameters? {
        guard generator.bernoulli(probability) else { return nil }
        let order = generator.permutation(4).map { JitterOperation(rawValue: $0)! }
        func factor(_ strength: Float) -> Float? {
            guard strength > 0 else { return nil }
            let range = Self.factorRange(strength: strength)
            return generator.uniform(range.lowerBound, range.upperBound)
        }
        let b = factor(brightness), c = factor(contrast), s = factor(saturation)
        let h: Float? = hue > 0 ? generator.uniform(-hue, hue) : nil
        return JitterParameters(brightness: b, contrast: c, saturation: s, hue: h, order: order)
    }

    /// Applies `parameters` in their order (the reference path).
    public static func apply(_ parameters: JitterParameters, to image: PlanarImage) -> PlanarImage {
        var out = image
        for operation in parameters.order {
            guard let f = parameters.factor(operation) else { continue }
            switch operation {
            case .brightness: out = out.brightnessAdjusted(f)
            case .contrast: out = out.contrastAdjusted(f)
            case .saturation: out = out.saturationAdjusted(f)
            case .hue: out = out.hueAdjusted(f)
            }
        }
        return out
    }
}
