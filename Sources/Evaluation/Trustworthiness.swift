import Core

/// How far the `k` nearest neighbours in an embedding are true neighbours in the input
/// (Venna & Kaski 2001), exactly as scikit-learn's `sklearn.manifold.trustworthiness`:
///
///     T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k(i)} max(0, r(i, j) − k)
///
/// where `N_k(i)` are the `k` nearest neighbours of `i` in the embedding and `r(i, j)`
/// is the rank of `j` among `i`'s neighbours in the input (1 = nearest). 1 means every
/// embedded neighbour is among the `k` input neighbours; points pulled in from far away
/// cost in proportion to how far down the input ranking they sit.
///
/// Cost O(n² (d + k)) with SIMD distances, rows over the cores; equal distances rank by
/// index (scikit-learn leaves that order to its sort).
///
/// - Parameters:
///   - input: `rows x inputCols` row-major original data.
///   - embedding: `rows x embeddingCols` row-major embedding (e.g. a t-SNE map).
///   - k: neighbourhood size, `1 ≤ k < rows / 2` (5 by default, as scikit-learn).
/// - Returns: T(k) in [0, 1].
/// - Throws: `EmbeddingError` for mismatched shapes or a `k` out of range.
public func trustworthiness(input: [Float], inputCols: Int, embedding: [Float], embeddingCols: Int,
                            rows n: Int, k: Int = 5) throws -> Double {
    guard input.count == n * inputCols, embedding.count == n * embeddingCols else {
        throw EmbeddingError("trustworthiness: the input (\(input.count) values) and the embedding (\(embedding.count) values) must both have \(n) rows of \(inputCols) and \(embeddingCols) columns")
    }
    guard k >= 1, Double(k) < Double(n) / 2 else {
        throw EmbeddingError("trustworthiness: k = \(k) must be at least 1 and below half the \(n) points; use a smaller k")
    }
    let neighbours = TSNE.nearestNeighbours(embedding, rows: n, cols: embeddingCols, k: k).indices
    var penalty = [Int](repeating: 0, count: n)
    input.withUnsafeBufferPointer { xb in
        penalty.withUnsafeMutableBufferPointer { pb in
            let xp = xb.baseAddress!, pp = pb.baseAddress!
            Parallel.forChunks(n, minimumChunk: 16) { range in
                let row = UnsafeMutablePointer<Float>.allocate(capacity: n)
                defer { row.deallocate() }
                for i in range {
                    TSNE.squaredDistances(from: i, xp, rows: n, cols: inputCols, into: row)
                    var sum = 0
                    for m in 0 ..< k {
                        let j = Int(neighbours[i * k + m])
                        let dj = row[j]
                        // Rank of j among i's input neighbours: 1 + how many come before it.
                        var rank = 1
                        for l in 0 ..< n where l != i && l != j {
                            if row[l] < dj || (row[l] == dj && l < j) { rank += 1 }
                        }
                        sum += max(0, rank - k)
                    }
                    pp[i] = sum
                }
            }
        }
    }
    let total = Double(penalty.reduce(0, +))
    let nd = Double(n), kd = Double(k)
    return 1 - total * 2 / (nd * kd * (2 * nd - 3 * kd - 1))
}
