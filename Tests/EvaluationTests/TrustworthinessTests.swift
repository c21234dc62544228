import Core
import Evaluation
import Foundation
import XCTest

final class TrustworthinessTests: XCTestCase {
    /// scikit-learn's algorithm written out: full argsort of input distances, ranks,
    /// penalty on the embedding's k nearest neighbours.
    private func naiveTrustworthiness(_ x: [Float], _ d: Int, _ y: [Float], _ e: Int, _ n: Int, _ k: Int) -> Double {
        func dist(_ a: [Float], _ cols: Int, _ i: Int, _ j: Int) -> Float {
            (0 ..< cols).reduce(0) { $0 + (a[i * cols + $1] - a[j * cols + $1]) * (a[i * cols + $1] - a[j * cols + $1]) }
        }
        var t = 0
        for i in 0 ..< n {
            let inputOrder = (0 ..< n).filter { $0 != i }.sorted { dist(x, d, i, $0) < dist(x, d, i, $1) }
            var rank = [Int](repeating: 0, count: n)
            for (r, j) in inputOrder.enumerated() { rank[j] = r + 1 }
            let outputOrder = (0 ..< n).filter { $0 != i }.sorted { dist(y, e, i, $0) < dist(y, e, i, $1) }
            for j in outputOrder.prefix(k) { t += max(0, rank[j] - k) }
        }
        return 1 - Double(t) * 2 / (Double(n) * Double(k) * (2 * Double(n) - 3 * Double(k) - 1))
    }

    func testMatchesTheDefinition() throws {
        var g = SeededGenerator(seed: 30)
        let n = 40
        let x = (0 ..< n * 6).map { _ in Float(g.normal()) }
        var y = [Float](repeating: 0, count: n * 2)
        for i in 0 ..< n * 2 {
            let noise = Float(0.5 * g.normal())
            y[i] = x[(i / 2) * 6 + i % 2] + noise
        }
        for k in [1, 5, 12] {
            let fast = try trustworthiness(input: x, inputCols: 6, embedding: y, embeddingCols: 2, rows: n, k: k)
            let naive = naiveTrustworthiness(x, 6, y, 2, n, k)
            print("trustworthiness k=\(k): \(fast) (definition: \(naive))")
            XCTAssertEqual(fast, naive, accuracy: 1e-12)
        }
        let identity = try trustworthiness(input: x, inputCols: 6, embedding: x, embeddingCols: 6, rows: n)
        XCTAssertEqual(identity, 1)
        XCTAssertThrowsError(try trustworthiness(input: x, inputCols: 6, embedding: y, embeddingCols: 2, rows: n, k: 20)) { print($0) }
    }

    func testNeighbourAccuracyVotesWithTiesToTheNearest() throws {
        // Points on a line; labels chosen so that each vote is clear or tied.
        let points: [Float] = [0, 0, 1, 0, 2, 0, 10, 0, 11, 0, 12, 0]
        let labels = [0, 0, 0, 1, 1, 1]
        XCTAssertEqual(try TSNE.neighbourAccuracy(points: points, rows: 6, cols: 2, labels: labels, k: 2), 1)
        // Point 2 at x = 2: neighbours 1 (label 0) then 0 (label 0) → right; with the
        // labels of 0 and 1 swapped to 1/0 its 2-vote ties and goes to the nearest (1).
        let swapped = [1, 0, 0, 1, 1, 1]
        let accuracy = try TSNE.neighbourAccuracy(points: points, rows: 6, cols: 2, labels: swapped, k: 2)
        // 0: neighbours 1(0), 2(0) → 0 ≠ 1 wrong; 1: 0(1), 2(0) tie → nearest: 0 at distance 1
        // and 2 at distance 1, index order gives 0 → label 1 ≠ 0 wrong; 2: 1(0), 0(1) tie → 0 right;
        // 3, 4, 5 right.
        XCTAssertEqual(accuracy, 4.0 / 6.0, accuracy: 1e-12)
    }
}
