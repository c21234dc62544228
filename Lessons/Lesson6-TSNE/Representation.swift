import Foundation
import LessonKit
import SimCLR

/// The same images described one way (raw pixels, or an encoder's h).
struct Representation {
    /// Short name used in printed values, e.g. "raw pixels".
    let name: String
    /// Title of its map panel.
    let title: String
    /// `images x dimensions`, one row per image, with the images' labels.
    let features: FeatureSet
    /// Leave-one-out 5-NN class accuracy in the full feature space, in [0, 1].
    let featureAccuracy: Double

    /// The name of the shipped long-run model's representation and map.
    static let longRunName = "SimCLR, long run"

    /// h, the encoder's pooled features, for every image (evaluation mode, CIFAR-10
    /// normalisation of the input), each row scaled to unit length; a progress bar labelled `label`.
    static func encode(_ images: InMemoryDataset, with model: SimCLRModel, label: String) -> FeatureSet {
        let bar = ProgressBar(total: images.count, label: label)
        return FeatureExtractor.features(model, of: images, layer: .encoder, normalization: .cifar10) {
            bar.update($0, status: "images")
        }.l2Normalized()
    }
}
