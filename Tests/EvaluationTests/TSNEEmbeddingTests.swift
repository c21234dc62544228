import Core
import Evaluation
import Foundation
import TestSupport
import XCTest

final class TSNEEmbeddingTests: XCTestCase {
    func testBothMethodsSeparateTenGaussianClusters() throws {
        // 10 well-separated clusters of 20 points in 50-D. Perplexity 10 keeps each
        // point's neighbourhood inside its cluster; at 30 (more than a cluster holds)
        // the KL of a good map is near 0.01 and relative comparisons mean little.
        let data = gaussianMixture(clusters: 10, perCluster: 20, cols: 50, separation: 3, seed: 20)
        let n = 200
        var maps: [TSNE.Method: TSNE.Result] = [:]
        for method in TSNE.Method.allCases {
            let result = try TSNE(method: method, perplexity: 10).embed(data.x, rows: n, cols: 50, seed: 0)
            maps[method] = result
            let accuracy = try TSNE.neighbourAccuracy(points: result.points, rows: n, cols: 2, labels: data.labels, k: 5)
            let trust = try trustworthiness(input: data.x, inputCols: 50, embedding: result.points, embeddingCols: 2,
                                            rows: n, k: 5)
            print("\(method): final KL \(result.finalKL), 5-NN accuracy \(accuracy), trustworthiness(5) \(trust), learning rate \(result.learningRate)")
            XCTAssertGreaterThanOrEqual(accuracy, 0.99)
            XCTAssertGreaterThan(trust, 0.9)
            XCTAssertEqual(result.history.map(\.iteration), Array(stride(from: 50, through: 1000, by: 50)))
            XCTAssertLessThan(result.history.last!.kl, result.history[4].kl, "KL falls after exaggeration")
        }
        // Compare the two maps under one yardstick: the exact P over all pairs.
        let dense = try TSNE.exactProbabilities(data.x, rows: n, cols: 50, perplexity: 10)
        let klReference = TSNE.klDivergence(dense, points: maps[.exact]!.points.map(Double.init))
        let klOptimized = TSNE.klDivergence(dense, points: maps[.barnesHut]!.points.map(Double.init))
        print("KL under the exact P: reference map \(klReference), Barnes-Hut map \(klOptimized)")
        XCTAssertEqual(klOptimized, klReference, accuracy: 0.1 * klReference)
        XCTAssertEqual(maps[.barnesHut]!.finalKL, maps[.exact]!.finalKL, accuracy: 0.1 * maps[.exact]!.finalKL)
    }

    func testSameSeedGivesTheSameMap() throws {
        let data = gaussianMixture(clusters: 3, perCluster: 20, cols: 10, separation: 2, seed: 21)
        var reports: [TSNE.Progress] = []
        let random = TSNE(method: .barnesHut, perplexity: 10, iterations: 300, initialization: .random)
        let a = try random.embed(data.x, rows: 60, cols: 10, seed: 7) { iteration, kl in
            reports.append(TSNE.Progress(iteration: iteration, kl: kl))
        }
        let b = try random.embed(data.x, rows: 60, cols: 10, seed: 7)
        let c = try random.embed(data.x, rows: 60, cols: 10, seed: 8)
        XCTAssertEqual(a.points, b.points, "same seed, same map")
        XCTAssertNotEqual(a.points, c.points, "another seed, another map")
        XCTAssertEqual(reports, a.history, "the progress callback sees the history")
        let pca = TSNE(method: .exact, perplexity: 10, iterations: 300)
        let d = try pca.embed(data.x, rows: 60, cols: 10, seed: 1)
        let e = try pca.embed(data.x, rows: 60, cols: 10, seed: 2)
        XCTAssertEqual(d.points, e.points, "PCA initialisation does not depend on the seed")
        print("300 iterations, N = 60: BH final KL \(a.finalKL) (seed 7), \(c.finalKL) (seed 8); exact \(d.finalKL)")
    }

    func testLearningRateAndInitialScale() throws {
        XCTAssertEqual(TSNE().resolvedLearningRate(points: 1000), 50)
        XCTAssertEqual(TSNE().resolvedLearningRate(points: 4800), 100)
        XCTAssertEqual(TSNE(learningRate: .fixed(200)).resolvedLearningRate(points: 10), 200)
        // Zero iterations return the initial map: PCA scaled so its first axis has std 1e-4.
        let data = gaussianMixture(clusters: 2, perCluster: 20, cols: 5, separation: 2, seed: 22)
        let start = try TSNE(perplexity: 5, iterations: 0).embed(data.x, rows: 40, cols: 5)
        let first = (0 ..< 40).map { Double(start.points[2 * $0]) }
        let mean = first.reduce(0, +) / 40
        let std = (first.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 40).squareRoot()
        XCTAssertEqual(std, 1e-4, accuracy: 1e-9)
        let pca = try PCA(data.x, rows: 40, cols: 5, components: 2)
        let ratio = Double(start.points[1]) / Double(pca.projected[1])
        XCTAssertEqual(ratio, Double(start.points[0]) / Double(pca.projected[0]), accuracy: abs(ratio) * 1e-4,
                       "both axes scaled by one factor")
    }
}
