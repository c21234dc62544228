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
        contract(test.cols == memory.cols, "KNNClassifier: \(test.cols)-d queries for \(memory.cols)-d memory")
        let queries = test.l2Normalized()
        let chunk = 256
        var scores = [Float](repeating: 0, count: test.rows * classes)
        let chunks = (test.rows + chunk - 1) / chunk
        scores.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
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
                    for r in 0 ..< count {
                        vote(similarities: similarities, row: r, scratch: &scratch, into: outBase + (first + r) * classes)
                    }
                }
            }
        }
        return ClassificationResult(scores: scores, labels: test.labels, classes: classes)
    }

    /// Adds the k largest similarities' weights to their classes' scores.
    private func vote(similarities: [Float], row: Int, scratch: inout [Float], into score: UnsafeMutablePointer<Float>) {
        let n = memory.rows, base = row * n
        for j in 0 ..< n { scratch[j] = similarities[base + j] }
        let threshold = KNNClassifier.kthLargest(&scratch, k)
        var taken = 0
        // Strictly above the threshold first, then ties, so exactly k neighbours vote.
        for j in 0 ..< n where similarities[base + j] > threshold {
            score[memory.labels[j]] += Foundation.exp(similarities[base + j] / temperature)
            taken += 1
        }
        for j in 0 ..< n where taken < k && similarities[base + j] == threshold {
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
