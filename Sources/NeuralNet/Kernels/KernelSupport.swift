import Core

// Helpers the optimized kernels of several operations share (batch norm, pooling,
// elementwise); each operation's twins live in its own `Op+Reference` / `Op+Optimized` files.

/// Below this many elements a kernel runs on one thread: waking the second costs more.
let parallelThreshold = 32_768

/// `max(v, 0)` in every lane, as `Swift.max` rounds it (a negative zero becomes +0), in two
/// vector instructions. (The standard library's `pointwiseMax` is a loop over the lanes that
/// LLVM left unvectorized in the fused batch-norm join, a compare and a move per lane.)
@inline(__always)
func clampedAtZero(_ v: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16<Float>().replacing(with: v, where: v .> SIMD16<Float>())
}

/// Σ p[i] over `count` floats, in 16 SIMD lanes (then reduced once).
@inline(__always)
func simdSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count { acc += p.simd16(i); i += 16 }
    var s = acc.laneSum()
    while i < count { s += p[i]; i += 1 }
    return s
}
