@testable import Benchmark
import XCTest

/// The `host:` line `Benchmark step` prints under its table: both measurements, and a caution
/// exactly when the memory bandwidth or the FMA rate moved by more than a fifth between the
/// start and the end of the timing, in either direction.
final class HostCheckTests: XCTestCase {
    func testCautionOnlyWhenTheHostMovedByMoreThanAFifth() {
        let quiet = HostCheck(memory: 30, fma: 230)
        let cases: [(end: HostCheck, caution: String?)] = [
            (HostCheck(memory: 27, fma: 220), nil),
            (HostCheck(memory: 20, fma: 230), "33 %"),
            (HostCheck(memory: 45, fma: 230), "33 %"),
            (HostCheck(memory: 30, fma: 115), "50 %"),
        ]
        for (end, caution) in cases {
            let lines = HostCheck.report(start: quiet, end: end, threads: 2)
            print(lines.joined(separator: "\n"))
            XCTAssertTrue(lines[0].contains("memory 30 GB/s, FMA 230 GFLOP/s at the start"), lines[0])
            XCTAssertTrue(lines[0].contains(end.summary + " at the end"), lines[0])
            let warning = lines.first { $0.contains("caution") }
            if let caution {
                XCTAssertTrue(warning?.contains("moved by \(caution)") == true, "\(end.summary): \(lines)")
            } else {
                XCTAssertNil(warning, "\(end.summary): \(lines)")
            }
        }
    }
}
