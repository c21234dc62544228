import Core

/// ReLU, `y = max(x, 0)`, elementwise over `count` floats. `y` may alias `x`.
public func reluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    switch ComputePath.current {
    case .reference:
        for i in 0 ..< count { y[i] = max(x[i], 0) }
    case .optimized:
        Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
            let zero = SIMD16<Float>()
            var i = r.lowerBound
            while i + 16 <= r.upperBound { y.store(pointwiseMax(x.simd16(i), zero), at: i); i += 16 }
            while i < r.upperBound { y[i] = max(x[i], 0); i += 1 }
        }
    }
}

/// ReLU backward: the gradient passes where the output was positive,
/// `dx = dy · [y > 0]`. Uses the forward *output* `y` (equivalent to the input's sign and
/// lets the forward pass run in place). `dx` may alias `dy`.
public func reluBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         count: Int) {
    switch ComputePath.current {
    case .reference:
        for i in 0 ..< count { dx[i] = y[i] > 0 ? dy[i] : 0 }
    case .optimized:
        Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
            let zero = SIMD16<Float>()
            var i = r.lowerBound
            while i + 16 <= r.upperBound {
                dx.store(zero.replacing(with: dy.simd16(i), where: y.simd16(i) .> zero), at: i)
                i += 16
            }
            while i < r.upperBound { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
        }
    }
}

/// Elementwise sum `out = a + b` (the residual connection). `out` may alias `a` or `b`.
public func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
    switch ComputePath.current {
    case .reference:
        for i in 0 ..< count { out[i] = a[i] + b[i] }
    case .optimized:
        Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
            var i = r.lowerBound
            while i + 16 <= r.upperBound { out.store(a.simd16(i) + b.simd16(i), at: i); i += 16 }
            while i < r.upperBound { out[i] = a[i] + b[i]; i += 1 }
        }
    }
}

/// Fused residual join of a ResNet block: `out = max(a + b, 0)`.
public func addReLU(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                    count: Int) {
    switch ComputePath.current {
    case .reference:
        for i in 0 ..< count { out[i] = max(a[i] + b[i], 0) }
    case .optimized:
        Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
            let zero = SIMD16<Float>()
            var i = r.lowerBound
            while i + 16 <= r.upperBound { out.store(pointwiseMax(a.simd16(i) + b.simd16(i), zero), at: i); i += 16 }
            while i < r.upperBound { out[i] = max(a[i] + b[i], 0); i += 1 }
        }
    }
}
