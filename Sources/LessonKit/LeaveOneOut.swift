import Foundation

/// What leaving one augmentation out did to an encoder's kNN accuracy, judged against the
/// seed-to-seed noise of the full pipeline: the measured form of the write-up's claim that
/// removing colour jitter or blur "hurts performance meaningfully".
///
/// One run without the stage is compared with the mean of the full pipeline's seeds, by
/// `MeasuredDifference`'s rule: a difference counts only beyond twice their range.
public struct LeaveOneOut {
    public enum Outcome: String {
        case hurts, helps
        case withinNoise = "within noise"
        /// A run stopped early or gave no number.
        case notMeasured = "not measured"
    }

    /// How many times the seeds' range a difference must exceed to count.
    public static let noiseMultiple = MeasuredDifference.noiseMultiple

    /// Mean kNN accuracy of the full pipeline minus the accuracy without the stage (points).
    public let drop: Double
    /// Largest minus smallest accuracy of the full pipeline over its seeds (points).
    public let spread: Double
    public let seeds: Int
    public let outcome: Outcome

    /// - Parameters:
    ///   - full: kNN accuracy (%) of the full pipeline under each seed (at least two).
    ///   - without: kNN accuracy (%) without the stage, same budget and first seed.
    public init(full: [Double], without: Double) {
        let mean = full.reduce(0, +) / Double(max(1, full.count))
        let measured = MeasuredDifference(expected: mean, other: without, seedRuns: full)
        drop = measured.difference
        spread = measured.spread
        seeds = measured.seeds
        switch measured.outcome {
        case .holds: outcome = .hurts
        case .contradicted: outcome = .helps
        case .withinNoise: outcome = .withinNoise
        case .notMeasured: outcome = .notMeasured
        }
    }

    /// When the claim "hurts" may be ≠ rather than ✗: only when the difference is within the noise
    /// (a budget too small to see it). A stage whose removal *raises* accuracy beyond the noise
    /// contradicts the claim (✗), and a run that measured nothing is never excused.
    /// - Parameter stage: the stage's name as the reason says it ("colour jitter").
    public func exception(stage: String) -> Exception {
        .differentSetup(String(format: "not measurable at this budget: without %@ kNN moves by %+.1f points, within "
                               + "twice the %.1f-point range of %d seeds", stage, -drop, spread, seeds),
                        when: outcome == .withinNoise)
    }
}
