import Core

/// Principal component analysis: the directions of largest variance of a data set, and
/// the data expressed in the leading `k` of them.
///
/// Lesson 6 uses it twice: to bring raw pixels (3,072-d) or features (128–512-d) down to
/// 50 dimensions before t-SNE, as van der Maaten's bhtsne and common practice do, and to
/// initialise the t-SNE map from the first two components, as scikit-learn's
/// `init='pca'` does.
///
/// Method: centre the columns, form the sample covariance `C = Xcᵀ Xc / (n − 1)` with
/// `Matrix.gram` (SIMD over both cores on the optimized path), then take its leading
/// eigenpairs — by Jacobi when the matrix is small (`d ≤ 2p`, with `p ≈ 1.5 k` the
/// working block), else by subspace iteration, which only multiplies `C` by a `d x p`
/// block. Each component's sign is fixed so that its largest-magnitude entry is positive
/// (scikit-learn's `svd_flip` convention), which makes the output deterministic.
public struct PCA: Sendable {
    /// `d`, the number of input columns.
    public let inputDimensions: Int
    /// `k`, the number of components kept.
    public let componentCount: Int
    /// Column means of the fitted data (`d`).
    public let mean: [Float]
    /// `k x d` row-major, unit rows, by decreasing variance.
    public let components: [Float]
    /// Variance along each component (`k` eigenvalues of the covariance, divisor `n − 1`).
    public let explainedVariance: [Double]
    /// `explainedVariance / totalVariance`: the share of all variance each component holds.
    public let explainedVarianceRatio: [Double]
    /// Sum of the column variances (the trace of the covariance).
    public let totalVariance: Double
    /// The fitted data in component coordinates, `rows x k` row-major.
    public let projected: [Float]

    /// Fits the components of `x` and projects it.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major data, one sample per row.
    ///   - rows: number of samples, at least 2.
    ///   - cols: number of features `d`.
    ///   - components: `k`, between 1 and `cols` (50 by default, bhtsne's choice).
    ///   - path: `.reference` forms the covariance with plain loops, `.optimized` with
    ///     the SIMD kernel; the eigen-solver is the same.
    /// - Throws: `EmbeddingError` when the shapes do not allow `k` components.
    public init(_ x: [Float], rows: Int, cols: Int, components wanted: Int = 50,
                path: ComputePath = .current) throws {
        guard x.count == rows * cols else {
            throw EmbeddingError("PCA: \(x.count) values is not \(rows) rows x \(cols) columns; pass the matrix's real shape")
        }
        guard rows >= 2 else {
            throw EmbeddingError("PCA: needs at least 2 samples to measure variance, got \(rows)")
        }
        guard wanted >= 1 && wanted <= cols else {
            throw EmbeddingError("PCA: cannot keep \(wanted) components of \(cols)-dimensional data; ask for 1 to \(cols)")
        }
        let k = wanted
        let meanD = Matrix.columnMeans(x, rows: rows, cols: cols)
        var centred = [Float](repeating: 0, count: rows * cols)
        var total = 0.0
        for r in 0 ..< rows {
            for c in 0 ..< cols {
                let v = Double(x[r * cols + c]) - meanD[c]
                centred[r * cols + c] = Float(v)
                total += v * v
            }
        }
        let divisor = Float(rows - 1)
        var covariance = Matrix.gram(centred, rows: rows, cols: cols, path: path)
        for i in 0 ..< covariance.count { covariance[i] /= divisor }

        let p = min(cols, (k + max(16, k / 2) + 15) / 16 * 16)
        let eigen: Matrix.SymmetricEigen
        if 2 * p >= cols {
            eigen = Matrix.symmetricEigenJacobi(covariance.map(Double.init), n: cols, keep: k)
        } else {
            eigen = Matrix.symmetricEigenSubspace(covariance, n: cols, k: k)
        }
        let signed = eigen.withSignConvention()

        inputDimensions = cols
        componentCount = k
        mean = meanD.map { Float($0) }
        components = signed.vectors.map { Float($0) }
        // Rounding can leave the eigenvalues of a rank-deficient covariance slightly
        // negative; a variance cannot be.
        explainedVariance = signed.values.map { max(0, $0) }
        totalVariance = total / Double(rows - 1)
        let totalVar = totalVariance
        explainedVarianceRatio = explainedVariance.map { totalVar > 0 ? $0 / totalVar : 0 }
        projected = PCA.project(centred, rows: rows, cols: cols, components: self.components, k: k)
    }

    /// Projects new data onto the fitted components.
    ///
    /// - Parameters:
    ///   - x: `rows x inputDimensions` row-major.
    ///   - rows: number of samples.
    /// - Returns: `rows x componentCount` row-major.
    public func transform(_ x: [Float], rows: Int) -> [Float] {
        contract(x.count == rows * inputDimensions, "x must be rows x inputDimensions")
        var centred = x
        for r in 0 ..< rows {
            for c in 0 ..< inputDimensions { centred[r * inputDimensions + c] -= mean[c] }
        }
        return PCA.project(centred, rows: rows, cols: inputDimensions, components: components, k: componentCount)
    }

    /// `centred · componentsᵀ`, one SIMD dot product per output value, rows over the cores.
    static func project(_ centred: [Float], rows: Int, cols: Int, components: [Float], k: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * k)
        centred.withUnsafeBufferPointer { xb in
            components.withUnsafeBufferPointer { cb in
                out.withUnsafeMutableBufferPointer { ob in
                    let xp = xb.baseAddress!, cp = cb.baseAddress!, op = ob.baseAddress!
                    Parallel.forChunks(rows, minimumChunk: 64) { range in
                        for r in range {
                            for i in 0 ..< k {
                                op[r * k + i] = dotProduct(xp + r * cols, cp + i * cols, count: cols)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// `Σ a[i] b[i]` over Float vectors with sixteen partial sums in one register.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        acc += a.simd16(i) * b.simd16(i)
        i += 16
    }
    var sum = acc.laneSum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}
