import Core

/// The formula as three loops: `C[i][j] = Σ_p A[i][p] * B[p][j]`. Same contract as `gemm`.
package func gemmReference(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
    for i in 0 ..< m {
        for j in 0 ..< n {
            var sum: Float = 0
            for p in 0 ..< k {
                let aip = transA == .none ? a[i * lda + p] : a[p * lda + i]
                let bpj = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += aip * bpj
            }
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum
        }
    }
}
