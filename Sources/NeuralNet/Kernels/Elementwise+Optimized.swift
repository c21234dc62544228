import Core

// 16 lanes at a time, the tail one by one, in chunks over the cores: the same values as
// the reference loops (each output depends on its own inputs only).

/// Same result as `reluForwardReference`.
package func reluForwardOptimized(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
        var i = r.lowerBound
        while i + 16 <= r.upperBound { y.store(clampedAtZero(x.simd16(i)), at: i); i += 16 }
        while i < r.upperBound { y[i] = max(x[i], 0); i += 1 }
    }
}

/// Same result as `reluBackwardReference`.
package func reluBackwardOptimized(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                  count: Int) {
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

/// Same result as `addReference`.
package func addOptimized(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                         count: Int) {
    Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
        var i = r.lowerBound
        while i + 16 <= r.upperBound { out.store(a.simd16(i) + b.simd16(i), at: i); i += 16 }
        while i < r.upperBound { out[i] = a[i] + b[i]; i += 1 }
    }
}

/// Same result as `addReLUReference`.
package func addReLUOptimized(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             count: Int) {
    Parallel.forChunks(count, minimumChunk: parallelThreshold) { r in
        var i = r.lowerBound
        while i + 16 <= r.upperBound { out.store(clampedAtZero(a.simd16(i) + b.simd16(i)), at: i); i += 16 }
        while i < r.upperBound { out[i] = max(a[i] + b[i], 0); i += 1 }
    }
}
