import Foundation
import SimCLR

/// How a SimCLR encoder was pretrained, read from its checkpoint: what decides whether a
/// linear probe on it can be held to the card's 78.6 %.
///
/// The card states "h (512-dim)" and "CIFAR-10 unlabeled"; we read these as a ResNet-18 of
/// width 64 and all 50,000 training images. It does not say how long the probed encoder
/// trained: its training table runs to 200 epochs, and that length is our inference, worded
/// as one wherever it is printed. The images are the ones the run asked for (its settings),
/// which a smaller data set may not have held.
public struct PretrainingSetup: Equatable, Sendable {
    public let width: Int
    public let epochs: Int
    /// Pretraining images the run asked for, from the checkpoint's recorded settings (nil if it does not say).
    public let images: Int?

    public init(width: Int, epochs: Int, images: Int?) {
        self.width = width
        self.epochs = epochs
        self.images = images
    }

    /// Reads the checkpoint at `path`, or nil when there is none or it cannot be read.
    public static func read(_ path: String) -> PretrainingSetup? {
        guard let (architecture, progress) = try? Checkpoint.inspect(URL(fileURLWithPath: path)) else { return nil }
        let settings = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(progress.settings.utf8))
        return PretrainingSetup(width: architecture.encoder.width, epochs: progress.epoch,
                                images: settings.map { $0.imagesPerClass * 10 })
    }

    /// The ways this setup differs from the card's, or [] if it does not.
    public var differencesFromCard: [String] {
        var d: [String] = []
        if width != 64 { d.append("width \(width) (width 64: our inference from the card's h of 512)") }
        if epochs != 200 { d.append("\(epochs) epochs (the card does not say; its training table runs to 200)") }
        if let images, images != 50_000 {
            d.append("\(Report.format(Double(images), "%,.0f")) images asked for (as we read the card's \"CIFAR-10 unlabeled\", "
                     + "all 50,000)")
        }
        return d
    }

    /// ≠ for a probe on this encoder against the card's number, when the setup differs.
    public var cardException: Exception {
        .differentSetup("pretrained with " + differencesFromCard.joined(separator: ", "), when: !differencesFromCard.isEmpty)
    }
}
