import Core

/// A dense Float32 tensor in row-major order.
///
/// Images are NCHW (batch, channels, height, width), convolution weights [out, in, kh, kw],
/// linear weights [out, in], as PyTorch lays them out. It is a plain value (copy-on-write
/// through the array).
public struct Tensor: Equatable, Sendable {
    public private(set) var shape: [Int]
    public var data: [Float]

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// A tensor holding `data` in row-major order.
    public init(shape: [Int], data: [Float]) {
        contract(data.count == shape.reduce(1, *),
                 "Tensor: \(data.count) values for shape \(shape)")
        self.shape = shape
        self.data = data
    }

    /// A tensor whose values are left for `fill` to write, skipping the zeroing pass that
    /// `init(zeros:)` pays for. `fill` must write every element.
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.data = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// Read access to the storage for kernels.
    @inline(__always)
    public func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try data.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Write access to the storage for kernels.
    @inline(__always)
    public mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try data.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }

    /// Dimension `i` of the shape.
    public func dim(_ i: Int) -> Int { shape[i] }
}
