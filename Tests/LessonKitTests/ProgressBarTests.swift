import LessonKit
import XCTest

/// The ETA comes from this run's own pace, also when a run resumes half-way.
final class ProgressBarTests: XCTestCase {
    func testRemainingTimeUsesThisRunsPace() {
        // A fresh run: 100 of 1,000 steps in 60 s leaves 900 steps, 540 s.
        XCTAssertEqual(ProgressBar.remaining(elapsed: 60, done: 100, total: 1_000, start: 0), 540, accuracy: 1e-9)
        // Resumed at step 500: 100 steps of this run in 60 s, 400 left, 240 s (counting the
        // 500 resumed steps as done in these 60 s would say 60 s).
        XCTAssertEqual(ProgressBar.remaining(elapsed: 60, done: 600, total: 1_000, start: 500), 240, accuracy: 1e-9)
        // Nothing done yet in this run: no estimate rather than a division by zero.
        XCTAssertEqual(ProgressBar.remaining(elapsed: 5, done: 500, total: 1_000, start: 500), 0)
        XCTAssertEqual(ProgressBar.remaining(elapsed: 9, done: 1_000, total: 1_000, start: 0), 0)
    }
}
