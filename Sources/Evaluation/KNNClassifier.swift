import Core
import Foundation
import NeuralNet

/// The weighted k-nearest-neighbour classifier used to monitor self-supervised training
/// (Wu et al. 2018, as in SimCLR and MoCo code).
///
/// Features are L2-normalised, each test point takes its k most cosine-similar training
/// points, and each neighbour votes for its class with weight `exp(similarity / τ)`. No
/// training, no hyper-parameters learned: a quick reading of how well the representation
/// groups classes.
public struct KNNClassifier: Sendable {
    public let k: Int
    public let temperature: Float
    private let memory: FeatureSet
    public let classes: Int

    public init(training: FeatureSet, classes: Int, k: Int = 200, temperature: Float = 0.1) {
        contract(k > 0, "KNNClassifier: k must be positive")
        self.memory = training.l2Normalized()
        self.classes = classes
        self.k = min(k, training.rows)
        self.temperature = temperature
    }

    /// Class scores (summed vote weights) for every row of `test`, then accuracy.
    public func evaluate(_ test: FeatureSet) -> ClassificationResult {
        var scores = [Float](repeating: 0, count: test.rows * classes)
        scores.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            forEachSimilarityRow(of: test) { row, similarities, scratch in
                vote(similarities: similarities, scratch: &scratch, into: outBase + row * classes)
            }
        }
        return ClassificationResult(scores: scores, labels: test.labels, classes: classes)
    }

    /// The `count` most cosine-similar memory rows of every row of `queries`: the neighbours
    /// whose classes `evaluate` lets vote, found by the same similarity products.
    ///
    /// - Parameters:
    ///   - queries: `rows x cols` features, `cols` equal to the memory's.
    ///   - count: neighbours per query (at most the memory's rows, one fewer with `excludingSelf`).
    ///   - excludingSelf: when `queries` is the memory itself, leaves query i out of its own list.
    /// - Returns: for each query, memory row indices, most similar first (equal similarities:
    ///   the lower index first).
    public func neighbours(of queries: FeatureSet, count: Int, excludingSelf: Bool = false) -> [[Int]] {
        let available = memory.rows - (excludingSelf ? 1 : 0)
        contract(count > 0 && count <= available, "KNNClassifier.neighbours: \(count) neighbours of \(available) candidates")
        var flat = [Int](repeating: 0, count: queries.rows * count)
        flat.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            forEachSimilarityRow(of: queries) { row, similarities, _ in
                // Insertion into a short sorted list: k is small (5-20) against thousands of candidates.
                var best: [(similarity: Float, index: Int)] = []
                best.reserveCapacity(count + 1)
                for j in 0 ..< similarities.count where !(excludingSelf && j == row) {
                    let s = similarities[j]
                    if best.count == count, let last = best.last, s <= last.similarity { continue }
                    var at = best.count
                    while at > 0 && best[at - 1].similarity < s { at -= 1 }
                    best.insert((s, j), at: at)
                    if best.count > count { best.removeLast() }
                }
                for (i, b) in best.enumerated() { outBase[row * count + i] = b.index }
            }
        }
        return (0 ..< queries.rows).map { Array(flat[$0 * count ..< ($0 + 1) * count]) }
    }

    /// Calls `body` with every query row's cosine similarities to all memory rows (one
    /// `gemmSingleThread` per chunk of 256 queries, chunks split over the cores), and a
    /// scratch buffer of the memory's size for the body's own use.
    private func forEachSimilarityRow(
        of test: FeatureSet,
        _ body: (_ row: Int, _ similarities: UnsafeBufferPointer<Float>, _ scratch: inout [Float]) -> Void
    ) {
        contract(test.cols == memory.cols, "KNNClassifier: \(test.cols)-d queries for \(memory.cols)-d memory")
        let queries = test.l2Normalized()
        let chunk = 256
        let chunks = (test.rows + chunk - 1) / chunk
        // Chunks are split over the cores; each works in its own similarity buffer.
        Parallel.forChunks(chunks) { mine in
            var similarities = [Float](repeating: 0, count: chunk * memory.rows)
            var scratch = [Float](repeating: 0, count: memory.rows)
            for c in mine {
                let first = c * chunk, count = min(chunk, test.rows - first)
                queries.values.withUnsafeBufferPointer { q in
                    memory.values.withUnsafeBufferPointer { m in
                        gemmSingleThread(.none, .transposed, m: count, n: memory.rows, k: memory.cols,
                                         a: q.baseAddress! + first * memory.cols, lda: memory.cols,
                                         b: m.baseAddress!, ldb: memory.cols,
                                         c: &similarities, ldc: memory.rows, accumulate: false)
                    }
                }
                similarities.withUnsafeBufferPointer { all in
                    for r in 0 ..< count {
                        body(first + r, UnsafeBufferPointer(rebasing: all[r * memory.rows ..< (r + 1) * memory.rows]), &scratch)
                    }
                }
            }
        }
    }

    /// Adds the k largest similarities' weights to their classes' scores.
    private func vote(similarities: UnsafeBufferPointer<Float>, scratch: inout [Float], into score: UnsafeMutablePointer<Float>) {
        let n = memory.rows
        for j in 0 ..< n { scratch[j] = similarities[j] }
        let threshold = KNNClassifier.kthLargest(&scratch, k)
        var taken = 0
        // Strictly above the threshold first, then ties, so exactly k neighbours vote.
        for j in 0 ..< n where similarities[j] > threshold {
            score[memory.labels[j]] += Foundation.exp(similarities[j] / temperature)
            taken += 1
        }
        for j in 0 ..< n where taken < k && similarities[j] == threshold {
            score[memory.labels[j]] += Foundation.exp(threshold / temperature)
            taken += 1
        }
    }

    /// `kthLargest`, visible to tests.
    package static func kthLargestForTesting(_ values: inout [Float], _ k: Int) -> Float { kthLargest(&values, k) }

    /// The k-th largest value (Hoare's quickselect; reorders `values`).
    static func kthLargest(_ values: inout [Float], _ k: Int) -> Float {
        var lo = 0, hi = values.count - 1
        let target = k - 1
        while lo < hi {
            let pivot = values[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while values[i] > pivot { i += 1 }
                while values[j] < pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { hi = j } else if target >= i { lo = i } else { break }
        }
        return values[target]
    }
}
