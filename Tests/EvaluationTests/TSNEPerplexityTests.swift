import Core
import Evaluation
import Foundation
import TestSupport
import XCTest

/// `clusters` Gaussian blobs of `perCluster` points in `cols` dimensions: centres drawn
/// with spread `separation`, points with unit spread around them. Labels are the blob index.
func gaussianMixture(clusters: Int, perCluster: Int, cols: Int, separation: Double,
                     seed: UInt64) -> (x: [Float], labels: [Int]) {
    var g = SeededGenerator(seed: seed)
    let centres = (0 ..< clusters * cols).map { _ in separation * g.normal() }
    var x: [Float] = []
    var labels: [Int] = []
    for c in 0 ..< clusters {
        for _ in 0 ..< perCluster {
            for d in 0 ..< cols { x.append(Float(centres[c * cols + d] + g.normal())) }
            labels.append(c)
        }
    }
    return (x, labels)
}

final class TSNEPerplexityTests: XCTestCase {
    func testExactRowsReachThePerplexityAndPIsAJointDistribution() throws {
        let data = gaussianMixture(clusters: 4, perCluster: 30, cols: 10, separation: 3, seed: 1)
        let n = 120
        for perplexity in [5.0, 30.0] {
            let p = try TSNE.exactProbabilities(data.x, rows: n, cols: 10, perplexity: perplexity)
            let worst = p.conditionalEntropies.map { abs($0 - log(perplexity)) }.max()!
            print("exact P, perplexity \(perplexity): worst |H_i − log(perplexity)| = \(worst)")
            XCTAssertLessThan(worst, 1e-5)
            var asymmetry = 0.0, total = 0.0
            for i in 0 ..< n {
                XCTAssertEqual(p.values[i * n + i], 0)
                for j in 0 ..< n {
                    asymmetry = max(asymmetry, abs(p.values[i * n + j] - p.values[j * n + i]))
                    total += p.values[i * n + j]
                }
            }
            print("exact P: max |p_ij − p_ji| = \(asymmetry), Σ p_ij = \(total)")
            XCTAssertEqual(asymmetry, 0)
            XCTAssertEqual(total, 1, accuracy: 1e-12)
        }
    }

    func testSparseRowsReachThePerplexityAndPIsSymmetric() throws {
        let data = gaussianMixture(clusters: 5, perCluster: 30, cols: 20, separation: 2, seed: 2)
        let n = 150, perplexity = 20.0
        let p = try TSNE.sparseProbabilities(data.x, rows: n, cols: 20, perplexity: perplexity)
        let worst = p.conditionalEntropies.map { abs($0 - log(perplexity)) }.max()!
        print("sparse P (60 neighbours), perplexity 20: worst |H_i − log(perplexity)| = \(worst)")
        XCTAssertLessThan(worst, 1e-5)
        var lookup: [Int: Double] = [:]
        for i in 0 ..< n {
            for e in p.rowStart[i] ..< p.rowStart[i + 1] {
                XCTAssertNotEqual(Int(p.columns[e]), i, "no self pairs")
                lookup[i * n + Int(p.columns[e])] = p.values[e]
            }
        }
        var asymmetry = 0.0
        for (key, v) in lookup {
            let i = key / n, j = key % n
            asymmetry = max(asymmetry, abs(v - (lookup[j * n + i] ?? -1)))
        }
        let total = p.values.reduce(0, +)
        print("sparse P: \(p.values.count) stored pairs, max |p_ij − p_ji| = \(asymmetry), Σ p_ij = \(total)")
        XCTAssertEqual(asymmetry, 0, accuracy: 1e-18)
        XCTAssertEqual(total, 1, accuracy: 1e-12)
    }

    func testSparseOverAllNeighboursEqualsExact() throws {
        let data = gaussianMixture(clusters: 3, perCluster: 20, cols: 8, separation: 2, seed: 3)
        let n = 60
        let dense = try TSNE.exactProbabilities(data.x, rows: n, cols: 8, perplexity: 10)
        let sparse = try TSNE.sparseProbabilities(data.x, rows: n, cols: 8, perplexity: 10, neighbours: n - 1)
        var expanded = [Float](repeating: 0, count: n * n)
        for i in 0 ..< n {
            for e in sparse.rowStart[i] ..< sparse.rowStart[i + 1] {
                expanded[i * n + Int(sparse.columns[e])] = Float(sparse.values[e])
            }
        }
        assertClose(expanded, dense.values.map(Float.init), rtol: 1e-6, atol: 1e-12,
                    "sparse P over N−1 neighbours vs exact P")
    }

    func testNeighboursAreExact() {
        var g = SeededGenerator(seed: 4)
        let n = 50, cols = 7
        let x = (0 ..< n * cols).map { _ in Float(g.normal()) }
        let knn = TSNE.nearestNeighbours(x, rows: n, cols: cols, k: 6)
        for i in 0 ..< n {
            let order = (0 ..< n).filter { $0 != i }.sorted { a, b in
                let da = (0 ..< cols).reduce(Float(0)) { $0 + (x[i * cols + $1] - x[a * cols + $1]) * (x[i * cols + $1] - x[a * cols + $1]) }
                let db = (0 ..< cols).reduce(Float(0)) { $0 + (x[i * cols + $1] - x[b * cols + $1]) * (x[i * cols + $1] - x[b * cols + $1]) }
                return da < db
            }
            XCTAssertEqual(knn.indices[i * 6 ..< i * 6 + 6].map(Int.init), Array(order.prefix(6)), "row \(i)")
        }
    }

    func testPerplexityTooLargeForTheDataThrows() {
        let data = gaussianMixture(clusters: 2, perCluster: 10, cols: 4, separation: 1, seed: 5)
        XCTAssertThrowsError(try TSNE.exactProbabilities(data.x, rows: 20, cols: 4, perplexity: 30)) { print($0) }
        XCTAssertThrowsError(try TSNE().embed(data.x, rows: 20, cols: 4)) { print($0) }
        var bad = data.x
        bad[3] = .nan
        XCTAssertThrowsError(try TSNE.sparseProbabilities(bad, rows: 20, cols: 4, perplexity: 5)) { print($0) }
    }
}
