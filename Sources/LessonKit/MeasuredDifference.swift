import Foundation

/// A document's claim that one setting does better than another, measured by short trainings
/// with the same budget: the difference counts only when it is larger than twice the range of
/// a reference setting's runs under several seeds (the noise of training itself; the range of
/// three runs is about 1.7 standard deviations of one).
///
/// ✓ when the expected winner is ahead beyond the noise, ≠ when the two are within it (not
/// measurable at this budget), ✗ when the other one is ahead beyond it, or a run measured nothing.
public struct MeasuredDifference {
    public enum Outcome: String {
        case holds
        case contradicted
        case withinNoise = "within noise"
        case notMeasured = "not measured"
    }

    /// The expected winner's accuracy minus the other's, in points.
    public let difference: Double
    /// The reference setting's largest minus smallest accuracy over its seeds, in points.
    public let spread: Double
    public let seeds: Int
    public let outcome: Outcome

    /// How many times the seeds' range a difference must exceed to count.
    public static let noiseMultiple = 2.0

    /// - Parameters:
    ///   - expected: accuracy (%) of the setting the claim says is better.
    ///   - other: accuracy (%) of the setting it is compared with.
    ///   - seedRuns: accuracies (%) of the reference setting under several seeds (at least two).
    public init(expected: Double, other: Double, seedRuns: [Double]) {
        difference = expected - other
        spread = (seedRuns.max() ?? .nan) - (seedRuns.min() ?? .nan)
        seeds = seedRuns.count
        let noise = Self.noiseMultiple * spread
        outcome = seedRuns.count < 2 || !difference.isFinite || !spread.isFinite ? .notMeasured
            : difference > noise ? .holds : -difference > noise ? .contradicted : .withinNoise
    }

    /// Several comparisons that must all hold (e.g. "τ 0.5 beats τ 0.1 and τ 1.0"): ✓ only if
    /// every one holds, ✗ if any is contradicted or unmeasured, ≠ otherwise.
    public static func all(_ parts: [MeasuredDifference]) -> Outcome {
        if parts.isEmpty || parts.contains(where: { $0.outcome == .notMeasured }) { return .notMeasured }
        if parts.contains(where: { $0.outcome == .contradicted }) { return .contradicted }
        return parts.allSatisfy { $0.outcome == .holds } ? .holds : .withinNoise
    }

    /// The ≠ for a combined outcome: only within the noise.
    public static func exception(_ outcome: Outcome, reason: String) -> Exception {
        .differentSetup("not measurable at this budget: " + reason, when: outcome == .withinNoise)
    }

    /// The noise threshold in points: twice the seeds' range.
    public var noise: Double { Self.noiseMultiple * spread }
}
