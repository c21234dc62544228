@testable import Plotting
import XCTest

final class NiceTicksTests: XCTestCase {
    func check(_ lo: Double, _ hi: Double, _ maxCount: Int = 6, _ expected: [Double], _ labels: [String]? = nil,
               file: StaticString = #filePath, line: UInt = #line) {
        let t = NiceTicks.ticks(from: lo, to: hi, maxCount: maxCount)
        XCTAssertEqual(t, expected, "ticks of \(lo)...\(hi)", file: file, line: line)
        if let labels { XCTAssertEqual(NiceTicks.labels(t), labels, file: file, line: line) }
        print("\(t == expected ? "OK    " : "NOT OK") \(lo)...\(hi) max \(maxCount): \(NiceTicks.labels(t).joined(separator: ", "))")
    }

    func testLinearTicks() {
        check(0, 0.87, 6, [0, 0.2, 0.4, 0.6, 0.8], ["0", "0.2", "0.4", "0.6", "0.8"])
        check(1, 6.24, 6, [1, 2, 3, 4, 5, 6], ["1", "2", "3", "4", "5", "6"])
        check(-3, 2, 6, [-3, -2, -1, 0, 1, 2], ["-3", "-2", "-1", "0", "1", "2"])
        check(-0.87, -0.05, 6, [-0.8, -0.6, -0.4, -0.2], ["-0.8", "-0.6", "-0.4", "-0.2"])
        check(0, 100, 6, [0, 20, 40, 60, 80, 100])
        check(0, 1, 11, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        check(4.8, 6.3, 8, [4.8, 5.0, 5.2, 5.4, 5.6, 5.8, 6.0, 6.2])
        check(4.8, 6.3, 4, [5.0, 5.5, 6.0], ["5.0", "5.5", "6.0"])
        check(0, 50_000, 6, [0, 10_000, 20_000, 30_000, 40_000, 50_000], ["0", "10000", "20000", "30000", "40000", "50000"])
        check(0.0012, 0.0031, 5, [0.0015, 0.002, 0.0025, 0.003], ["0.0015", "0.0020", "0.0025", "0.0030"])
    }

    func testDegenerateRanges() {
        XCTAssertEqual(NiceTicks.ticks(from: 3, to: 3), NiceTicks.ticks(from: 2.7, to: 3.3), "widened by 10 % around the value")
        XCTAssertFalse(NiceTicks.ticks(from: 0, to: 0).isEmpty, "a single value still gets ticks")
        XCTAssertEqual(NiceTicks.ticks(from: .nan, to: 1), [])
        XCTAssertEqual(NiceTicks.ticks(from: 0, to: .infinity), [])
        XCTAssertEqual(NiceTicks.ticks(from: 5, to: 1), NiceTicks.ticks(from: 1, to: 5), "reversed ends")
    }

    func testNoNegativeZeroAndNoFloatNoise() {
        let t = NiceTicks.ticks(from: -0.3, to: 0.3, maxCount: 7)
        XCTAssertEqual(NiceTicks.labels(t), ["-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"])
        XCTAssertTrue(t.contains(0.3), "0.3 exactly, not 0.30000000000000004")
        XCTAssertEqual(NiceTicks.label(-0.0, step: 0.1), "0")
        XCTAssertEqual(NiceTicks.label(2_000_000, step: 1_000_000), "2e6")
    }

    func testLogTicks() {
        let wide = NiceTicks.logTicks(from: 0.01, to: 100)
        XCTAssertEqual(wide.major, [0.01, 0.1, 1, 10, 100])
        XCTAssertEqual(wide.major.map(NiceTicks.logLabel), ["0.01", "0.1", "1", "10", "100"])
        XCTAssertTrue(wide.minor.contains(0.02) && wide.minor.contains(50))
        let narrow = NiceTicks.logTicks(from: 3, to: 40)
        XCTAssertEqual(narrow.major, [5, 10, 20])
        XCTAssertEqual(NiceTicks.logLabel(1e-5), "1e-5")
        let huge = NiceTicks.logTicks(from: 1e-10, to: 1e10, maxCount: 8)
        XCTAssertLessThanOrEqual(huge.major.count, 8)
        XCTAssertEqual(NiceTicks.logTicks(from: -1, to: 10).major, [], "no log ticks for non-positive ranges")
        print("OK log ticks 0.01...100: \(wide.major.map(NiceTicks.logLabel)); 3...40: \(narrow.major)")
    }

    func testValueFormat() {
        XCTAssertEqual(ValueFormat("%.1f%%").string(78.6), "78.6%")
        XCTAssertEqual(ValueFormat("%.0f").string(753.4), "753")
        XCTAssertEqual(ValueFormat("%.3f").string(.nan), "n/a")
        XCTAssertTrue(ValueFormat.isValid("acc %5.2f %%"))
        XCTAssertFalse(ValueFormat.isValid("%s"))
        XCTAssertFalse(ValueFormat.isValid("%.1f / %.1f"))
        XCTAssertFalse(ValueFormat.isValid("100%"))
        XCTAssertFalse(ValueFormat.isValid("no number"))
    }
}
