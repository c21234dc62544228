import Core
import NeuralNet

extension Matrix {
    /// Column means of `x` (`rows x cols`), accumulated in `Double` so that thousands of
    /// rows of pixel values do not lose digits.
    public static func columnMeans(_ x: [Float], rows: Int, cols: Int) -> [Double] {
        contract(x.count == rows * cols && rows > 0, "x must be rows x cols")
        var mean = [Double](repeating: 0, count: cols)
        for r in 0 ..< rows {
            for c in 0 ..< cols { mean[c] += Double(x[r * cols + c]) }
        }
        for c in 0 ..< cols { mean[c] /= Double(rows) }
        return mean
    }

    /// The Gram matrix `G = xᵀ x` (`cols x cols`) of a centred `x` (`rows x cols`),
    /// so `G / (rows - 1)` is the sample covariance.
    ///
    /// Shape contract: `x.count == rows * cols`; the result is `cols x cols`, symmetric.
    /// Dispatches on `path`: `.reference` is the formula as three loops,
    /// `.optimized` the library's GEMM (`gramOptimized`).
    public static func gram(_ x: [Float], rows: Int, cols: Int, path: ComputePath = .current) -> [Float] {
        switch path {
        case .reference: return gramReference(x, rows: rows, cols: cols)
        case .optimized: return gramOptimized(x, rows: rows, cols: cols)
        }
    }

    /// `G[a][b] = Σ_r x[r][a] x[r][b]`, as written. Same contract as `gram`.
    public static func gramReference(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        contract(x.count == rows * cols, "x must be rows x cols")
        var g = [Float](repeating: 0, count: cols * cols)
        for a in 0 ..< cols {
            for b in a ..< cols {
                var sum: Float = 0
                for r in 0 ..< rows { sum += x[r * cols + a] * x[r * cols + b] }
                g[a * cols + b] = sum
                g[b * cols + a] = sum
            }
        }
        return g
    }

    /// Same result as `gramReference` (up to Float summation order), fast.
    ///
    /// `xᵀ x` is the library's GEMM with its first operand transposed (`gemmOptimized`:
    /// packed panels, register tiles, both cores), then mirrored from the upper triangle so
    /// that the result is exactly symmetric, as the eigensolvers assume.
    public static func gramOptimized(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        contract(x.count == rows * cols, "x must be rows x cols")
        var g = [Float](repeating: 0, count: cols * cols)
        x.withUnsafeBufferPointer { xb in
            g.withUnsafeMutableBufferPointer { gb in
                gemmOptimized(.transposed, .none, m: cols, n: cols, k: rows, a: xb.baseAddress!, lda: cols,
                              b: xb.baseAddress!, ldb: cols, c: gb.baseAddress!, ldc: cols)
            }
        }
        for a in 0 ..< cols {
            for b in a + 1 ..< cols { g[b * cols + a] = g[a * cols + b] }
        }
        return g
    }
}
