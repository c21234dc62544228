import Core

/// Fully connected layer: `y[n, o] = Σ_i x[n, i] · w[o, i] + b[o]`, i.e. `y = x·wᵀ + b`.
/// Shapes: `x` `[batch, inFeatures]`, `w` `[outFeatures, inFeatures]` (PyTorch's layout),
/// `b` `[outFeatures]` or nil, `y` `[batch, outFeatures]` (overwritten).
package func linearForward(batch: Int, inFeatures: Int, outFeatures: Int, x: UnsafePointer<Float>,
                          w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
    gemm(.none, .transposed, m: batch, n: outFeatures, k: inFeatures, a: x, lda: inFeatures,
         b: w, ldb: inFeatures, c: y, ldc: outFeatures)
    if let b {
        for n in 0 ..< batch {
            for o in 0 ..< outFeatures { y[n * outFeatures + o] += b[o] }
        }
    }
}

/// Backward of `linearForward`: `dx = dy·w`, `dw = dyᵀ·x`, `db = Σ_n dy`.
/// Shapes: `dy` `[batch, outFeatures]`; `dx` `[batch, inFeatures]` (overwritten; nil to
/// skip, e.g. for the first layer); `dw` `[outFeatures, inFeatures]` and `db`
/// `[outFeatures]` are added to when `accumulate` is true, overwritten otherwise.
package func linearBackward(batch: Int, inFeatures: Int, outFeatures: Int, x: UnsafePointer<Float>,
                           w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?,
                           dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, accumulate: Bool = false) {
    if let dx {
        gemm(.none, .none, m: batch, n: inFeatures, k: outFeatures, a: dy, lda: outFeatures,
             b: w, ldb: inFeatures, c: dx, ldc: inFeatures)
    }
    gemm(.transposed, .none, m: outFeatures, n: inFeatures, k: batch, a: dy, lda: outFeatures,
         b: x, ldb: inFeatures, c: dw, ldc: inFeatures, accumulate: accumulate)
    if let db {
        for o in 0 ..< outFeatures {
            var sum: Float = 0
            for n in 0 ..< batch { sum += dy[n * outFeatures + o] }
            db[o] = accumulate ? db[o] + sum : sum
        }
    }
}
