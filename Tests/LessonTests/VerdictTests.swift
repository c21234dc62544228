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
        // The card's loss 0.623 lies below the floor 4.241 of batch 256, τ 0.5: ⚠ is earned.
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

/// The measured form of "removing jitter or blur hurts": each outcome's verdict, and each
/// excuse falling to ✗ when its condition fails.
final class LeaveOneOutTests: XCTestCase {
    private func verdict(full: [Double], without: Double, imageSize: Int = 32) -> String {
        let report = Report(lesson: "test", title: "t", url: nil, output: { _ in })
        let finding = LeaveOneOut(full: full, without: without)
        return report.check("x", source: .writeUp, document: "hurts", ours: finding.outcome.rawValue,
                            unless: finding.exception(stage: "blur", imageSize: imageSize, documentImageSize: 256)).code
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
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 21.5), "different-setup")
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 27.5), "different-setup", "helps, but at 32 px, not 256")
        XCTAssertEqual(verdict(full: [22, 23, 24], without: 27.5, imageSize: 256), "differs", "helps at the document's size")
        XCTAssertEqual(verdict(full: [22, 23, .nan], without: 20), "differs", "nothing measured is never excused")
    }
}
