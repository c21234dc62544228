import Foundation
import Synchronization

/// A lock that waits by spinning, for critical sections of a few dozen instructions that
/// both cores enter at the same moment.
///
/// Every parallel loop of a training step starts on both cores at once, and each core's
/// first act is often to borrow a scratch buffer (`Scratch`). Under a sleeping lock
/// (`NSLock`, a pthread mutex) the core that loses the race goes to sleep in the kernel and
/// is woken by the other a few microseconds later, hundreds of times per step, while the
/// section it waited for takes well under a microsecond. Spinning waits exactly as long as
/// the holder needs. A waiter that spins for long (the holder was preempted, or is in a
/// rare system call such as `mmap`) yields its time slice instead of burning it.
final class SpinLock: @unchecked Sendable {
    private let held = Atomic<Bool>(false)

    init() {}

    func lock() {
        var spins = 0
        while !held.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            // Wait on a plain load (no cache-line ownership taken) until the lock looks free.
            while held.load(ordering: .relaxed) {
                spins += 1
                if spins & 1023 == 0 { sched_yield() }
            }
        }
    }

    func unlock() {
        held.store(false, ordering: .releasing)
    }
}
