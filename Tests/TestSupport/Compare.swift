import Foundation
import XCTest

/// Outcome of comparing two arrays element by element, llm.c style.
public struct Comparison: CustomStringConvertible {
    public let label: String
    public let count: Int
    public let maxAbsoluteDifference: Double
    public let worstIndex: Int
    public let failures: Int
    public var ok: Bool { failures == 0 }
    public var description: String {
        "\(ok ? "OK    " : "NOT OK") \(label): \(count) values, max |diff| \(String(format: "%.3g", maxAbsoluteDifference)) at \(worstIndex)\(ok ? "" : ", \(failures) outside tolerance")"
    }
}

/// Compares `actual` with `expected` with the tolerance |a - e| <= atol + rtol * |e|
/// (numpy's `allclose`), prints one line saying what was compared, and returns it.
@discardableResult
public func compare(_ actual: [Float], _ expected: [Float], rtol: Double = 1e-4, atol: Double = 1e-5,
                    _ label: String) -> Comparison {
    guard actual.count == expected.count else {
        let c = Comparison(label: "\(label) (count \(actual.count) vs \(expected.count))", count: 0,
                           maxAbsoluteDifference: .infinity, worstIndex: -1, failures: 1)
        print(c)
        return c
    }
    var worst = 0.0, worstIndex = 0, failures = 0
    for i in 0 ..< actual.count {
        let a = Double(actual[i]), e = Double(expected[i])
        let d = abs(a - e)
        if !(d <= atol + rtol * abs(e)) { failures += 1 }  // NaN counts as a failure
        if d > worst || d.isNaN { worst = d; worstIndex = i }
    }
    let c = Comparison(label: label, count: actual.count, maxAbsoluteDifference: worst,
                       worstIndex: worstIndex, failures: failures)
    print(c)
    return c
}

/// `compare`, then fail the test unless every element is within tolerance.
public func assertClose(_ actual: [Float], _ expected: [Float], rtol: Double = 1e-4, atol: Double = 1e-5,
                        _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    let c = compare(actual, expected, rtol: rtol, atol: atol, label)
    XCTAssertTrue(c.ok, c.description, file: file, line: line)
}

/// How many values of `a` and `b` differ at all, bit for bit (so -0 and +0 differ, and a NaN
/// equals the same NaN); a length mismatch counts every value. For paths that must give the
/// same numbers exactly, not within a tolerance.
public func bitDifferences<A: Collection<Float>, B: Collection<Float>>(_ a: A, _ b: B) -> Int {
    a.count == b.count ? zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count : max(a.count, b.count)
}
