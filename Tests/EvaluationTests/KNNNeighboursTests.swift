import Core
import Evaluation
import TestSupport
import XCTest

/// `KNNClassifier.neighbours` returns what a brute-force cosine search returns: the same
/// indices in the same order, with and without the query itself in the memory.
final class KNNNeighboursTests: XCTestCase {
    /// Cosine similarity in Double, one pair at a time: the plain formula.
    private func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    private func features(rows: Int, cols: Int, seed: UInt64) -> FeatureSet {
        var g = SeededGenerator(seed: seed)
        return FeatureSet(rows: rows, cols: cols, values: (0 ..< rows * cols).map { _ in Float(g.normal()) },
                          labels: (0 ..< rows).map { $0 % 3 })
    }

    func testNeighboursEqualABruteForceSearch() {
        // 300 queries: more than one 256-query chunk, so both chunks and both cores are used.
        let memory = features(rows: 257, cols: 7, seed: 1), queries = features(rows: 300, cols: 7, seed: 2)
        let knn = KNNClassifier(training: memory, classes: 3, k: 5)
        let found = knn.neighbours(of: queries, count: 8)
        var checked = 0
        for q in 0 ..< queries.rows {
            let query = queries.values[q * 7 ..< (q + 1) * 7]
            var ranked: [(similarity: Double, index: Int)] = []
            for m in 0 ..< memory.rows {
                ranked.append((cosine(query, memory.values[m * 7 ..< (m + 1) * 7]), m))
            }
            ranked.sort { $0.similarity > $1.similarity }
            // Float and Double may order two nearly equal similarities differently: only
            // queries whose first nine similarities are all more than 1e-5 apart are compared.
            let gaps = (0 ..< 8).map { ranked[$0].similarity - ranked[$0 + 1].similarity }
            if gaps.allSatisfy({ $0 > 1e-5 }) {
                XCTAssertEqual(found[q], ranked.prefix(8).map { $0.index }, "query \(q)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 250, "most queries have no near-ties")
    }

    func testExcludingSelfLeavesTheQueryOut() {
        let set = features(rows: 40, cols: 5, seed: 3)
        let knn = KNNClassifier(training: set, classes: 3, k: 5)
        let with = knn.neighbours(of: set, count: 4), without = knn.neighbours(of: set, count: 4, excludingSelf: true)
        for i in 0 ..< set.rows {
            XCTAssertEqual(with[i].first, i, "a point is its own nearest neighbour")
            XCTAssertFalse(without[i].contains(i))
            XCTAssertEqual(Array(with[i].dropFirst()), Array(without[i].prefix(3)))
        }
    }
}
