import Augmentation
import Foundation
import NeuralNet

/// Every parameter of the augmentation as plain data, named after torchvision's arguments.
///
/// It is the "augmentation" of a recipe file, from which scripts/torch/train_simclr.py builds
/// the same torchvision transforms. The stages run in `AugmentationPipeline`'s fixed order.
public struct AugmentationSettings: Codable, Equatable, Sendable {
    /// `RandomResizedCrop(size, scale, ratio, antialias)`.
    public struct Crop: Codable, Equatable, Sendable {
        public var size: Int
        public var scale: ClosedRange<Double>
        public var ratio: ClosedRange<Double>
        public var antialias: Bool
    }

    /// `RandomApply([ColorJitter(brightness, contrast, saturation, hue)], p = probability)`;
    /// the four adjustments run in a random order drawn per view.
    public struct Jitter: Codable, Equatable, Sendable {
        public var brightness: Float
        public var contrast: Float
        public var saturation: Float
        public var hue: Float
        public var probability: Double
    }

    /// `RandomApply([GaussianBlur(kernelSize, sigma)], p = probability)`; probability 1 is
    /// a plain `GaussianBlur`.
    public struct Blur: Codable, Equatable, Sendable {
        public var kernelSize: Int
        public var sigma: ClosedRange<Float>
        public var probability: Double
    }

    /// `Normalize(mean, std)`, with a name to print ("CIFAR-10", "ImageNet").
    public struct Normalize: Codable, Equatable, Sendable {
        public var name: String
        public var mean: [Float]
        public var std: [Float]
    }

    public var crop: Crop
    /// `RandomHorizontalFlip(p)`.
    public var flipProbability: Double
    public var jitter: Jitter
    /// `RandomGrayscale(p)`.
    public var grayscaleProbability: Double
    /// nil (absent from the file): no blur stage.
    public var blur: Blur?
    /// nil (absent from the file): views stay in [0, 1].
    public var normalize: Normalize?

    /// The parameters of `pipeline`.
    public init(_ pipeline: AugmentationPipeline) {
        let p = pipeline
        crop = Crop(size: p.crop.size, scale: p.crop.scale, ratio: p.crop.ratio, antialias: p.crop.antialias)
        flipProbability = p.flip.probability
        jitter = Jitter(brightness: p.jitter.brightness, contrast: p.jitter.contrast, saturation: p.jitter.saturation,
                        hue: p.jitter.hue, probability: p.jitter.probability)
        grayscaleProbability = p.grayscale.probability
        blur = p.blur.map { Blur(kernelSize: $0.kernelSize, sigma: $0.sigma, probability: $0.probability) }
        normalize = p.normalization.map { Normalize(name: $0.name, mean: $0.mean, std: $0.std) }
    }

    /// The pipeline these parameters describe. Settings read from a file are checked by
    /// `validate()` first: the stages' own initialisers stop the program on impossible values.
    public var pipeline: AugmentationPipeline {
        AugmentationPipeline(
            crop: RandomResizedCrop(size: crop.size, scale: crop.scale, ratio: crop.ratio, antialias: crop.antialias),
            flip: RandomHorizontalFlip(probability: flipProbability),
            jitter: ColorJitter(brightness: jitter.brightness, contrast: jitter.contrast, saturation: jitter.saturation,
                                hue: jitter.hue, probability: jitter.probability),
            grayscale: RandomGrayscale(probability: grayscaleProbability),
            blur: blur.map { GaussianBlur(kernelSize: $0.kernelSize, sigma: $0.sigma, probability: $0.probability) },
            normalization: normalize.map { Normalization(mean: $0.mean, std: $0.std, name: $0.name) })
    }

    /// The first impossible value, as a phrase naming its field, or nil when all are valid.
    public var problem: String? {
        let probabilities = [("flipProbability", flipProbability), ("jitter.probability", jitter.probability),
                             ("grayscaleProbability", grayscaleProbability), ("blur.probability", blur?.probability ?? 0)]
        if let (name, p) = probabilities.first(where: { !(0 ... 1).contains($0.1) }) {
            return "augmentation.\(name) must be between 0 and 1 (got \(p))"
        }
        if crop.size < 1 { return "augmentation.crop.size must be positive" }
        if !(crop.scale.lowerBound > 0) || !(crop.ratio.lowerBound > 0) {
            return "augmentation.crop.scale and .ratio must be positive"
        }
        if min(jitter.brightness, jitter.contrast, jitter.saturation) < 0 {
            return "augmentation.jitter strengths must not be negative"
        }
        if !(0 ... 0.5).contains(jitter.hue) { return "augmentation.jitter.hue must be between 0 and 0.5 (got \(jitter.hue))" }
        if let blur, blur.kernelSize < 1 || blur.kernelSize % 2 == 0 {
            return "augmentation.blur.kernelSize must be odd and positive (got \(blur.kernelSize))"
        }
        if let blur, !(blur.sigma.lowerBound > 0) { return "augmentation.blur.sigma must be positive" }
        if let normalize, normalize.mean.count != 3 || normalize.std.count != 3 || !normalize.std.allSatisfy({ $0 > 0 }) {
            return "augmentation.normalize needs three means and three positive standard deviations"
        }
        return nil
    }
}

/// A stage of the SimCLR augmentation that a run can leave out, named as `--augmentations`
/// spells it.
public enum AugmentationStage: String, CaseIterable, Codable, Sendable {
    case crop, flip, jitter, grey, blur
}

extension AugmentationSettings {
    /// These settings with only `stages` left in.
    ///
    /// A left-out crop takes the whole image (scale and aspect ratio 1, so the view is the
    /// image resized to the crop size); a left-out flip, jitter or grey never fires; a left-out
    /// blur is absent. Normalisation always stays.
    public func keeping(_ stages: Set<AugmentationStage>) -> AugmentationSettings {
        var s = self
        if !stages.contains(.crop) { s.crop.scale = 1 ... 1; s.crop.ratio = 1 ... 1 }
        if !stages.contains(.flip) { s.flipProbability = 0 }
        if !stages.contains(.jitter) { s.jitter.probability = 0 }
        if !stages.contains(.grey) { s.grayscaleProbability = 0 }
        if !stages.contains(.blur) { s.blur = nil }
        return s
    }

    /// The stages that can change a view (crop not the whole image, a probability above 0, a blur).
    public var stages: Set<AugmentationStage> {
        var stages: Set<AugmentationStage> = []
        if crop.scale != 1 ... 1 || crop.ratio != 1 ... 1 { stages.insert(.crop) }
        if flipProbability > 0 { stages.insert(.flip) }
        if jitter.probability > 0 { stages.insert(.jitter) }
        if grayscaleProbability > 0 { stages.insert(.grey) }
        if blur.map({ $0.probability > 0 }) ?? false { stages.insert(.blur) }
        return stages
    }

    /// Parses `--augmentations`' value: stage names separated by commas, e.g. "crop,flip,grey".
    /// - Throws: a message naming the unknown word and the valid ones.
    public static func parseStages(_ text: String) throws -> Set<AugmentationStage> {
        var stages: Set<AugmentationStage> = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !word.isEmpty {
            guard let stage = AugmentationStage(rawValue: word == "gray" || word == "grayscale" ? "grey" : word) else {
                throw AugmentationStageError(word: word)
            }
            stages.insert(stage)
        }
        return stages
    }
}

/// `--augmentations` named a stage that does not exist.
public struct AugmentationStageError: Error, CustomStringConvertible {
    public let word: String
    public var description: String {
        "unknown augmentation '\(word)'; choose from " + AugmentationStage.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
