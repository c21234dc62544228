import Core
import XCTest

/// The allocator tuning is a speed setting only: on glibc it is applied, elsewhere it
/// reports that it was not, and nothing else changes.
final class AllocatorTests: XCTestCase {
    func testTheTuningSaysWhetherItApplied() {
        #if os(Linux)
        // Debian's and Ubuntu's C library is glibc: mallopt accepts both settings.
        XCTAssertTrue(Allocator.configured)
        XCTAssertTrue(Allocator.summary.hasPrefix("glibc"), Allocator.summary)
        #else
        XCTAssertFalse(Allocator.configured)
        XCTAssertTrue(Allocator.summary.contains("does not apply"), Allocator.summary)
        #endif
    }
}
