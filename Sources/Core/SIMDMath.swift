/// Small SIMD loops that kernels in several files share.
///
/// They are `@inlinable` here, in Core, for the reason `SIMDAccess.swift` gives: debug builds
/// compile file by file, so a helper in another file of the kernels' own module is an opaque
/// call in the hot loop, while an `@inlinable` function of another module is inlined.

/// `max(v, 0)` in every lane, as `Swift.max` rounds it (a negative zero becomes +0), as one
/// compare and one blend. (The standard library's `pointwiseMax` is a loop over the lanes,
/// which LLVM left unvectorized in a fused batch-norm pass: a compare and a move per lane.)
@inlinable @inline(__always)
public func clampedAtZero(_ v: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16<Float>().replacing(with: v, where: v .> SIMD16<Float>())
}

/// Σ p[i] over `count` floats, in 16 SIMD lanes (then reduced once), the tail one by one.
@inlinable @inline(__always)
public func simdSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count { acc += p.simd16(i); i += 16 }
    var s = acc.laneSum()
    while i < count { s += p[i]; i += 1 }
    return s
}

/// Copies `count` floats from `p` to `out` (which must not overlap), 16 lanes at a time and
/// the tail one by one. For the short rows the convolutions copy (a padded plane's row, a
/// plane of a deep layer's output): there `UnsafeMutablePointer.update(from:count:)` is a
/// call into the C library's `memmove` per row, which costs more than the 32 floats it moves.
@inlinable @inline(__always)
public func simdCopy(_ p: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 16 <= count { out.store(p.simd16(i), at: i); i += 16 }
    while i < count { out[i] = p[i]; i += 1 }
}

/// Sets `count` floats of `out` to zero, 16 lanes at a time (a padded plane's border rows,
/// where `update(repeating:count:)` would be a `memset` call per row).
@inlinable @inline(__always)
public func simdZero(_ out: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 16 <= count { out.store(SIMD16<Float>(), at: i); i += 16 }
    while i < count { out[i] = 0; i += 1 }
}

/// out[i] = a · p[i] + b as one fused multiply-add (and `max(·, 0)` with `relu`) over `count`
/// floats, 16 lanes at a time and the tail one by one, each value rounded once in both (so a
/// value is the same wherever in a row it falls). `out` may be `p`.
@inlinable @inline(__always)
public func simdAffine(_ p: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int, a: Float, b: Float,
                       relu: Bool) {
    let va = SIMD16<Float>(repeating: a), vb = SIMD16<Float>(repeating: b)
    var i = 0
    if relu {
        while i + 16 <= count { out.store(clampedAtZero(vb.addingProduct(p.simd16(i), va)), at: i); i += 16 }
        while i < count { out[i] = max(b.addingProduct(p[i], a), 0); i += 1 }
    } else {
        while i + 16 <= count { out.store(vb.addingProduct(p.simd16(i), va), at: i); i += 16 }
        while i < count { out[i] = b.addingProduct(p[i], a); i += 1 }
    }
}
