import Core
import Imaging

/// torchvision's `Normalize(mean, std)`: channel c becomes (v - mean[c]) / std[c].
public struct Normalization: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]
    /// A short name for printing ("CIFAR-10", "ImageNet", "custom").
    public var name: String

    public init(mean: [Float], std: [Float], name: String = "custom") {
        contract(mean.count == 3 && std.count == 3 && std.allSatisfy { $0 > 0 },
                 "Normalization: three means and three positive standard deviations")
        self.mean = mean
        self.std = std
        self.name = name
    }

    /// CIFAR-10 training-set statistics (the classroom configuration).
    public static let cifar10 = Normalization(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616],
                                              name: "CIFAR-10")
    /// ImageNet statistics (the Food-101 write-up).
    public static let imageNet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
                                               name: "ImageNet")
}

extension PlanarImage {
    /// `(v - mean[c]) / std[c]` per channel.
    public func normalized(with n: Normalization) -> PlanarImage {
        contract(channels == 3, "normalized needs an RGB image")
        var out = self
        let plane = height * width
        for c in 0 ..< 3 {
            for i in 0 ..< plane { out.data[c * plane + i] = (data[c * plane + i] - n.mean[c]) / n.std[c] }
        }
        return out
    }

    /// The inverse, `v * std[c] + mean[c]`, to show a normalized view as a picture.
    public func denormalized(with n: Normalization) -> PlanarImage {
        contract(channels == 3, "denormalized needs an RGB image")
        var out = self
        let plane = height * width
        for c in 0 ..< 3 {
            for i in 0 ..< plane { out.data[c * plane + i] = data[c * plane + i] * n.std[c] + n.mean[c] }
        }
        return out
    }
}
