import Core
import NeuralNet

extension Matrix {
    /// The `k` leading eigenpairs of a large symmetric `n x n` matrix by subspace
    /// iteration with Rayleigh–Ritz projection (Saad, "Numerical Methods for Large
    /// Eigenvalue Problems", §5.2; Golub & Van Loan §8.2.4).
    ///
    /// A block of `p > k` orthonormal vectors is multiplied by the matrix and
    /// re-orthonormalised; each round the block's span turns towards the leading
    /// eigenvectors by a factor λ_{p+1}/λ_i. The small `p x p` projected matrix
    /// `Vᵀ A V` is solved exactly by Jacobi, and iteration stops once every wanted Ritz
    /// pair has a residual `‖A u − θ u‖ ≤ tolerance · θ₁`. The `n x n x p` product (the
    /// only expensive step) runs in `Float` with SIMD over both cores; projections and
    /// orthonormalisation run in `Double`.
    ///
    /// - Parameters:
    ///   - a: `n x n` row-major symmetric matrix (e.g. a covariance).
    ///   - n: the side.
    ///   - k: how many leading eigenpairs to return, `1 ... n`.
    ///   - tolerance: relative residual at which a Ritz pair counts as converged.
    ///   - maxIterations: upper bound on rounds; the best pairs so far are returned then.
    /// - Returns: the `k` largest eigenvalues (descending) with unit eigenvectors as rows.
    public static func symmetricEigenSubspace(_ a: [Float], n: Int, k: Int, tolerance: Double = 1e-5,
                                              maxIterations: Int = 500) -> SymmetricEigen {
        contract(a.count == n * n && k >= 1 && k <= n, "a must be n x n and 1 <= k <= n")
        // Oversampling speeds convergence (rate λ_{p+1}/λ_k); a multiple of 16 fills SIMD lanes.
        let p = min(n, (k + max(16, k / 2) + 15) / 16 * 16)
        var generator = SeededGenerator(seed: 0x5EED_0F_E16E)
        var v = (0 ..< n * p).map { _ in generator.normal() }
        orthonormalizeColumns(&v, rows: n, cols: p, generator: &generator)
        var best = SymmetricEigen(values: [Double](repeating: 0, count: k),
                                  vectors: [Double](repeating: 0, count: k * n), dimension: n)
        for _ in 0 ..< maxIterations {
            let w = multiply(a, n: n, by: v, cols: p)
            // Rayleigh–Ritz: H = Vᵀ W, H = S Θ Sᵀ, Ritz vectors U = V S.
            var h = [Double](repeating: 0, count: p * p)
            for r in 0 ..< n {
                for i in 0 ..< p {
                    let vri = v[r * p + i]
                    for j in 0 ..< p { h[i * p + j] += vri * w[r * p + j] }
                }
            }
            let ritz = symmetricEigenJacobi(h, n: p)
            // Sᵀ with Ritz vector i in column i, so the inner loops below run over
            // contiguous memory and vectorise.
            var st = [Double](repeating: 0, count: p * p)
            for i in 0 ..< p {
                for l in 0 ..< p { st[l * p + i] = ritz.vectors[i * p + l] }
            }
            var u = [Double](repeating: 0, count: n * p)   // V S, n x p
            var au = [Double](repeating: 0, count: n * p)  // W S = A V S, n x p
            for r in 0 ..< n {
                for l in 0 ..< p {
                    let vrl = v[r * p + l], wrl = w[r * p + l]
                    for i in 0 ..< p {
                        u[r * p + i] += vrl * st[l * p + i]
                        au[r * p + i] += wrl * st[l * p + i]
                    }
                }
            }
            var worst = 0.0
            let scale = max(abs(ritz.values[0]), Double.leastNormalMagnitude)
            for i in 0 ..< k {
                var norm = 0.0
                for r in 0 ..< n {
                    let e = au[r * p + i] - ritz.values[i] * u[r * p + i]
                    norm += e * e
                }
                worst = max(worst, norm.squareRoot() / scale)
            }
            var vectors = [Double](repeating: 0, count: k * n)
            for i in 0 ..< k {
                for r in 0 ..< n { vectors[i * n + r] = u[r * p + i] }
            }
            best = SymmetricEigen(values: Array(ritz.values.prefix(k)), vectors: vectors, dimension: n)
            if worst <= tolerance || p == n { break }
            v = au
            orthonormalizeColumns(&v, rows: n, cols: p, generator: &generator)
        }
        return best
    }

    /// `A V` for a symmetric `n x n` Float matrix and an `n x p` Double block, in Float:
    /// the library's GEMM (`gemmOptimized`) on a Float copy of the block.
    static func multiply(_ a: [Float], n: Int, by v: [Double], cols p: Int) -> [Double] {
        let vf = v.map(Float.init)
        var wf = [Float](repeating: 0, count: n * p)
        a.withUnsafeBufferPointer { ab in
            vf.withUnsafeBufferPointer { vb in
                wf.withUnsafeMutableBufferPointer { wb in
                    gemmOptimized(.none, .none, m: n, n: p, k: n, a: ab.baseAddress!, lda: n,
                                  b: vb.baseAddress!, ldb: p, c: wb.baseAddress!, ldc: p)
                }
            }
        }
        return wf.map(Double.init)
    }

    /// Orthonormalises the columns of `v` (`rows x cols`, row-major) by modified
    /// Gram–Schmidt applied twice ("twice is enough", Giraud et al. 2005). A column that
    /// vanishes (the block lost rank) is replaced by a fresh random direction.
    static func orthonormalizeColumns(_ v: inout [Double], rows: Int, cols: Int,
                                      generator: inout SeededGenerator) {
        // Work on the transpose so that every column is contiguous.
        var t = [Double](repeating: 0, count: rows * cols)
        for r in 0 ..< rows {
            for c in 0 ..< cols { t[c * rows + r] = v[r * cols + c] }
        }
        t.withUnsafeMutableBufferPointer { tb in
            let base = tb.baseAddress!
            for j in 0 ..< cols {
                let column = base + j * rows
                var original = dotProduct(column, column, count: rows)
                var attempts = 0
                while true {
                    for _ in 0 ..< 2 {
                        for i in 0 ..< j {
                            let previous = base + i * rows
                            let d = dotProduct(previous, column, count: rows)
                            for r in 0 ..< rows { column[r] -= d * previous[r] }
                        }
                    }
                    let norm = dotProduct(column, column, count: rows)
                    if (norm > 0 && norm > 1e-20 * original) || attempts >= 3 {
                        let inv = norm > 0 ? 1 / norm.squareRoot() : 0
                        for r in 0 ..< rows { column[r] *= inv }
                        break
                    }
                    attempts += 1
                    for r in 0 ..< rows { column[r] = generator.normal() }
                    original = dotProduct(column, column, count: rows)
                }
            }
        }
        for r in 0 ..< rows {
            for c in 0 ..< cols { v[r * cols + c] = t[c * rows + r] }
        }
    }
}

/// `Σ a[i] b[i]` with eight partial sums in one vector register.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
    var acc = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Double>.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Double>.self)
        acc += x * y
        i += 8
    }
    var sum = acc.sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

@inline(__always)
private func dotProduct(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, count: Int) -> Double {
    dotProduct(UnsafePointer(a), UnsafePointer(b), count: count)
}
