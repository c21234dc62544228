import Core

// What the optimized kernels of several operations share (batch norm, pooling,
// elementwise); each operation's twins live in its own `Op+Reference` / `Op+Optimized` files.
// The SIMD loops they share (`simdSum`, `simdAffine`, `clampedAtZero`) are in Core's
// SIMDMath.swift: inlinable there, while a helper in another file of this module would be
// an opaque call in debug builds, which compile file by file.

/// Below this many elements a kernel runs on one thread: waking the second costs more.
let parallelThreshold = 32_768

