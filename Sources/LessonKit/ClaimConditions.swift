import Foundation

/// The conditions behind the lessons' ⚠ and ≠ verdicts that are more than one comparison,
/// written as functions of the numbers a run produced, so that a test can feed them numbers
/// and watch each verdict fall to ✗ (`Tests/LessonKitTests/VerdictTests.swift`).
public enum ClaimConditions {
    /// ⚠ for a document's loss that lies below `floor`, the loss our NT-Xent gives the best
    /// possible batch at the document's batch size and temperature.
    public static func lossBelowFloor(_ documentLoss: Double, floor: Double, reason: String) -> Exception {
        .documentInconsistent(reason, when: documentLoss.isFinite && floor.isFinite && documentLoss < floor - 0.0005)
    }
}

/// The write-up's "always evaluate at the encoder output, not the projection head output",
/// measured: linear probes on h and on z over the same `testImages`, whose difference counts
/// only beyond twice the standard error of a difference of two such accuracies,
/// 2·sqrt(2·p(1-p)/n) (about 1.4 points on CIFAR-10's 10,000 test images).
public struct EncoderVersusHead {
    /// h's accuracy minus z's, in points.
    public let gap: Double
    /// The noise threshold, in points.
    public let noise: Double
    /// "h > z", "h < z" or "h ≈ z" (within the noise); "not measured" when a number is missing.
    public let outcome: String

    /// - Parameters: `h`, `z`: top-1 accuracies as fractions (0…1); `testImages`: how many images each was measured on.
    public init(h: Double, z: Double, testImages n: Int) {
        let measured = AccuracyGap(expected: h, other: z, testImages: n)
        gap = measured.gap
        noise = measured.noise
        switch measured.outcome {
        case .holds: outcome = "h > z"
        case .contradicted: outcome = "h < z"
        case .withinNoise: outcome = "h ≈ z"
        case .notMeasured: outcome = "not measured"
        }
    }

    /// ≠ only when the two are within the noise; "h < z" beyond it contradicts the write-up (✗).
    public var exception: Exception {
        .differentSetup(String(format: "not measurable at this budget: h and z differ by %+.1f points, inside the ±%.1f noise",
                               gap, noise), when: outcome == "h ≈ z")
    }
}

/// The write-up's "t-SNE visualizations of the learned embeddings showed clear clustering by
/// food category", measured on our maps: a learned map clusters clearly when its k-NN
/// accuracy is ahead of both raw pixels' and the untrained network's maps by more than the
/// noise of a difference of two accuracies over the mapped images.
public struct ClusteringClaim {
    public let clusters: Bool

    /// - Parameters: map accuracies as fractions; `noise` in points.
    public init(learned: Double, pixels: Double, random: Double, noise: Double) {
        clusters = learned - pixels > noise / 100 && learned - random > noise / 100
    }

    /// The noise threshold for a difference of two accuracies over `images` images: twice √2
    /// times the largest binomial standard error, 50/√n points, rounded (3 points at 2,000).
    public static func noise(images n: Int) -> Double {
        (2 * 2.0.squareRoot() * 50 / Double(max(1, n)).squareRoot()).rounded()
    }

    public var outcome: String { clusters ? "clear clustering" : "no clearer than the baselines" }
}

/// Two top-1 accuracies measured on the same test images, and whether the one a claim expects
/// to be higher is: the gap counts beyond twice the standard error of a difference of two such
/// accuracies, 2·sqrt(2·p(1-p)/n) (about 1.3 points on CIFAR-10's 10,000 test images).
public struct AccuracyGap {
    /// The expected winner's accuracy minus the other's, in points.
    public let gap: Double
    /// The noise threshold, in points.
    public let noise: Double
    public let outcome: MeasuredDifference.Outcome

    /// - Parameters: `expected`, `other`: accuracies as fractions (0…1); `testImages`: how many images each was measured on.
    public init(expected: Double, other: Double, testImages n: Int) {
        let p = (expected + other) / 2
        noise = 2 * (2 * p * (1 - p) / Double(max(1, n))).squareRoot() * 100
        gap = (expected - other) * 100
        outcome = !gap.isFinite || !noise.isFinite ? .notMeasured
            : gap > noise ? .holds : gap < -noise ? .contradicted : .withinNoise
    }
}

/// The write-up's "competitive with supervised baselines trained from scratch", on the label-
/// fraction results: SimCLR's probe is competitive at a number of labels when it is at most
/// `tolerance` points (the lessons' tolerance for probe accuracies) or the noise, whichever is
/// larger, below the supervised network trained from scratch with the same labels.
public struct CompetitiveWithSupervised {
    public static let tolerance = 3.0
    /// (labels per class, SimCLR minus supervised in points, the allowance in points) for each point.
    public let points: [(perClass: Int, gap: Double, allowance: Double)]

    /// - Parameter points: (labels per class, SimCLR's accuracy, supervised accuracy), accuracies as fractions.
    public init(_ points: [(perClass: Int, simclr: Double, supervised: Double)], testImages n: Int) {
        self.points = points.map { p in
            let gap = AccuracyGap(expected: p.simclr, other: p.supervised, testImages: n)
            return (p.perClass, gap.gap, max(Self.tolerance, gap.noise))
        }
    }

    /// Competitive at every number of labels (and at least one was measured).
    public var holds: Bool { !points.isEmpty && points.allSatisfy { $0.gap.isFinite && $0.gap >= -$0.allowance } }
    public var outcome: String { holds ? "competitive" : "behind beyond the tolerance" }
}
