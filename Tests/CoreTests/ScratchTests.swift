import Core
import XCTest

/// `Scratch` lends buffers of mapped pages (heap blocks where mapping fails): each must be
/// writable over its whole length, distinct while lent at once (also to two threads borrowing
/// at the same moment, as both cores do at the start of a parallel loop), and lent again once
/// returned.
final class ScratchTests: XCTestCase {
    func testSmallAndLargeBuffersAreWritableDistinctAndReused() {
        // Tests run before this one leave up to 16 buffers of other sizes in the pool.
        Scratch.releaseFreeBuffers()
        for count in [100, 300_000, 3_000_000] {  // under a page, 1.1 MiB and 11 MiB
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

    /// Both threads of a parallel loop borrow, fill and return buffers at once, thousands of
    /// times: no buffer is ever lent to both (each finds its own values intact).
    func testTwoThreadsBorrowingAtOnceGetDistinctBuffers() {
        let previous = Parallel.threadCount
        Parallel.threadCount = 2
        defer { Parallel.threadCount = previous }
        let rounds = 2000
        let clashes = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        clashes.initialize(repeating: 0, count: 2)
        defer { clashes.deallocate() }
        for round in 0 ..< rounds {
            Parallel.forEach(2) { t in
                Scratch.withBuffer(count: 64 + round % 3) { buffer in
                    let mark = Float(t * rounds + round)
                    for i in 0 ..< 64 { buffer[i] = mark }
                    Scratch.withBuffer(count: 16) { inner in inner[0] = -mark }
                    if !(0 ..< 64).allSatisfy({ buffer[$0] == mark }) { clashes[t] += 1 }
                }
            }
        }
        XCTAssertEqual([clashes[0], clashes[1]], [0, 0], "rounds in which a thread's buffer was written by the other")
    }
}
