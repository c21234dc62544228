/// The optimized kernels work on 16 floats at a time (one AVX-512 register).
typealias Vector = SIMD16<Float>

/// Namespace for the optimized kernels; each transform adds its own in `Type+Optimized.swift`.
enum Kernels {}

/// Loads `count` floats (all 16 when `count >= 16`); missing lanes are 0, which every
/// kernel tolerates (grey pixels, no division by zero) and never stores.
@inline(__always)
func loadVector(_ p: UnsafePointer<Float>, _ count: Int) -> Vector {
    if count >= 16 { return UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
    var v = Vector()
    for i in 0 ..< count { v[i] = p[i] }
    return v
}

/// Stores the first `count` lanes (all 16 when `count >= 16`).
@inline(__always)
func storeVector(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    if count >= 16 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
        return
    }
    for i in 0 ..< count { p[i] = v[i] }
}

/// torch's `clamp(0, 1)`, lane by lane.
@inline(__always)
func clamp01(_ v: Vector) -> Vector {
    v.replacing(with: 0, where: v .< 0).replacing(with: 1, where: v .> 1)
}

/// Scratch memory for the optimized path: one per thread, grown on demand, reused
/// across the views that thread renders.
final class AugmentationWorkspace {
    private var buffer: UnsafeMutablePointer<Float>
    private var capacity: Int

    init() {
        capacity = 0
        buffer = .allocate(capacity: 1)
    }

    /// At least `count` floats; the contents are undefined.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            buffer.deallocate()
            capacity = count
            buffer = .allocate(capacity: count)
        }
        return buffer
    }

    deinit { buffer.deallocate() }
}
