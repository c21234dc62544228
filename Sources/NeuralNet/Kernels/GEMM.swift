import Core

/// Whether a GEMM operand is used as stored or transposed.
package enum Transpose: Sendable {
    case none
    case transposed
}

/// General matrix multiply on row-major matrices:
/// `C[m x n] = op(A)[m x k] * op(B)[k x n]`, or `C += ...` when `accumulate` is true.
///
/// Shape contract: `op(A)` is `m x k`. Stored A is `m x k` with row stride `lda` when
/// `transA == .none`, or `k x m` with row stride `lda` when transposed; likewise B is
/// `k x n` (or `n x k` transposed) with row stride `ldb`; C is `m x n` with row stride `ldc`.
/// Backward passes need the transposes: `dX = dY * W` and `dW = dYᵀ * X` for a linear layer.
///
/// Dispatches to `gemmReference` or `gemmOptimized` according to `ComputePath.current`.
package func gemm(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
    switch ComputePath.current {
    case .reference:
        gemmReference(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                      c: c, ldc: ldc, accumulate: accumulate)
    case .optimized:
        gemmOptimized(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                      c: c, ldc: ldc, accumulate: accumulate)
    }
}
