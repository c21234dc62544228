@testable import Core
import Foundation
import Synchronization
import XCTest

/// `Parallel.forEach` on the kernel workers (`WorkerPool`) runs every iteration exactly
/// once, however loops follow each other, nest, or start from two threads at once, and
/// whether the workers are spinning or asleep when a loop starts.
final class ParallelTests: XCTestCase {
    override func tearDown() {
        Parallel.usesWorkerPool = true
        Parallel.threadCount = Parallel.defaultThreadCount()
    }

    /// Counts how often each iteration of a `count`-iteration loop ran.
    private static func runs(_ count: Int) -> [Int] {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: count)
        hits.initialize(repeating: 0, count: count)
        defer { hits.deallocate() }
        Parallel.forEach(count) { i in hits[i] += 1 }  // each iteration writes only its own slot
        return Array(UnsafeBufferPointer(start: hits, count: count))
    }

    func testEveryIterationRunsOnceInLoopsBackToBackAndAfterPauses() {
        Parallel.threadCount = 2
        for pool in [true, false] {
            Parallel.usesWorkerPool = pool
            for count in [2, 3, 7, 64, 1000] {
                for round in 0 ..< 200 {
                    XCTAssertEqual(Self.runs(count), [Int](repeating: 1, count: count), "pool \(pool), \(count) iterations")
                    // Now and then long enough for the workers to stop spinning and sleep.
                    if round % 50 == 49 { usleep(1_000) }
                }
            }
        }
    }

    func testANestedLoopRunsEveryIterationOnce() {
        Parallel.threadCount = 2
        let outer = 4, inner = 33
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        hits.initialize(repeating: 0, count: outer * inner)
        defer { hits.deallocate() }
        Parallel.forEach(outer) { o in
            Parallel.forEach(inner) { i in hits[o * inner + i] += 1 }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: hits, count: outer * inner)),
                       [Int](repeating: 1, count: outer * inner))
    }

    /// Two threads starting loops at the same time: one gets the workers, the other goes to
    /// Dispatch, and both see all their iterations.
    func testLoopsFromTwoThreadsAtOnceBothComplete() {
        Parallel.threadCount = 2
        final class Failures: Sendable { let count = Atomic<Int>(0) }
        let group = DispatchGroup(), failures = Failures()
        for _ in 0 ..< 2 {
            DispatchQueue.global().async(group: group) {
                for _ in 0 ..< 300 where ParallelTests.runs(17) != [Int](repeating: 1, count: 17) {
                    failures.count.add(1, ordering: .relaxed)
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success, "the loops finished")
        XCTAssertEqual(failures.count.load(ordering: .relaxed), 0)
    }

    /// More threads than the pool had: it starts the missing workers; fewer: the extra
    /// workers sit the loop out.
    func testTheThreadCountCanChangeBetweenLoops() {
        for threads in [2, 4, 3, 1, 2] {
            Parallel.threadCount = threads
            XCTAssertEqual(Self.runs(100), [Int](repeating: 1, count: 100), "\(threads) threads")
        }
    }

    /// `forPieces` covers `0 ..< count` exactly once, in consecutive pieces that are
    /// multiples of `multiple` (the last may be shorter), about `perThread` per thread, and
    /// runs inline as one piece on one thread.
    func testPiecesCoverTheRangeOnceInMultiplesOfTheBlock() {
        for threads in [1, 2, 3] {
            Parallel.threadCount = threads
            for (count, multiple) in [(1, 1), (7, 1), (128, 1), (128, 16), (130, 16), (512, 16), (5, 16), (33, 4)] {
                let lock = NSLock()
                var pieces: [Range<Int>] = []
                Parallel.forPieces(count, multiple: multiple) { piece in
                    lock.lock(); pieces.append(piece); lock.unlock()
                }
                pieces.sort { $0.lowerBound < $1.lowerBound }
                let label = "\(count) items in multiples of \(multiple) on \(threads) threads"
                XCTAssertEqual(pieces.first?.lowerBound, 0, label)
                XCTAssertEqual(pieces.last?.upperBound, count, label)
                for (a, b) in zip(pieces, pieces.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound, label) }
                for piece in pieces.dropLast() { XCTAssertEqual(piece.count % multiple, 0, label) }
                XCTAssertFalse(pieces.contains { $0.isEmpty }, label)
                if threads == 1 { XCTAssertEqual(pieces, [0 ..< count], label) }
                XCTAssertLessThanOrEqual(pieces.count, max(1, threads * 4), label)
            }
        }
        XCTAssertEqual(Self.piecesOf(128, multiple: 16, threads: 2), 8, "128 views in blocks of 16 on 2 threads")
        XCTAssertEqual(Self.piecesOf(128, multiple: 1, threads: 2), 8, "128 images on 2 threads")
    }

    private static func piecesOf(_ count: Int, multiple: Int, threads: Int) -> Int {
        Parallel.threadCount = threads
        let n = Atomic<Int>(0)
        Parallel.forPieces(count, multiple: multiple) { _ in n.add(1, ordering: .relaxed) }
        return n.load(ordering: .relaxed)
    }
}
