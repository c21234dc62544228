/// The optimized kernels work on 16 floats at a time (one AVX-512 register).
///
/// Each kernel file carries its own private copies of the few lines that load, store
/// and clamp a `Vector`: debug builds compile file by file (`-wmo` breaks their
/// linking, see Package.swift), and a function from another file is then never
/// inlined, not even an `@inlinable` one, so a shared helper would cost a call with
/// the vector split into four registers for every 16 pixels.
typealias Vector = SIMD16<Float>

/// Namespace for the optimized kernels; each transform adds its own in `Type+Optimized.swift`.
enum Kernels {}

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
