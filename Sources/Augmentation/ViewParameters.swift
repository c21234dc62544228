/// Every random draw that made one augmented view, so that a lesson can print it and a
/// test can replay it (`AugmentationPipeline.apply(_:to:)`).
public struct ViewParameters: Equatable, Sendable {
    /// Source image rows (the crop box refers to them).
    public var sourceHeight: Int
    /// Source image columns.
    public var sourceWidth: Int
    /// The RandomResizedCrop rectangle.
    public var crop: CropBox
    /// Whether the crop fell back to torchvision's centre crop after 10 failed attempts.
    public var cropUsedFallback: Bool
    /// Whether the view was mirrored left to right.
    public var flipped: Bool
    /// The colour jitter's factors and order, or `nil` when it was skipped.
    public var jitter: JitterParameters?
    /// Whether the view went grey.
    public var grayscale: Bool
    /// The blur's sigma, or `nil` when it was skipped (or the pipeline has no blur).
    public var blurSigma: Float?

    public init(sourceHeight: Int, sourceWidth: Int, crop: CropBox, cropUsedFallback: Bool = false,
                flipped: Bool = false, jitter: JitterParameters? = nil, grayscale: Bool = false,
                blurSigma: Float? = nil) {
        self.sourceHeight = sourceHeight
        self.sourceWidth = sourceWidth
        self.crop = crop
        self.cropUsedFallback = cropUsedFallback
        self.flipped = flipped
        self.jitter = jitter
        self.grayscale = grayscale
        self.blurSigma = blurSigma
    }

    /// A view with no random change: the whole image, unflipped, no jitter, no grey, no blur.
    public static func identity(height: Int, width: Int) -> ViewParameters {
        ViewParameters(sourceHeight: height, sourceWidth: width, crop: CropBox(wholeImageOfHeight: height, width: width))
    }
}

/// The parameters of the two views made from one image.
public struct PairParameters: Equatable, Sendable {
    public var first: ViewParameters
    public var second: ViewParameters

    public init(first: ViewParameters, second: ViewParameters) {
        self.first = first
        self.second = second
    }

    /// `["view 1: crop (...), ...", "view 2: ..."]`.
    public var lines: [String] { ["view 1: \(first.summary)", "view 2: \(second.summary)"] }
}
