/// The optimized kernels work on 16 floats at a time (one AVX-512 register).
///
/// Loads and stores come from Core (`simd16(_:count:)`, `store(_:at:count:)`): debug
/// builds compile file by file (`-wmo` breaks their linking, see Package.swift), so a
/// helper in another file of this module would be an opaque call for every 16 pixels,
/// while an `@inlinable` function of another module is inlined.
typealias Vector = SIMD16<Float>

/// Namespace for the optimized kernels; each transform adds its own in `Kernels+<Transform>.swift`.
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
