import Core

// What the optimized kernels of several operations share (batch norm, pooling,
// elementwise); each operation's twins live in its own `Op+Reference` / `Op+Optimized` files.
// The SIMD loops they share (`simdSum`, `simdAffine`, `clampedAtZero`) are in Core's
// SIMDMath.swift: inlinable there, while a helper in another file of this module would be
// an opaque call in debug builds, which compile file by file.

/// Below this many elements a kernel runs on one thread: waking the second costs more.
let parallelThreshold = 32_768


/// The shares of the batch whose weight gradients are summed apart and then added, in share
/// order: two, or one for a batch of one image.
///
/// Fixed, not the core count: the order of a float sum decides its last bits, and training
/// amplifies them within a few steps, so a seed prints the same numbers on every machine only
/// if every machine splits the sum the same way. Two shares keep a two-core machine's cores
/// busy; one core sums them one after the other, and a machine with more cores gives the
/// weight gradients two of them.
package func weightGradientShares(batch: Int) -> Int { max(1, min(2, batch)) }
