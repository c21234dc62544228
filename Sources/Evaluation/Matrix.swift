import Core

/// Small dense linear algebra for PCA and t-SNE, on plain row-major arrays.
///
/// A matrix here is a `[Float]` or `[Double]` with explicit `rows` and `cols`; element
/// `(r, c)` lives at `r * cols + c`. This namespace holds the few operations PCA needs:
/// the covariance product (`Matrix+Covariance.swift`), the eigen-decomposition of a small
/// symmetric matrix by cyclic Jacobi rotations (`Matrix+Jacobi.swift`) and the leading
/// eigenvectors of a large one by subspace iteration (`Matrix+SubspaceIteration.swift`).
public enum Matrix {
    /// Eigenvalues in descending order with their unit eigenvectors.
    public struct SymmetricEigen: Sendable {
        /// `count` eigenvalues, largest first.
        public let values: [Double]
        /// `count x n` row-major: row `i` is the unit eigenvector of `values[i]`.
        public let vectors: [Double]
        /// The matrix side `n`.
        public let dimension: Int
        public var count: Int { values.count }

        public init(values: [Double], vectors: [Double], dimension: Int) {
            contract(vectors.count == values.count * dimension, "one vector of length n per value")
            self.values = values
            self.vectors = vectors
            self.dimension = dimension
        }

        /// Row `i` of `vectors`.
        public func vector(_ i: Int) -> ArraySlice<Double> {
            vectors[i * dimension ..< (i + 1) * dimension]
        }

        /// Flips each eigenvector so that its entry of largest magnitude is positive
        /// (the first such entry on ties), as scikit-learn's `svd_flip` does for PCA
        /// components.
        ///
        /// An eigenvector's sign is arbitrary; fixing it makes PCA output
        /// deterministic across solvers and runs.
        public func withSignConvention() -> SymmetricEigen {
            var v = vectors
            let n = dimension
            for i in 0 ..< count {
                var best = 0
                for c in 1 ..< max(n, 1) where abs(v[i * n + c]) > abs(v[i * n + best]) { best = c }
                if v[i * n + best] < 0 {
                    for c in 0 ..< n { v[i * n + c] = -v[i * n + c] }
                }
            }
            return SymmetricEigen(values: values, vectors: v, dimension: n)
        }
    }

    /// Sorts eigenpairs by descending value; `vectors` holds eigenvector `j` in
    /// column `j` of an `n x n` row-major matrix (as Jacobi accumulates them).
    static func sortedDescending(values: [Double], columnVectors: [Double], n: Int, keep: Int) -> SymmetricEigen {
        // Ties keep index order, so the result does not depend on the sort algorithm.
        let order = (0 ..< n).sorted { a, b in
            values[a] != values[b] ? values[a] > values[b] : a < b
        }
        let k = min(keep, n)
        var outValues = [Double](repeating: 0, count: k)
        var outVectors = [Double](repeating: 0, count: k * n)
        for (i, j) in order.prefix(k).enumerated() {
            outValues[i] = values[j]
            for r in 0 ..< n { outVectors[i * n + r] = columnVectors[r * n + j] }
        }
        return SymmetricEigen(values: outValues, vectors: outVectors, dimension: n)
    }
}
