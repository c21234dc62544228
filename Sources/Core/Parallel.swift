import Dispatch
import Foundation

/// Runs work on the machine's cores.
///
/// Kernels split their output into disjoint pieces and hand each piece to `forEach`.
/// The closure is called concurrently, so each call must write only its own piece;
/// that is the caller's promise, and the reason the closure need not be `@Sendable`.
public enum Parallel {
    /// Number of worker threads kernels may use (the `--threads` flag sets it).
    nonisolated(unsafe) public static var threadCount: Int = defaultThreadCount()

    /// The cores this process may run on (Foundation honours `taskset` affinity on Linux), or
    /// fewer if a container's CPU quota allows fewer (`CPUQuota`): a container limited to two
    /// CPUs on a 64-core host still sees 64 cores, and 64 threads time-sliced onto two would
    /// spend most of each step waiting for one another.
    public static func defaultThreadCount() -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return min(cores, CPUQuota.cores() ?? cores)
    }

    /// Calls `body(i)` for every `i` in `0 ..< count`, spread over `threadCount` threads.
    /// With one thread (or one item) it runs inline, with no dispatch overhead.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 || threadCount <= 1 {
            for i in 0 ..< count { body(i) }
            return
        }
        if usesWorkerPool && WorkerPool.shared.run(count, threads: min(threadCount, count), body) { return }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }

    /// Whether `forEach` runs on the kernel workers (`WorkerPool`), which wait for the next
    /// loop spinning, or hands each loop to Dispatch (`false`; the benchmark compares them).
    /// A loop started while another runs goes to Dispatch either way.
    nonisolated(unsafe) public static var usesWorkerPool = true

    /// Splits `0 ..< count` into at most `threadCount` contiguous chunks and calls
    /// `body(range)` for each, concurrently.
    ///
    /// Chunks smaller than `minimumChunk` are not worth a thread, so small problems
    /// run on one.
    public static func forChunks(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(threadCount, count / max(1, minimumChunk)))
        if chunks == 1 { body(0 ..< count); return }
        forEach(chunks) { c in
            body(chunkRange(c, of: chunks, count: count))
        }
    }

    /// Splits `0 ..< count` into consecutive pieces, about `perThread` for each of the
    /// `threadCount` threads, and calls `body(range)` for each; a thread that finishes a
    /// piece claims the next one left.
    ///
    /// For loops whose pieces are independent (each writes only its own outputs, as a
    /// convolution's forward pass does per image), where `forChunks`'s one fixed chunk per
    /// thread would make the loop wait for its slowest thread: on a shared machine one core
    /// is often slowed for a while by the host, and here it simply runs fewer pieces. Which
    /// thread runs a piece never changes what the piece computes. Every piece but the last
    /// is a multiple of `multiple` long (a kernel's block of images, such as the 16 that
    /// share a vector).
    public static func forPieces(_ count: Int, multiple: Int = 1, perThread: Int = 4, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let unit = max(1, multiple)
        let units = (count + unit - 1) / unit
        let pieces = max(1, min(units, threadCount * max(1, perThread)))
        if pieces == 1 || threadCount <= 1 { body(0 ..< count); return }
        let unitsPerPiece = (units + pieces - 1) / pieces
        let size = unitsPerPiece * unit, claimed = (count + size - 1) / size
        forEach(claimed) { p in
            body(p * size ..< min(count, (p + 1) * size))
        }
    }

    /// The `c`-th of `chunks` near-equal contiguous pieces of `0 ..< count`.
    public static func chunkRange(_ c: Int, of chunks: Int, count: Int) -> Range<Int> {
        let base = count / chunks, extra = count % chunks
        let start = c * base + min(c, extra)
        return start ..< start + base + (c < extra ? 1 : 0)
    }
}

/// Carries a non-Sendable value into a concurrent closure. Confined to `Parallel`.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
