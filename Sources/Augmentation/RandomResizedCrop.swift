import Core
import Foundation

/// torchvision's `RandomResizedCrop(size, scale, ratio)`.
///
/// It crops a random rectangle covering a random fraction of the image with a random aspect
/// ratio, then resizes it to `size` x `size` (bilinear, antialiased when shrinking).
public struct RandomResizedCrop: Sendable, Equatable {
    /// Output side in pixels.
    public var size: Int
    /// Range of the crop's area as a fraction of the image's.
    public var scale: ClosedRange<Double>
    /// Range of the crop's width / height; drawn log-uniformly.
    public var ratio: ClosedRange<Double>
    /// torchvision's `antialias` (default `true`).
    public var antialias: Bool

    public init(size: Int, scale: ClosedRange<Double> = 0.08 ... 1,
                ratio: ClosedRange<Double> = 3.0 / 4.0 ... 4.0 / 3.0, antialias: Bool = true) {
        contract(size > 0, "RandomResizedCrop: size must be positive")
        contract(scale.lowerBound > 0 && ratio.lowerBound > 0,
                 "RandomResizedCrop: scale and ratio must be positive")
        self.size = size
        self.scale = scale
        self.ratio = ratio
        self.antialias = antialias
    }

    /// One drawn crop, with what was drawn to get it.
    public struct Draw: Equatable, Sendable {
        /// The crop rectangle.
        public var box: CropBox
        /// Attempts used, 1 ... 10; 10 with `usedFallback` when none fitted.
        public var attempts: Int
        /// `true` when all 10 attempts failed and the centre crop was taken.
        public var usedFallback: Bool
        /// The accepted attempt's target area in pixels (before rounding); `nil` on fallback.
        public var targetArea: Double?
        /// The accepted attempt's aspect ratio w / h (before rounding); `nil` on fallback.
        public var aspectRatio: Double?
    }

    /// torchvision's `RandomResizedCrop.get_params`, draw for draw.
    ///
    /// Up to 10 attempts of area = total x U(scale), ratio = exp(U(log ratio)),
    /// w = round(sqrt(area x ratio)), h = round(sqrt(area / ratio)) (Python's round,
    /// half to even); the first that fits gets a uniform position. Otherwise the centre
    /// crop of the whole image with its aspect ratio clamped into `ratio`.
    ///
    /// - Parameters:
    ///   - height: source rows.
    ///   - width: source columns.
    ///   - generator: consumed for 2 draws per attempt plus 2 for the position.
    public func draw(height: Int, width: Int, using generator: inout SeededGenerator) -> Draw {
        contract(height > 0 && width > 0, "RandomResizedCrop.draw: empty image")
        let area = Double(height * width)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for attempt in 1 ... 10 {
            let targetArea = area * generator.uniform(scale.lowerBound, scale.upperBound)
            let aspect = exp(generator.uniform(logRatio.0, logRatio.1))
            let w = Int((targetArea * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((targetArea / aspect).squareRoot().rounded(.toNearestOrEven))
            if 0 < w && w <= width && 0 < h && h <= height {
                let top = generator.integer(in: 0 ... height - h)
                let left = generator.integer(in: 0 ... width - w)
                return Draw(box: CropBox(top: top, left: left, height: h, width: w), attempts: attempt,
                            usedFallback: false, targetArea: targetArea, aspectRatio: aspect)
            }
        }
        return Draw(box: Self.fallbackBox(height: height, width: width, ratio: ratio), attempts: 10,
                    usedFallback: true, targetArea: nil, aspectRatio: nil)
    }

    /// torchvision's fallback: the whole image if its aspect ratio is inside `ratio`,
    /// else the largest centred box with the nearest allowed ratio.
    public static func fallbackBox(height: Int, width: Int, ratio: ClosedRange<Double>) -> CropBox {
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            // max/min only guard ratio ranges so extreme that torchvision would return an empty box.
            h = min(height, max(1, Int((Double(w) / ratio.lowerBound).rounded(.toNearestOrEven))))
        } else if inRatio > ratio.upperBound {
            w = min(width, max(1, Int((Double(h) * ratio.upperBound).rounded(.toNearestOrEven))))
        }
        return CropBox(top: (height - h) / 2, left: (width - w) / 2, height: h, width: w)
    }
}
