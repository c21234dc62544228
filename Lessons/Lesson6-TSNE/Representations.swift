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
}

/// The encoders to map, and every image's representation under each.
enum Representations {
    /// Reads the checkpoint (if there is one) and says what it holds, or how to make one.
    static func loadEncoder(_ report: Report, checkpoint: String?, options: LessonOptions) throws -> LessonCheckpoint? {
        let trained = try LessonCheckpoint.loadAndDescribe(checkpoint, options: options, report: report)
        if trained == nil {
            report.say("Without it this run maps raw pixels and the random-init encoder; the SimCLR panel is omitted.")
        }
        return trained
    }

    /// The shipped long-run model (or `--long-run`), described; nil with a one-line note when
    /// the clone has none, nil silently with `--no-long-run`.
    static func loadLongRun(_ report: Report, shipped: ShippedModelFlags) throws -> LessonCheckpoint? {
        guard let loaded = try ShippedModel.load(shipped) else {
            if !shipped.noLongRun { report.say(ShippedModel.missingNote) }
            return nil
        }
        ShippedModel.describe(loaded, in: report)
        report.say("It is mapped beside your model: what the same recipe gives with far more training.")
        return loaded
    }

    /// Raw pixels, the untrained encoder's h, and (when they are there) the SimCLR encoder's h
    /// and the long run's, for every image, each with its 5-NN accuracy in the full feature space.
    static func extract(_ report: Report, options: LessonOptions, images: InMemoryDataset, architecture: SimCLRModel.Architecture,
                        trained: LessonCheckpoint?, longRun: LessonCheckpoint?) throws -> [Representation] {
        let h = architecture.encoder.featureDimension
        var result: [Representation] = []
        func add(_ name: String, title: String, _ description: String, _ features: () -> FeatureSet) throws {
            report.say("\(name): \(description)")
            let set = features()
            let accuracy = try TSNE.neighbourAccuracy(points: set.values, rows: set.rows, cols: set.cols,
                                                      labels: set.labels, k: 5)
            report.value("\(name): 5-NN accuracy in the full features", 100 * accuracy, format: "%.1f", unit: "%")
            result.append(Representation(name: name, title: title, features: set, featureAccuracy: accuracy))
        }

        try add("raw pixels", title: "Raw pixels (3,072-d)", "32 x 32 x 3 = 3,072 numbers per image, scaled to 0–1") {
            FeatureSet(rows: images.count, cols: images.imageByteCount, values: images.pixels.map { Float($0) / 255 },
                       labels: images.labels)
        }
        var generator = SeededGenerator(seed: options.seed)
        let untrained = SimCLRModel(architecture, generator: &generator)
        try add("random-init encoder", title: "Random-init encoder (h, \(h)-d)",
                "the same ResNet with PyTorch's default random weights (seed \(options.seed)), never trained") {
            encode(images, with: untrained, label: "random-init encoder")
        }
        if let model = trained?.model, let progress = trained?.progress {
            let epochs = "\(progress.epoch) epoch\(progress.epoch == 1 ? "" : "s")"
            try add("SimCLR encoder", title: "SimCLR encoder, \(epochs) (h, \(h)-d)",
                    "the encoder Lesson 4 trained with SimCLR for \(epochs), on unlabelled images only") {
                encode(images, with: model, label: "SimCLR encoder")
            }
        }
        if let longRun {
            let epochs = longRun.progress.epoch, dimension = longRun.model.architecture.encoder.featureDimension
            try add(Representation.longRunName, title: "SimCLR, long run: \(epochs) epochs (h, \(dimension)-d)",
                    "the model shipped with the lessons, trained by Lesson 4 for \(epochs) epochs on 50,000 unlabelled images") {
                encode(images, with: longRun.model, label: "long-run model")
            }
        }
        report.say("""
            An encoder's h (\(h)-d) is scaled to unit length, so distances compare directions: the cosine \
            similarity SimCLR trains with and Lesson 4's kNN monitor measures. \
            5-NN accuracy: each image's class is guessed by a vote of its 5 nearest other images;
            """)
        report.say("chance is \(Report.format(100 / Double(images.classNames.count), "%.0f")) %. It is the yardstick for the maps below.")
        return result
    }

    /// h, the encoder's pooled features, for every image (evaluation mode, CIFAR-10
    /// normalisation of the input), each row scaled to unit length.
    private static func encode(_ images: InMemoryDataset, with model: SimCLRModel, label: String) -> FeatureSet {
        let bar = ProgressBar(total: images.count, label: label)
        return FeatureExtractor.features(model, of: images, layer: .encoder, normalization: .cifar10) {
            bar.update($0, status: "images")
        }.l2Normalized()
    }
}
