import Core
import Foundation

extension TSNE {
    /// Joint input similarities over all pairs, for the exact (reference) path.
    public struct DenseProbabilities: Sendable {
        /// `N`, the number of points.
        public let count: Int
        /// `N x N` row-major `p_ij`, symmetric, zero diagonal, summing to 1.
        public let values: [Double]
        /// Entropy (nats) of each conditional row `p_{·|i}` after calibration.
        public let conditionalEntropies: [Double]
    }

    /// Joint input similarities over nearest-neighbour pairs, for the Barnes-Hut path.
    ///
    /// Compressed sparse rows; the pattern is symmetric (the union of both directions'
    /// neighbour lists), so row `i` holds every `p_ij` that is not zero.
    public struct SparseProbabilities: Sendable {
        /// `N`, the number of points.
        public let count: Int
        /// `N + 1` offsets: row `i` is `rowStart[i] ..< rowStart[i + 1]`.
        public let rowStart: [Int]
        /// Column of each stored value, ascending within a row.
        public let columns: [Int32]
        /// `p_ij` of each stored entry; all of them sum to 1.
        public let values: [Double]
        /// Entropy (nats) of each conditional row `p_{·|i}` over its neighbours.
        public let conditionalEntropies: [Double]
    }

    /// Finds the Gaussian precision `β` for one point so that the conditional
    /// distribution `p_{j|i} ∝ exp(−β d_ij)` over its candidates has entropy
    /// `log(perplexity)` within `tolerance`.
    ///
    /// It bisects on `β` (doubling or halving until the target is bracketed), as bhtsne's
    /// `computeGaussianPerplexity` and scikit-learn's `_binary_search_perplexity` do.
    /// Distances are shifted by their minimum before exponentiating; the normalised
    /// distribution and its entropy are unchanged, but far-apart data (raw pixels) no
    /// longer underflows to an all-zero row.
    ///
    /// - Parameters:
    ///   - distances: squared distances `d_ij` to the `count` candidates (not to itself).
    ///   - probabilities: receives the `count` conditional probabilities, summing to 1.
    /// - Returns: the precision found and the row's entropy in nats.
    public static func calibrateRow(distances: UnsafePointer<Double>, count: Int, perplexity: Double,
                                    tolerance: Double = 1e-5,
                                    into probabilities: UnsafeMutablePointer<Double>) -> (beta: Double, entropy: Double) {
        var minimum = Double.infinity
        for j in 0 ..< count { minimum = min(minimum, distances[j]) }
        let target = log(perplexity)
        var beta = 1.0, low = 0.0, high = Double.infinity
        var entropy = 0.0
        var bestBeta = beta, bestGap = Double.infinity
        for _ in 0 ..< 200 {
            entropy = rowEntropy(distances, count: count, shift: minimum, beta: beta, into: probabilities)
            let gap = entropy - target
            if abs(gap) < bestGap { bestGap = abs(gap); bestBeta = beta }
            if abs(gap) < tolerance { break }
            if gap > 0 {  // too flat: sharpen
                low = beta
                beta = high == .infinity ? beta * 2 : (beta + high) / 2
            } else {
                high = beta
                beta = (beta + low) / 2
            }
        }
        if bestBeta != beta || bestGap >= tolerance {
            // Out of iterations (a degenerate row): keep the best β seen.
            entropy = rowEntropy(distances, count: count, shift: minimum, beta: bestBeta, into: probabilities)
            beta = bestBeta
        }
        return (beta, entropy)
    }

    /// Fills `p` with `exp(−β (d − shift))` normalised, and returns its entropy
    /// `H = log Σ e_j + β Σ p_j (d_j − shift)`.
    private static func rowEntropy(_ d: UnsafePointer<Double>, count: Int, shift: Double, beta: Double,
                                   into p: UnsafeMutablePointer<Double>) -> Double {
        var sum = 0.0
        for j in 0 ..< count {
            p[j] = exp(-beta * (d[j] - shift))
            sum += p[j]
        }
        var weighted = 0.0
        for j in 0 ..< count {
            p[j] /= sum
            weighted += p[j] * (d[j] - shift)
        }
        return log(sum) + beta * weighted
    }

    /// Checks the shapes and the perplexity against the number of candidates per point.
    static func validate(_ x: [Float], rows: Int, cols: Int, perplexity: Double, candidates: Int) throws {
        guard x.count == rows * cols, cols >= 1 else {
            throw EmbeddingError("t-SNE: \(x.count) values is not \(rows) rows x \(cols) columns; pass the matrix's real shape")
        }
        guard perplexity > 0, perplexity < Double(candidates) else {
            throw EmbeddingError("t-SNE: perplexity \(perplexity) needs more than \(Int(perplexity.rounded(.up))) candidate neighbours per point but \(rows) points give \(candidates); lower the perplexity or embed more points")
        }
        guard x.allSatisfy({ $0.isFinite }) else {
            throw EmbeddingError("t-SNE: the input holds NaN or infinite values; clean the features first")
        }
    }

    /// `P` over all pairs: each row calibrated to `perplexity`, then
    /// `p_ij = (p_{j|i} + p_{i|j}) / 2N`.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major input (typically 50 PCA dimensions).
    ///   - perplexity: effective number of neighbours, below `rows − 1`.
    public static func exactProbabilities(_ x: [Float], rows n: Int, cols: Int,
                                          perplexity: Double) throws -> DenseProbabilities {
        try validate(x, rows: n, cols: cols, perplexity: perplexity, candidates: n - 1)
        var p = [Double](repeating: 0, count: n * n)
        var entropies = [Double](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xb in
            p.withUnsafeMutableBufferPointer { pb in
                entropies.withUnsafeMutableBufferPointer { eb in
                    let xp = xb.baseAddress!, pp = pb.baseAddress!, ep = eb.baseAddress!
                    Parallel.forChunks(n, minimumChunk: 16) { range in
                        let row = UnsafeMutablePointer<Float>.allocate(capacity: n)
                        let d = UnsafeMutablePointer<Double>.allocate(capacity: n)
                        let q = UnsafeMutablePointer<Double>.allocate(capacity: n)
                        defer { row.deallocate(); d.deallocate(); q.deallocate() }
                        for i in range {
                            squaredDistances(from: i, xp, rows: n, cols: cols, into: row)
                            var m = 0
                            for j in 0 ..< n where j != i { d[m] = Double(row[j]); m += 1 }
                            ep[i] = calibrateRow(distances: d, count: n - 1, perplexity: perplexity, into: q).entropy
                            m = 0
                            for j in 0 ..< n where j != i { pp[i * n + j] = q[m]; m += 1 }
                        }
                    }
                }
            }
        }
        let scale = 1 / (2 * Double(n))
        for i in 0 ..< n {
            for j in i + 1 ..< n {
                let s = (p[i * n + j] + p[j * n + i]) * scale
                p[i * n + j] = s
                p[j * n + i] = s
            }
        }
        return DenseProbabilities(count: n, values: p, conditionalEntropies: entropies)
    }

    /// `P` over nearest neighbours only.
    ///
    /// Each row is calibrated over its `neighbours` nearest points (bhtsne's
    /// ⌊3 · perplexity⌋ by default, capped at `rows − 1`), then symmetrised,
    /// `p_ij = (p_{j|i} + p_{i|j}) / 2N`, on the union pattern.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major input.
    ///   - perplexity: effective number of neighbours, below `neighbours`.
    ///   - neighbours: candidates per point; `nil` means `min(rows − 1, ⌊3 · perplexity⌋)`.
    public static func sparseProbabilities(_ x: [Float], rows n: Int, cols: Int, perplexity: Double,
                                           neighbours: Int? = nil) throws -> SparseProbabilities {
        let k = min(n - 1, neighbours ?? Int(3 * perplexity))
        try validate(x, rows: n, cols: cols, perplexity: perplexity, candidates: k)
        let knn = nearestNeighbours(x, rows: n, cols: cols, k: k)
        var conditional = [Double](repeating: 0, count: n * k)
        var entropies = [Double](repeating: 0, count: n)
        knn.squaredDistances.withUnsafeBufferPointer { db in
            conditional.withUnsafeMutableBufferPointer { cb in
                entropies.withUnsafeMutableBufferPointer { eb in
                    let dp = db.baseAddress!, cp = cb.baseAddress!, ep = eb.baseAddress!
                    Parallel.forChunks(n, minimumChunk: 64) { range in
                        let d = UnsafeMutablePointer<Double>.allocate(capacity: k)
                        defer { d.deallocate() }
                        for i in range {
                            for m in 0 ..< k { d[m] = Double(dp[i * k + m]) }
                            ep[i] = calibrateRow(distances: d, count: k, perplexity: perplexity,
                                                 into: cp + i * k).entropy
                        }
                    }
                }
            }
        }
        // Symmetrise: every directed entry (i, j, p_{j|i}) lands in rows i and j.
        var entries = [[(column: Int32, value: Double)]](repeating: [], count: n)
        let scale = 1 / (2 * Double(n))
        for i in 0 ..< n {
            for m in 0 ..< k {
                let j = Int(knn.indices[i * k + m]), v = conditional[i * k + m] * scale
                entries[i].append((Int32(j), v))
                entries[j].append((Int32(i), v))
            }
        }
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columns: [Int32] = []
        var values: [Double] = []
        columns.reserveCapacity(2 * n * k)
        values.reserveCapacity(2 * n * k)
        for i in 0 ..< n {
            let sorted = entries[i].sorted { $0.column < $1.column }
            var m = 0
            while m < sorted.count {
                var v = sorted[m].value
                var next = m + 1
                while next < sorted.count && sorted[next].column == sorted[m].column {
                    v += sorted[next].value
                    next += 1
                }
                columns.append(sorted[m].column)
                values.append(v)
                m = next
            }
            rowStart[i + 1] = columns.count
        }
        return SparseProbabilities(count: n, rowStart: rowStart, columns: columns, values: values,
                                   conditionalEntropies: entropies)
    }
}
