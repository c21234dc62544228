import Core
import Foundation
import Imaging

/// SimCLR's augmentation as one torchvision `Compose`, stages in this fixed order:
///
///     RandomResizedCrop(size) -> RandomHorizontalFlip -> RandomApply(ColorJitter, p)
///     -> RandomGrayscale -> [RandomApply(GaussianBlur, p)] -> [Normalize]
///
/// on a float CHW image in [0, 1] (`ToTensor` first, then tensor transforms). Each view
/// first draws all its parameters (`draw`), then applies them (`apply`): drawing is
/// sequential and cheap, applying is pure, so batches draw in order and apply in
/// parallel and the result does not depend on the number of threads.
public struct AugmentationPipeline: Sendable, Equatable {
    public var crop: RandomResizedCrop
    public var flip: RandomHorizontalFlip
    public var jitter: ColorJitter
    public var grayscale: RandomGrayscale
    /// `nil` for no blur stage at all.
    public var blur: GaussianBlur?
    /// `nil` to keep values in [0, 1] (e.g. to show views as pictures).
    public var normalization: Normalization?

    public init(crop: RandomResizedCrop, flip: RandomHorizontalFlip = RandomHorizontalFlip(),
                jitter: ColorJitter = ColorJitter(), grayscale: RandomGrayscale = RandomGrayscale(),
                blur: GaussianBlur?, normalization: Normalization?) {
        self.crop = crop
        self.flip = flip
        self.jitter = jitter
        self.grayscale = grayscale
        self.blur = blur
        self.normalization = normalization
    }

    /// Output side in pixels.
    public var size: Int { crop.size }

    /// The classroom configuration, which Lesson 4's `--preset classroom` (its default) trains with.
    ///
    /// It has 32 px crops, flip 0.5, jitter (0.4, 0.4, 0.4, 0.1) p 0.8, grey p 0.2, blur kernel 3
    /// with sigma in [0.1, 2] p 0.5, CIFAR-10 normalization.
    public static let classroom = AugmentationPipeline(
        crop: RandomResizedCrop(size: 32), blur: GaussianBlur(imageSize: 32, probability: 0.5),
        normalization: .cifar10)

    /// The Food-101 write-up's configuration: `size` px crops (256: blur kernel 25 by its rule),
    /// the same flip, jitter and grey, blur always on, ImageNet normalization.
    public static func writeUp(size: Int = 256) -> AugmentationPipeline {
        AugmentationPipeline(crop: RandomResizedCrop(size: size), blur: GaussianBlur(imageSize: size, probability: 1),
                             normalization: .imageNet)
    }

    /// The same pipeline with its output left in [0, 1] (for figures).
    public func withoutNormalization() -> AugmentationPipeline {
        var p = self
        p.normalization = nil
        return p
    }

    /// Draws every random choice for one view of a `height` x `width` image, in the
    /// order the stages run: crop, flip, jitter, grey, blur.
    public func draw(height: Int, width: Int, using generator: inout SeededGenerator) -> ViewParameters {
        let c = crop.draw(height: height, width: width, using: &generator)
        let flipped = flip.draw(using: &generator)
        let j = jitter.draw(using: &generator)
        let grey = grayscale.draw(using: &generator)
        let sigma = blur?.draw(using: &generator)
        return ViewParameters(sourceHeight: height, sourceWidth: width, crop: c.box, cropUsedFallback: c.usedFallback,
                              flipped: flipped, jitter: j, grayscale: grey, blurSigma: sigma)
    }

    /// The stages as torchvision would print them, one per line.
    public var stageLines: [String] {
        // Python's look: 1.0, 0.08, 1.333.
        func f(_ x: Double) -> String { x == x.rounded() ? String(format: "%.1f", x) : String(format: "%.4g", x) }
        var lines = [
            "RandomResizedCrop(\(size), scale=(\(f(crop.scale.lowerBound)), \(f(crop.scale.upperBound))), "
                + "ratio=(\(f(crop.ratio.lowerBound)), \(f(crop.ratio.upperBound))), antialias=\(crop.antialias ? "True" : "False"))",
            "RandomHorizontalFlip(p=\(f(flip.probability)))",
            "RandomApply([ColorJitter(\(f(Double(jitter.brightness))), \(f(Double(jitter.contrast))), "
                + "\(f(Double(jitter.saturation))), \(f(Double(jitter.hue))))], p=\(f(jitter.probability)))",
            "RandomGrayscale(p=\(f(grayscale.probability)))",
        ]
        if let blur {
            let b = "GaussianBlur(kernel_size=\(blur.kernelSize), sigma=(\(f(Double(blur.sigma.lowerBound))), "
                + "\(f(Double(blur.sigma.upperBound)))))"
            lines.append(blur.probability >= 1 ? b : "RandomApply([\(b)], p=\(f(blur.probability)))")
        }
        if let n = normalization {
            lines.append("Normalize(mean=\(n.mean), std=\(n.std))  # \(n.name)")
        }
        return lines
    }
}
