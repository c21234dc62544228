import Foundation
import SimCLR

/// Supervised baselines too long for class time, trained once (`ShippedModels
/// train-supervised`) and shipped in data/pretrained/supervised/: the same ResNet as the long
/// SimCLR run, trained end to end with 10, 50, 100 and 500 labels per class for as many epochs
/// as a held-out fifth of those labels says is best, and on all 50,000 labels. Lesson 5 reads
/// them; this is the list of them both sides share.
public enum ShippedSupervised {
    /// One shipped network: which labels, and the epoch counts its choice tries.
    public struct Plan: Sendable {
        /// Labelled images per class; nil for all of them.
        public let perClass: Int?
        /// Tried on the held-out fifth; a single entry is used as given, without a choice.
        public let candidates: [Int]

        public var fileName: String { perClass.map { "supervised-\($0)-per-class.safetensors" } ?? "supervised-all-labels.safetensors" }
        public var label: String { perClass.map { "\($0) labels/class" } ?? "all labels" }
    }

    /// Fewer labels make shorter epochs, so they get more of them; each list doubles, so the
    /// choice shows where more training stops paying. All 50,000 labels train 20 epochs
    /// without a choice: choosing would cost several more trainings on 40,000 images (hours
    /// here), and 20 epochs are already a million images through the network.
    public static let plans = [
        Plan(perClass: 10, candidates: [50, 100, 200, 400]),
        Plan(perClass: 50, candidates: [25, 50, 100, 200]),
        Plan(perClass: 100, candidates: [20, 40, 80, 160]),
        Plan(perClass: 500, candidates: [20, 40, 80]),
        Plan(perClass: nil, candidates: [20]),
    ]

    /// Seconds-long stand-ins for `--quick`: the same steps (a choice, a given budget) on a
    /// narrow network and a few labels.
    public static let quickPlans = [Plan(perClass: 5, candidates: [1, 2]), Plan(perClass: 20, candidates: [2])]

    public static var folder: URL { DataLocator.projectRoot().appendingPathComponent("data/pretrained/supervised") }

}
