import Foundation
import LessonKit
import XCTest

/// A verdict is a condition on computed numbers: each kind must fall to ✗ when its
/// condition fails, and nothing that is not finite can pass.
final class VerdictTests: XCTestCase {
    private func quietReport() -> Report { Report(lesson: "test", title: "t", url: nil, output: { _ in }) }

    func testAgreementNeedsTheNumbersWithinTolerance() {
        XCTAssertEqual(Report.verdict(document: 0.713, ours: 0.7131, tolerance: 0.0005, exception: nil), .agrees)
        XCTAssertEqual(Report.verdict(document: 0.713, ours: 0.72, tolerance: 0.0005, exception: nil), .differs)
    }

    func testDocumentInconsistentOnlyWhenItsConditionHolds() {
        // The card's loss 0.623 lies below the floor 4.241 of batch 256 at the assumed τ 0.5: ⚠ is earned.
        let below = Exception.documentInconsistent("below the floor", when: Double(0.623) < 4.241)
        XCTAssertEqual(Report.verdict(document: 0.623, ours: 4.241, tolerance: 0.0005, exception: below),
                       .documentInconsistent("below the floor"))
        // A loss inside the bound is no inconsistency: the disagreement stays ✗.
        let inside = Exception.documentInconsistent("below the floor", when: Double(5.0) < 4.241)
        XCTAssertEqual(Report.verdict(document: 5.0, ours: 4.241, tolerance: 0.0005, exception: inside), .differs)
    }

    func testDifferentSetupOnlyWhenTheSetupDiffers() {
        let narrower = Exception.differentSetup("width 16 (card 64)", when: 16 != 64)
        XCTAssertEqual(Report.verdict(document: 78.6, ours: 43.5, tolerance: 3, exception: narrower),
                       .differentSetup("width 16 (card 64)"))
        // The card's own setup with a different number: ✗.
        let same = Exception.differentSetup("width 64 (card 64)", when: 64 != 64)
        XCTAssertEqual(Report.verdict(document: 78.6, ours: 43.5, tolerance: 3, exception: same), .differs)
    }

    func testNotFiniteNumbersAreNeverExcused() {
        let excuse = Exception.documentInconsistent("any", when: true)
        XCTAssertEqual(Report.verdict(document: 2.456, ours: .nan, tolerance: 0.005, exception: excuse), .differs)
        XCTAssertEqual(Report.verdict(document: 2.456, ours: .infinity, tolerance: .infinity, exception: nil), .differs)
    }

    func testStringChecksAndExplanations() {
        let report = quietReport()
        XCTAssertEqual(report.check("shape", source: .card, document: "3x32x32", ours: "3x32x32"), .agrees)
        XCTAssertEqual(report.check("shape", source: .card, document: "3x32x32", ours: "3x96x96",
                                    unless: .differentSetup("STL-10", when: false)), .differs)
        XCTAssertEqual(report.check("shape", source: .card, document: "3x32x32", ours: "3x96x96",
                                    unless: .differentSetup("STL-10", when: true)), .differentSetup("STL-10"))
        report.explain("26 h", source: .card, document: "26", arithmetic: "200 x 8 / 60", result: "26.7")
        XCTAssertEqual(report.checks.count, 3, "an explanation is not a check")
        XCTAssertEqual(report.explanations.map(\.result), ["26.7"])
    }
}

/// The measured form of the write-up's "removing color jitter or Gaussian blur hurts performance
/// meaningfully": ✓ when leaving a stage out lowers
/// kNN beyond the noise, ≠ within it, ✗ when it raises kNN beyond it or nothing was measured.
final class LeaveOneOutTests: XCTestCase {
    private func verdict(full: [Double], without: Double) -> String {
        let report = Report(lesson: "test", title: "t", url: nil, output: { _ in })
        let finding = LeaveOneOut(full: full, without: without)
        return report.check("x", source: .writeUp, document: "hurts", ours: finding.outcome.rawValue,
                            unless: finding.exception(stage: "blur")).code
    }

    func testOutcomesAgainstTheSeedSpread() {
        // Range 2, so a difference counts beyond 4 points.
        XCTAssertEqual(LeaveOneOut(full: [22, 23, 24], without: 18.5).outcome, .hurts)      // drop 4.5
        XCTAssertEqual(LeaveOneOut(full: [22, 23, 24], without: 19.5).outcome, .withinNoise) // drop 3.5: inside twice the range
        XCTAssertEqual(LeaveOneOut(full: [22, 23, 24], without: 27.5).outcome, .helps)
        XCTAssertEqual(LeaveOneOut(full: [22, 23, 24], without: .nan).outcome, .notMeasured)
        XCTAssertEqual(LeaveOneOut(full: [23], without: 10).outcome, .notMeasured, "one seed gives no spread")
    }

    func testVerdicts() {
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 18.5), "agrees")
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 21.5), "different-setup", "within the noise: not measurable")
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 27.5), "differs", "leaving it out helps: the claim is contradicted")
        // Seeds spread over 1.8 points: a 3.3-point rise is inside twice that (≠), a 3.7-point one is not (✗).
        XCTAssertEqual(verdict(full: [22.1, 23.0, 23.9], without: 26.3), "different-setup")
        XCTAssertEqual(verdict(full: [22.1, 23.0, 23.9], without: 26.7), "differs")
        XCTAssertEqual(verdict(full: [22, 23, .nan], without: 20), "differs", "nothing measured is never excused")
    }
}

/// Lesson 4: the card's training-table losses against the loss of the best possible batch.
final class LossFloorTests: XCTestCase {
    private func verdict(card: Double, floor: Double, ours: Double) -> Verdict {
        Report.verdict(document: card, ours: ours, tolerance: 0.0005,
                       exception: ClaimConditions.lossBelowFloor(card, floor: floor, reason: "below"))
    }

    func testEachVerdict() {
        // The card's 0.623 below the measured floor 4.241: ⚠ is earned.
        XCTAssertEqual(verdict(card: 0.623, floor: 4.241, ours: 4.241), .documentInconsistent("below"))
        // A card loss above the floor is possible: a disagreement with the floor is ✗, never ⚠.
        XCTAssertEqual(verdict(card: 5.0, floor: 4.241, ours: 4.241), .differs)
        // A floor that our loss failed to compute excuses nothing.
        XCTAssertEqual(verdict(card: 0.623, floor: .nan, ours: .nan), .differs)
        // Lesson 4's epoch-1 row: the card's loss beside this run's; equal would be ✓.
        XCTAssertEqual(verdict(card: 2.456, floor: 4.241, ours: 2.4561), .agrees)
        XCTAssertEqual(verdict(card: 2.456, floor: 1.0, ours: 5.6), .differs, "above a lower floor: no excuse")
    }
}

/// Lesson 5: the write-up's "evaluate at the encoder output", from the probes on h and z.
final class EncoderVersusHeadTests: XCTestCase {
    private func verdict(h: Double, z: Double, n: Int = 10_000) -> String {
        let report = Report(lesson: "test", title: "t", url: nil, output: { _ in })
        let finding = EncoderVersusHead(h: h, z: z, testImages: n)
        return report.check("x", source: .writeUp, document: "h > z", ours: finding.outcome, unless: finding.exception).code
    }

    func testEachVerdict() {
        // At 10,000 images and p ≈ 0.43 the noise is 2·sqrt(2·0.43·0.57/10,000)·100 = 1.4 points.
        XCTAssertEqual(EncoderVersusHead(h: 0.435, z: 0.429, testImages: 10_000).noise, 1.40, accuracy: 0.01)
        XCTAssertEqual(verdict(h: 0.50, z: 0.43), "agrees")
        XCTAssertEqual(verdict(h: 0.435, z: 0.429), "different-setup", "0.6 points apart: within the noise")
        XCTAssertEqual(verdict(h: 0.40, z: 0.45), "differs", "z beyond h: the write-up's advice contradicted")
        XCTAssertEqual(verdict(h: .nan, z: 0.45), "differs", "not measured")
        // The same 0.6-point gap over 200 images is noise too, and a 7-point one is too (noise 9.9).
        XCTAssertEqual(verdict(h: 0.50, z: 0.43, n: 200), "different-setup")
    }
}

/// Lesson 6: the write-up's "clear clustering", from map accuracies against the noise.
final class ClusteringClaimTests: XCTestCase {
    private func verdict(learned: Double, pixels: Double, random: Double, images: Int) -> String {
        let report = Report(lesson: "test", title: "t", url: nil, output: { _ in })
        let claim = ClusteringClaim(learned: learned, pixels: pixels, random: random,
                                    noise: ClusteringClaim.noise(images: images))
        return report.check("x", source: .writeUp, document: "clear clustering", ours: claim.outcome).code
    }

    func testEachVerdict() {
        XCTAssertEqual(ClusteringClaim.noise(images: 2_000), 3)
        XCTAssertEqual(ClusteringClaim.noise(images: 200), 10)
        // The long run on the full test set: 58.9 % against pixels 29.0 and random 21.9.
        XCTAssertEqual(verdict(learned: 0.589, pixels: 0.290, random: 0.219, images: 2_000), "agrees")
        // The classroom model: 34.3 % is 5.3 points over pixels at 2,000 images: clear.
        XCTAssertEqual(verdict(learned: 0.343, pixels: 0.290, random: 0.219, images: 2_000), "agrees")
        // Ahead of the random network but level with pixels: no clearer than a baseline, ✗.
        XCTAssertEqual(verdict(learned: 0.30, pixels: 0.29, random: 0.219, images: 2_000), "differs")
        // The same gaps over 200 images are inside the 10-point noise.
        XCTAssertEqual(verdict(learned: 0.343, pixels: 0.290, random: 0.219, images: 200), "differs")
    }
}

/// Lessons 5: a probe on an encoder is held to the card's 78.6 % only when it was pretrained
/// like the card's; otherwise ≠ names every difference, and the card's own setup gives ✗.
final class PretrainingSetupTests: XCTestCase {
    private func verdict(_ setup: PretrainingSetup, ours: Double) -> Verdict {
        Report.verdict(document: 78.6, ours: ours, tolerance: 3, exception: setup.cardException)
    }

    func testEachVerdict() {
        let classroom = PretrainingSetup(width: 16, epochs: 10, images: 10_000)
        XCTAssertEqual(classroom.differencesFromCard.count, 3)
        XCTAssertEqual(verdict(classroom, ours: 43.5).code, "different-setup")
        XCTAssertEqual(verdict(classroom, ours: 77.0).code, "agrees")
        let card = PretrainingSetup(width: 64, epochs: 200, images: 50_000)
        XCTAssertEqual(card.differencesFromCard, [])
        XCTAssertEqual(verdict(card, ours: 43.5).code, "differs", "the card's setup and far from its number")
        XCTAssertEqual(verdict(card, ours: .nan).code, "differs")
        // Only the length differs: ≠, and the reason says the card does not state it.
        let shorter = PretrainingSetup(width: 64, epochs: 100, images: 50_000)
        XCTAssertEqual(shorter.differencesFromCard, ["100 epochs (the card does not say; its training table runs to 200)"])
        XCTAssertEqual(verdict(shorter, ours: 60).code, "different-setup")
    }
}

/// No lesson grants itself a verdict with a constant condition.
final class ConstantConditionTests: XCTestCase {
    func testLessonsPassNoConstantCondition() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lessons = root.appendingPathComponent("Lessons")
        let files = FileManager.default.enumerator(at: lessons, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        XCTAssertGreaterThan(files.count, 20, "the lessons' sources were not found")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for constant in ["when: true", "when: false", "holds: true", "holds: false"] {
                XCTAssertFalse(text.contains(constant), "\(file.lastPathComponent) passes '\(constant)'")
            }
        }
    }
}

/// Lesson 4's measured claims of the write-up (batch, temperature, head): ✓ beyond the noise,
/// ≠ within it, ✗ the other way or unmeasured; several parts hold only together.
final class MeasuredDifferenceTests: XCTestCase {
    private func verdict(_ d: MeasuredDifference) -> String {
        Report(lesson: "test", title: "t", url: nil, output: { _ in })
            .check("x", source: .writeUp, document: "holds", ours: d.outcome.rawValue,
                   unless: MeasuredDifference.exception(d.outcome, reason: "r")).code
    }

    func testEachVerdict() {
        let seeds = [30.0, 31.0, 32.5]   // range 2.5: a difference counts beyond 5 points
        XCTAssertEqual(verdict(MeasuredDifference(expected: 36, other: 30.5, seedRuns: seeds)), "agrees")
        XCTAssertEqual(verdict(MeasuredDifference(expected: 33, other: 30.5, seedRuns: seeds)), "different-setup")
        XCTAssertEqual(verdict(MeasuredDifference(expected: 25, other: 30.5, seedRuns: seeds)), "differs")
        XCTAssertEqual(verdict(MeasuredDifference(expected: .nan, other: 30.5, seedRuns: seeds)), "differs")
        XCTAssertEqual(verdict(MeasuredDifference(expected: 40, other: 30.5, seedRuns: [31])), "differs", "one seed: no noise")
    }

    func testAllPartsTogether() {
        let seeds = [30.0, 31.0, 32.5]
        let holds = MeasuredDifference(expected: 40, other: 30, seedRuns: seeds)
        let within = MeasuredDifference(expected: 31, other: 30, seedRuns: seeds)
        let against = MeasuredDifference(expected: 20, other: 30, seedRuns: seeds)
        XCTAssertEqual(MeasuredDifference.all([holds, holds]), .holds)
        XCTAssertEqual(MeasuredDifference.all([holds, within]), .withinNoise)
        XCTAssertEqual(MeasuredDifference.all([holds, against]), .contradicted)
        XCTAssertEqual(MeasuredDifference.all([]), .notMeasured)
    }
}

/// Lesson 5's label claims: the card's "high performance with only a small amount of labeled
/// data" and the write-up's "competitive with supervised baselines trained from scratch".
final class LabelClaimTests: XCTestCase {
    func testFewLabels() {
        // The long run against the shipped supervised network with 10 labels per class.
        XCTAssertEqual(AccuracyGap(expected: 0.546, other: 0.259, testImages: 10_000).outcome, .holds)
        XCTAssertEqual(AccuracyGap(expected: 0.300, other: 0.295, testImages: 10_000).outcome, .withinNoise)
        XCTAssertEqual(AccuracyGap(expected: 0.25, other: 0.30, testImages: 10_000).outcome, .contradicted)
        XCTAssertEqual(AccuracyGap(expected: 0.5, other: 0.5, testImages: 10_000).noise, 1.41, accuracy: 0.01)
    }

    func testCompetitive() {
        // The full-data numbers: 2.1 points behind at 500 labels per class is within the 3-point tolerance.
        let full = CompetitiveWithSupervised([(10, 0.546, 0.259), (50, 0.640, 0.378), (100, 0.665, 0.447), (500, 0.693, 0.714)],
                                             testImages: 10_000)
        XCTAssertTrue(full.holds)
        XCTAssertEqual(full.outcome, "competitive")
        // Five points behind anywhere is not competitive: ✗.
        XCTAssertFalse(CompetitiveWithSupervised([(10, 0.546, 0.259), (500, 0.66, 0.714)], testImages: 10_000).holds)
        XCTAssertFalse(CompetitiveWithSupervised([], testImages: 10_000).holds, "nothing measured")
        // Over 200 test images the noise (about 10 points) is the allowance instead.
        XCTAssertTrue(CompetitiveWithSupervised([(10, 0.40, 0.47)], testImages: 200).holds)
    }
}
