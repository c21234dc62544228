import Foundation

/// What leaving one augmentation out did to an encoder's kNN accuracy, judged against the
/// seed-to-seed noise of the full pipeline: the measured form of the write-up's claim that
/// removing colour jitter or blur "hurts performance meaningfully".
public struct LeaveOneOut {
    public enum Outcome: String {
        case hurts, helps
        case withinNoise = "within noise"
        /// A run stopped early or gave no number.
        case notMeasured = "not measured"
    }

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
        drop = mean - without
        spread = (full.max() ?? .nan) - (full.min() ?? .nan)
        seeds = full.count
        outcome = full.count < 2 || !drop.isFinite || !spread.isFinite ? .notMeasured
            : drop > spread ? .hurts : -drop > spread ? .helps : .withinNoise
    }

    /// When the claim "hurts" may be ≠ rather than ✗: the difference is inside the noise (a budget
    /// too small to see it), or it goes the other way at an image size other than the document's.
    /// A run that measured nothing is never excused.
    /// - Parameters:
    ///   - stage: the stage's name as the reason says it ("colour jitter").
    ///   - imageSize: the side of our views; `documentImageSize` the document's.
    public func exception(stage: String, imageSize: Int, documentImageSize: Int) -> Exception {
        switch outcome {
        case .withinNoise:
            return .differentSetup(String(format: "not measurable at this budget: without %@ kNN moves by %+.1f points, inside "
                                          + "the %.1f-point spread of %d seeds", stage, -drop, spread, seeds), when: true)
        case .helps:
            return .differentSetup(String(format: "at %d px without %@ kNN rises by %.1f points, beyond the %.1f-point seed "
                                          + "spread; the claim is for %d px images, where blur and colour change less of what "
                                          + "a view shows", imageSize, stage, -drop, spread, documentImageSize),
                                   when: imageSize != documentImageSize)
        case .hurts, .notMeasured:
            return .differentSetup("", when: false)
        }
    }
}
