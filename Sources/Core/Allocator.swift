import CAllocatorShim

/// Tunes the C allocator for a training loop that frees and reallocates the same large
/// activation buffers every step.
///
/// glibc serves allocations above a (dynamic, at most 32 MiB) threshold with fresh `mmap`
/// pages and returns them to the kernel on `free`, so every forward pass page-faulted and
/// zero-filled its activations anew (about a tenth of a training step). Serving every
/// block from the heap and raising the trim threshold keeps freed blocks for reuse.
public enum Allocator {
    /// Whether the tuning took effect (false off glibc). Evaluated once, on first use.
    public static let configured: Bool = allocator_shim_keep_large_blocks(1 << 30) == 1

    /// Applies the tuning (once; later calls do nothing). `RunSettings.apply` calls it.
    public static func configure() { _ = configured }

    /// What the tuning did, for the benchmark's header.
    ///
    /// Off glibc (macOS, musl) the shim changes nothing: the system allocator keeps its
    /// defaults, every number is the same, and only the first steps of a run may be
    /// slower.
    public static var summary: String {
        configured ? "glibc, freed blocks kept in the heap (mmap off, trim threshold 1 GiB)"
                   : "the system allocator's defaults (the glibc tuning does not apply here)"
    }
}
