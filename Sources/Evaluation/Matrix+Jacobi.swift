import Core

extension Matrix {
    /// All eigenpairs of a symmetric `n x n` matrix by cyclic Jacobi rotations
    /// (Golub & Van Loan, "Matrix Computations", §8.5).
    ///
    /// Each rotation zeroes one off-diagonal pair, and sweeps repeat until the off-diagonal
    /// mass is negligible next to the whole matrix. Slow for large `n` (about 3n³ flops a
    /// sweep, some ten sweeps) but simple and accurate to machine precision, which is what
    /// the small projected problems of subspace iteration and low-dimensional PCA need.
    ///
    /// - Parameters:
    ///   - a: `n x n` row-major, symmetric (only its symmetric part is used).
    ///   - n: the side.
    ///   - keep: how many leading eigenpairs to return (all by default).
    /// - Returns: eigenvalues in descending order and their unit eigenvectors as rows.
    public static func symmetricEigenJacobi(_ a: [Double], n: Int, keep: Int? = nil) -> SymmetricEigen {
        contract(a.count == n * n, "a must be n x n")
        var m = a
        // Symmetrise so that rounding in the caller's product cannot bias the result.
        for i in 0 ..< n {
            for j in i + 1 ..< n {
                let s = 0.5 * (m[i * n + j] + m[j * n + i])
                m[i * n + j] = s
                m[j * n + i] = s
            }
        }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { v[i * n + i] = 1 }
        var total = 0.0
        for x in m { total += x * x }
        let tolerance = total * 1e-30  // (1e-15 ‖A‖_F)²: off-diagonal at rounding level
        for _ in 0 ..< 100 {
            var off = 0.0
            for i in 0 ..< n {
                for j in 0 ..< n where j != i { off += m[i * n + j] * m[i * n + j] }
            }
            if off <= tolerance { break }
            for p in 0 ..< n {
                for q in p + 1 ..< n {
                    let apq = m[p * n + q]
                    if apq == 0 { continue }
                    // The rotation angle that zeroes (p, q); t is the smaller root of
                    // t² + 2θt − 1 = 0, which keeps the rotation below 45°.
                    let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0 ..< n {
                        let akp = m[k * n + p], akq = m[k * n + q]
                        m[k * n + p] = c * akp - s * akq
                        m[k * n + q] = s * akp + c * akq
                    }
                    for k in 0 ..< n {
                        let apk = m[p * n + k], aqk = m[q * n + k]
                        m[p * n + k] = c * apk - s * aqk
                        m[q * n + k] = s * apk + c * aqk
                    }
                    m[p * n + q] = 0
                    m[q * n + p] = 0
                    for k in 0 ..< n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let values = (0 ..< n).map { m[$0 * n + $0] }
        return sortedDescending(values: values, columnVectors: v, n: n, keep: keep ?? n)
    }
}
