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
/// busy, and one core sums them one after the other; on more cores, every kernel but im2col
/// splits each share further by output channels (`weightGradientSplits`), which changes no
/// sum.
package func weightGradientShares(batch: Int) -> Int { max(1, min(2, batch)) }

/// Pieces each weight-gradient share is split into along its output channels, so that a machine
/// with more cores than `weightGradientShares` keeps them all busy: the threads beyond the
/// shares, divided among them, at most one per block of `unit` output channels (the kernel's
/// smallest); one on a machine with as many cores as shares or fewer. Each piece computes whole
/// cells of the gradient over all of its share's images, in the same order, so the numbers do
/// not depend on it.
package func weightGradientSplits(shares: Int, outChannels: Int, unit: Int) -> Int {
    max(1, min(Parallel.threadCount / max(1, shares), (outChannels + unit - 1) / unit))
}

/// The output channels of piece `piece` of `splits` (`weightGradientSplits`): whole blocks of
/// `unit` channels, the last one short if `outChannels` is not a multiple of `unit`.
package func weightGradientPiece(_ piece: Int, of splits: Int, outChannels: Int, unit: Int) -> Range<Int> {
    let blocks = Parallel.chunkRange(piece, of: splits, count: (outChannels + unit - 1) / unit)
    return unit * blocks.lowerBound ..< min(outChannels, unit * blocks.upperBound)
}
