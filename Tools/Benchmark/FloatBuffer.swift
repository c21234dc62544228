import SimCLR

/// A 64-byte-aligned array of floats filled with uniform random values in [-1, 1),
/// owned by the benchmark and freed when it goes away. Kernels take raw pointers; this
/// keeps those pointers valid for as long as a measurement needs them.
final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int, generator: inout SeededGenerator) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        for i in 0 ..< count { pointer[i] = generator.uniform(Float(-1), 1) }
    }

    /// A buffer whose contents are left for a kernel to write.
    init(uninitializedCount count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    var readOnly: UnsafePointer<Float> { UnsafePointer(pointer) }
}

/// A random tensor with values drawn from `generator` (uniform in [-1, 1)).
func randomTensor(_ shape: [Int], generator: inout SeededGenerator) -> Tensor {
    Tensor(shape: shape) { buffer in
        for i in buffer.indices { buffer[i] = generator.uniform(Float(-1), 1) }
    }
}

/// The six buffers of one convolution's three passes at geometry `g`: inputs `x`, `w`,
/// `dy` filled with random values, outputs `y`, `dx`, `dw` left for the kernels to write.
struct ConvBuffers {
    let x, w, dy, y, dx, dw: FloatBuffer

    init(_ g: ConvGeometry, generator: inout SeededGenerator) {
        x = FloatBuffer(count: g.batch * g.inputImageSize, generator: &generator)
        w = FloatBuffer(count: g.weightCount, generator: &generator)
        dy = FloatBuffer(count: g.batch * g.outputImageSize, generator: &generator)
        y = FloatBuffer(uninitializedCount: g.batch * g.outputImageSize)
        dx = FloatBuffer(uninitializedCount: g.batch * g.inputImageSize)
        dw = FloatBuffer(uninitializedCount: g.weightCount)
    }
}
