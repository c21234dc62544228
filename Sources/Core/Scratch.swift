import Foundation

/// Reusable scratch memory for kernels (GEMM packing panels, im2col columns).
///
/// A training step calls the same kernels thousands of times with the same sizes;
/// allocating fresh buffers each time would pay for `mmap`, page faults and zeroing on
/// every call. Buffers are lent from a small free list and returned after use. Contents
/// are uninitialised: the borrower writes before it reads.
public enum Scratch {
    private final class Pool: @unchecked Sendable {
        /// Both cores borrow at the start of nearly every parallel loop, at the same moment,
        /// and hold the lock for a few array operations: a spinning lock (`SpinLock`).
        let lock = SpinLock()
        var free: [Buffer] = []
    }
    /// A buffer of `capacity` floats: mapped pages of its own, or (where `mmap` failed) a heap
    /// block. Every buffer is mapped if it can be: a pooled buffer lives for the whole run,
    /// and in the heap (which the tuned allocator never gives back, `Allocator`) one taken
    /// mid-step, even a small one, sits among the activations and splits the room around it
    /// that later steps' large tensors need (at 256 classroom images, tens of MiB more
    /// memory). The pool keeps at most 16, so the page granularity costs little.
    private typealias Buffer = (pointer: UnsafeMutablePointer<Float>, capacity: Int, mapped: Bool)
    private static let pool = Pool()

    /// Lends a buffer of at least `count` floats for the duration of `body`.
    public static func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = take(count)
        defer { give(buffer) }
        return try body(buffer.pointer)
    }

    private static func take(_ count: Int) -> Buffer {
        pool.lock.lock()
        defer { pool.lock.unlock() }
        // Best fit: the smallest free buffer that is large enough.
        var best = -1
        for (i, b) in pool.free.enumerated() where b.capacity >= count {
            if best < 0 || b.capacity < pool.free[best].capacity { best = i }
        }
        if best >= 0 { return pool.free.remove(at: best) }
        let capacity = max(count, 1024)
        if let mapped = mmap(nil, capacity * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           mapped != MAP_FAILED {
            return (mapped.bindMemory(to: Float.self, capacity: capacity), capacity, true)
        }
        // 64-byte alignment keeps AVX-512 loads within one cache line (pages are aligned anyway).
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * 4, alignment: 64)
        return (raw.bindMemory(to: Float.self, capacity: capacity), capacity, false)
    }

    /// Frees every buffer not lent at the moment (a test's starting point: the pool keeps at
    /// most 16, dropping the smallest, so after kernels of many sizes a returned small buffer
    /// may be the one dropped).
    public static func releaseFreeBuffers() {
        pool.lock.lock()
        defer { pool.lock.unlock() }
        for b in pool.free { release(b) }
        pool.free.removeAll()
    }

    /// Returns a buffer's memory: its mapped pages, or its heap block.
    private static func release(_ buffer: Buffer) {
        if buffer.mapped {
            munmap(UnsafeMutableRawPointer(buffer.pointer), buffer.capacity * 4)
        } else {
            UnsafeMutableRawPointer(buffer.pointer).deallocate()
        }
    }

    private static func give(_ buffer: Buffer) {
        pool.lock.lock()
        defer { pool.lock.unlock() }
        pool.free.append(buffer)
        // Keep the pool bounded: drop the smallest buffers beyond a handful.
        if pool.free.count > 16 {
            pool.free.sort { $0.capacity > $1.capacity }
            release(pool.free.removeLast())
        }
    }
}
