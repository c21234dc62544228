import Core

/// The independent random streams of the lessons' training runs, each named for what it
/// draws.
///
/// A stream is the run's seed folded with a fixed tag (and the epoch and step it belongs to),
/// so each draws the same numbers whatever the others draw, and a resumed run draws exactly
/// what a straight run would. The tags are the ones every shipped model and recorded run was
/// made with: changing one changes every seed-0 number.
public enum RandomStream: Sendable {
    /// The SimCLR network's initial weights.
    case simclrInitialWeights
    /// The order of the pretraining images in one epoch (1-based).
    case imageOrder(epoch: Int)
    /// The augmentation parameters of one step's views (epoch 1-based, step 0-based); the
    /// supervised baseline's augmentation uses the same stream.
    case viewDraws(epoch: Int, step: Int)
    /// The untrained encoder Lesson 5 probes as its baseline.
    case randomEncoder
    /// The supervised baseline's initial weights.
    case supervisedInitialWeights
    /// The order of the supervised baseline's labelled images in one epoch (1-based).
    case supervisedImageOrder(epoch: Int)
    /// The test images Lesson 6's retrieval figure asks about, one per class.
    case retrievalQueries

    /// The tags folded into the seed.
    public var tags: [UInt64] {
        switch self {
        case .simclrInitialWeights: [0x1417]
        case .imageOrder(let epoch): [0x5EED, UInt64(epoch)]
        case .viewDraws(let epoch, let step): [0xA06, UInt64(epoch), UInt64(step)]
        case .randomEncoder: [0x2A4D]
        case .supervisedInitialWeights: [0x5C9]
        case .supervisedImageOrder(let epoch): [0x5C9, UInt64(epoch)]
        case .retrievalQueries: [0x9E7]
        }
    }
}

extension SeededGenerator {
    /// The generator of one named stream of a run with this seed.
    public init(seed: UInt64, _ stream: RandomStream) {
        self.init(seed: seed, stream: stream.tags)
    }
}
