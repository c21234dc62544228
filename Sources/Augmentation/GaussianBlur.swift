import Core
import Foundation
import Imaging

/// Gaussian blur as SimCLR uses it: torchvision's `GaussianBlur(kernel_size, sigma)`
/// with sigma drawn uniformly per image, optionally wrapped in `RandomApply(p)`.
public struct GaussianBlur: Sendable, Equatable {
    /// Odd kernel side in pixels.
    public var kernelSize: Int
    /// Range sigma is drawn from, uniformly.
    public var sigma: ClosedRange<Float>
    /// Probability of blurring (1: always, as in the Food-101 write-up; the paper uses 0.5).
    public var probability: Double

    public init(kernelSize: Int, sigma: ClosedRange<Float> = 0.1 ... 2.0, probability: Double = 0.5) {
        contract(kernelSize > 0 && kernelSize % 2 == 1, "GaussianBlur: kernel size must be odd and positive")
        contract(sigma.lowerBound > 0, "GaussianBlur: sigma must be positive")
        self.kernelSize = kernelSize
        self.sigma = sigma
        self.probability = probability
    }

    /// The blur SimCLR pairs with an image side: kernel from `kernelSize(forImageSize:)`.
    public init(imageSize: Int, sigma: ClosedRange<Float> = 0.1 ... 2.0, probability: Double = 0.5) {
        self.init(kernelSize: Self.kernelSize(forImageSize: imageSize), sigma: sigma, probability: probability)
    }

    /// SimCLR's rule: 10 % of the image side, made odd by adding 1 when even
    /// (3 at 32 px, 7 at 64, 9 at 96, 23 at 224, 25 at 256).
    public static func kernelSize(forImageSize size: Int) -> Int {
        let k = Int(0.1 * Double(size))
        return k % 2 == 0 ? k + 1 : k
    }

    /// torchvision's `_get_gaussian_kernel1d`: exp(-x^2 / (2 sigma^2)) at the integer
    /// offsets -(size-1)/2 ... (size-1)/2, divided by its sum.
    public static func kernel(size: Int, sigma: Float) -> [Float] {
        contract(size > 0 && size % 2 == 1 && sigma > 0, "GaussianBlur.kernel: odd size and positive sigma")
        let half = Float(size - 1) / 2
        let pdf = (0 ..< size).map { i -> Float in
            let x = (Float(i) - half) / sigma
            return expf(-0.5 * x * x)
        }
        let total = pdf.reduce(0, +)
        return pdf.map { $0 / total }
    }

    /// Sigma for this view, or `nil` when the blur is skipped.
    ///
    /// With probability 1 no coin is drawn (torchvision's plain `GaussianBlur`),
    /// otherwise one coin and then one sigma (`RandomApply` around it).
    public func draw(using generator: inout SeededGenerator) -> Float? {
        if probability < 1 && !generator.bernoulli(probability) { return nil }
        return generator.uniform(sigma.lowerBound, sigma.upperBound)
    }
}

/// Reflect padding's index map ("reflect" in PyTorch, the edge pixel not repeated):
/// -1 -> 1, n -> n - 2. Keeps reflecting for offsets beyond one image width.
@inline(__always)
func reflectIndex(_ i: Int, _ n: Int) -> Int {
    if i >= 0 && i < n { return i }     // the common case, without a division
    if n == 1 { return 0 }
    let period = 2 * (n - 1)
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - m
}

extension PlanarImage {
    /// torchvision's `gaussian_blur` on a tensor.
    ///
    /// Reflect padding, then a 2-D convolution with the outer product of the 1-D kernel with
    /// itself (the reference: every output pixel sums kernelSize^2 products, exactly the
    /// formula).
    ///
    /// - Parameters:
    ///   - kernelSize: odd kernel side.
    ///   - sigma: standard deviation in pixels.
    /// - Returns: same shape as `self`.
    public func gaussianBlurred(kernelSize: Int, sigma: Float) -> PlanarImage {
        let k = GaussianBlur.kernel(size: kernelSize, sigma: sigma)
        let pad = kernelSize / 2
        var out = self
        for c in 0 ..< channels {
            for y in 0 ..< height {
                for x in 0 ..< width {
                    var sum: Float = 0
                    for i in 0 ..< kernelSize {
                        let sy = reflectIndex(y + i - pad, height)
                        for j in 0 ..< kernelSize {
                            sum += (k[i] * k[j]) * self[c, sy, reflectIndex(x + j - pad, width)]
                        }
                    }
                    out[c, y, x] = sum
                }
            }
        }
        return out
    }
}
