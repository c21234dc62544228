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

    /// The name of the shipped supervised network's representation.
    static let supervisedName = "supervised (shipped, all labels)"

    /// Raw pixels scaled to [0, 1], one 3,072-d row per image.
    static func pixels(_ images: InMemoryDataset) -> FeatureSet {
        FeatureSet(rows: images.count, cols: images.imageByteCount, values: images.pixels.map { Float($0) / 255 },
                   labels: images.labels)
    }

    /// The encoder of the supervised network shipped with the lessons, trained end to end on all
    /// 50,000 labels; nil when the clone has none.
    static func shippedSupervised() throws -> ResNet? {
        let url = ShippedSupervised.folder.appendingPathComponent("supervised-all-labels.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try SupervisedBaseline.load(url).baseline.encoder
    }

    /// The share of same-class neighbours beside the 5-NN accuracy of the same representation in
    /// the mapped images' full features.
    static func retrievalTable(_ report: Report, retrievals: [Retrieval], representations: [Representation],
                               queries: Int, gallery: Int) {
        report.table([.left(""), .right("8 nearest training images: same class"), .right("5-NN, mapped images")],
                     retrievals.map { r in
                         [r.name, String(format: "%.1f %%", 100 * r.sameClass),
                          representations.first { $0.name == r.name }.map { String(format: "%.1f %%", 100 * $0.featureAccuracy) } ?? "—"]
                     })
        report.say("""
            Left: \(Report.format(Double(queries), "%,.0f")) test images each asked for their 8 nearest among \
            \(Report.format(Double(gallery), "%,.0f")) training images. Right: the same representation's 5-NN vote among \
            the mapped test images themselves (the yardstick of the maps).
            """)
    }

    /// h, the encoder's pooled features, for every image (evaluation mode, CIFAR-10
    /// normalisation of the input), each row scaled to unit length; a progress bar labelled `label`.
    static func encode(_ images: InMemoryDataset, with model: SimCLRModel, label: String) -> FeatureSet {
        let bar = ProgressBar(total: images.count, label: label)
        return FeatureExtractor.features(model, of: images, layer: .encoder, normalization: .cifar10) {
            bar.update($0, status: "images")
        }.l2Normalized()
    }

    /// The same for an encoder alone (the supervised network's), without a progress bar.
    static func encode(_ images: InMemoryDataset, with encoder: ResNet) -> FeatureSet {
        FeatureExtractor.features(encoder, of: images, normalization: .cifar10).l2Normalized()
    }
}
