import Foundation
import Synchronization

/// The threads that run `Parallel.forEach` beside the calling thread, kept between calls.
///
/// A training step opens a few hundred parallel loops, most of them a fraction of a
/// millisecond long and back to back. Handing each to Dispatch wakes a sleeping worker
/// through the kernel every time, and the caller waits for it at the end of the loop.
/// These workers instead spin for a while (`spinDuration`) after each loop, watching
/// for the next one, and only then sleep on a condition; a loop that starts while they
/// spin begins on every core at once.
///
/// One loop runs on them at a time: a loop started while another runs (from inside a
/// loop, or from a second thread of the program) goes to Dispatch as before. Which thread
/// runs which iteration never changes what an iteration computes, so results do not
/// depend on the pool.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker watches for the next loop before it sleeps.
    static let spinDuration: UInt64 = 200_000  // nanoseconds

    static let shared = WorkerPool()

    /// The loop being run: set by the caller before `generation` is raised, read by the
    /// workers after they see it raised, and left alone until every worker has
    /// acknowledged it (`acknowledged`), which the caller waits for before it returns.
    private var body: ((Int) -> Void)?
    private var count = 0
    private var participants = 0
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = NSCondition()
    /// Per worker, the last generation it has finished with (written by the worker).
    private final class Acknowledgement: Sendable {
        let generation: Atomic<Int>
        init(_ g: Int) { generation = Atomic(g) }
    }
    private var acknowledged: [Acknowledgement] = []

    private init() {}

    /// Runs `body(i)` for every `i` in `0 ..< count` on the calling thread and `threads - 1`
    /// workers; returns false, having run nothing, when another loop is running.
    func run(_ count: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { running.store(false, ordering: .releasing) }
        startWorkers(threads - 1)
        let current = generation.load(ordering: .relaxed) + 1
        withoutActuallyEscaping(body) { body in
            self.body = body
            self.count = count
            participants = threads - 1
            next.store(0, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            generation.store(current, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock()
                wake.broadcast()
                wake.unlock()
            }
            work()
            var spins = 0
            while finished.load(ordering: .acquiring) < count { Self.pause(&spins) }
            // Every worker lets go of the loop (and of `body`, which must not outlive this
            // call) before the next one is set up.
            for worker in acknowledged {
                while worker.generation.load(ordering: .acquiring) != current { Self.pause(&spins) }
            }
            self.body = nil
        }
        return true
    }

    /// Claims and runs iterations of the current loop until none is left.
    private func work() {
        let body = body!, count = count
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
            finished.add(1, ordering: .releasing)
        }
    }

    private func startWorkers(_ wanted: Int) {
        let current = generation.load(ordering: .relaxed)
        while acknowledged.count < wanted {
            let index = acknowledged.count, acknowledgement = Acknowledgement(current)
            acknowledged.append(acknowledgement)
            let thread = Thread { [self] in workerLoop(index: index, seen: current, acknowledgement) }
            thread.name = "simclr-kernel-worker-\(index + 1)"
            thread.start()
        }
    }

    private func workerLoop(index: Int, seen start: Int, _ acknowledgement: Acknowledgement) {
        var seen = start
        while true {
            seen = waitForLoop(after: seen)
            if index < participants { work() }
            acknowledgement.generation.store(seen, ordering: .releasing)
        }
    }

    /// One turn of a spin-wait: every 1024th turn gives up the time slice. On a core of its
    /// own a thread gets it straight back; with more threads than cores (`--threads` above
    /// the core count, or a container whose CPU quota is below the cores it sees) the thread
    /// being waited for may be the one that needs the core, and a waiter that only spins
    /// holds it off for a whole time slice.
    @inline(__always)
    private static func pause(_ spins: inout Int) {
        spins += 1
        if spins & 1023 == 0 { sched_yield() }
    }

    /// Spins until `generation` moves past `seen`, then sleeps until it does; returns it.
    private func waitForLoop(after seen: Int) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
            Self.pause(&spins)
            if spins & 1023 == 0 && DispatchTime.now().uptimeNanoseconds - start > Self.spinDuration { break }
        }
        wake.lock()
        defer { wake.unlock() }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let g = generation.load(ordering: .sequentiallyConsistent)
            if g != seen { return g }
            wake.wait()
        }
    }
}
