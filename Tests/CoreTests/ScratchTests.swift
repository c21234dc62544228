import Core
import XCTest

/// `Scratch` lends heap blocks for small requests and mapped pages from 1 MiB on: both must be
/// writable over their whole length, distinct while lent at once, and lent again once returned.
final class ScratchTests: XCTestCase {
    func testSmallAndLargeBuffersAreWritableDistinctAndReused() {
        // Tests run before this one leave up to 16 buffers of other sizes in the pool.
        Scratch.releaseFreeBuffers()
        for count in [100, 300_000, 3_000_000] {  // a heap block, and 1.1 MiB and 11 MiB of mapped pages
            var lent: [UnsafeMutablePointer<Float>] = []
            Scratch.withBuffer(count: count) { outer in
                lent.append(outer)
                for i in 0 ..< count { outer[i] = Float(i % 1000) }
                Scratch.withBuffer(count: count) { inner in
                    lent.append(inner)
                    XCTAssertNotEqual(inner, outer, "\(count) floats: two buffers lent at once")
                    for i in 0 ..< count { inner[i] = -1 }
                }
                XCTAssertTrue((0 ..< count).allSatisfy { outer[$0] == Float($0 % 1000) },
                              "\(count) floats: the outer buffer kept its values")
            }
            Scratch.withBuffer(count: count) { again in
                XCTAssertTrue(lent.contains(again), "\(count) floats: a returned buffer is lent again")
            }
        }
    }
}
