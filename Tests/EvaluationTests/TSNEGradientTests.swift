import Core
import Evaluation
import Foundation
import TestSupport
import XCTest

final class TSNEGradientTests: XCTestCase {
    /// A random map with coordinates of the given spread, `n x 2`.
    private func randomMap(_ n: Int, spread: Double, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0 ..< 2 * n).map { _ in spread * g.normal() }
    }

    func testExactGradientMatchesFiniteDifferencesOfKL() throws {
        let data = gaussianMixture(clusters: 2, perCluster: 4, cols: 3, separation: 2, seed: 10)
        let p = try TSNE.exactProbabilities(data.x, rows: 8, cols: 3, perplexity: 3)
        let y = randomMap(8, spread: 1, seed: 11)
        let analytic = TSNE.exactGradient(p, points: y).gradient
        var numeric = [Double](repeating: 0, count: 16)
        let h = 1e-6
        for k in 0 ..< 16 {
            var plus = y, minus = y
            plus[k] += h
            minus[k] -= h
            numeric[k] = (TSNE.klDivergence(p, points: plus) - TSNE.klDivergence(p, points: minus)) / (2 * h)
        }
        assertClose(analytic.map(Float.init), numeric.map(Float.init), rtol: 1e-5, atol: 1e-7,
                    "exact t-SNE gradient vs central differences of KL (N = 8)")
    }

    func testBarnesHutWithThetaZeroIsExact() throws {
        let n = 60
        let data = gaussianMixture(clusters: 3, perCluster: 20, cols: 6, separation: 2, seed: 12)
        let dense = try TSNE.exactProbabilities(data.x, rows: n, cols: 6, perplexity: 10)
        let sparse = try TSNE.sparseProbabilities(data.x, rows: n, cols: 6, perplexity: 10, neighbours: n - 1)
        let y = randomMap(n, spread: 5, seed: 13)
        for alpha in [1.0, 12.0] {
            let exact = TSNE.exactGradient(dense, points: y, exaggeration: alpha, computeKL: true)
            let bh = TSNE.barnesHutGradient(sparse, points: y, theta: 0, exaggeration: alpha, computeKL: true)
            assertClose(bh.gradient.map(Float.init), exact.gradient.map(Float.init), rtol: 1e-6, atol: 1e-9,
                        "Barnes-Hut (θ = 0) vs exact gradient, exaggeration \(alpha)")
            XCTAssertEqual(bh.kl!, exact.kl!, accuracy: 1e-9 * exact.kl!)
        }
        XCTAssertEqual(TSNE.klDivergence(sparse, points: y), TSNE.klDivergence(dense, points: y), accuracy: 1e-9)
    }

    func testBarnesHutAtHalfIsCloseToExact() throws {
        let n = 300
        let data = gaussianMixture(clusters: 6, perCluster: 50, cols: 10, separation: 2, seed: 14)
        let sparse = try TSNE.sparseProbabilities(data.x, rows: n, cols: 10, perplexity: 30, neighbours: n - 1)
        let dense = try TSNE.exactProbabilities(data.x, rows: n, cols: 10, perplexity: 30)
        let y = randomMap(n, spread: 10, seed: 15)
        let exact = TSNE.exactGradient(dense, points: y, computeKL: true)
        for theta in [0.1, 0.5] {
            let bh = TSNE.barnesHutGradient(sparse, points: y, theta: theta, computeKL: true)
            var error = 0.0, norm = 0.0
            for k in 0 ..< 2 * n {
                error += (bh.gradient[k] - exact.gradient[k]) * (bh.gradient[k] - exact.gradient[k])
                norm += exact.gradient[k] * exact.gradient[k]
            }
            let relative = (error / norm).squareRoot()
            let klError = abs(bh.kl! - exact.kl!) / exact.kl!
            print("Barnes-Hut θ = \(theta), N = \(n): relative gradient error \(relative), relative KL error \(klError)")
            XCTAssertLessThan(relative, theta < 0.2 ? 0.005 : 0.05)
            XCTAssertLessThan(klError, 0.01)
        }
    }

    func testQuadTreeHandlesDuplicatePoints() throws {
        // Ten points stacked on one spot and ten elsewhere: no infinite subdivision,
        // and the duplicates still repel each other's neighbours as ten points.
        let n = 20
        var y = [Double](repeating: 0, count: 2 * n)
        var g = SeededGenerator(seed: 16)
        for i in 10 ..< n { y[2 * i] = g.normal() * 3; y[2 * i + 1] = g.normal() * 3 }
        let data = gaussianMixture(clusters: 2, perCluster: 10, cols: 4, separation: 2, seed: 17)
        let dense = try TSNE.exactProbabilities(data.x, rows: n, cols: 4, perplexity: 5)
        let sparse = try TSNE.sparseProbabilities(data.x, rows: n, cols: 4, perplexity: 5, neighbours: n - 1)
        let exact = TSNE.exactGradient(dense, points: y)
        let bh = TSNE.barnesHutGradient(sparse, points: y, theta: 0)
        assertClose(bh.gradient.map(Float.init), exact.gradient.map(Float.init), rtol: 1e-6, atol: 1e-9,
                    "Barnes-Hut (θ = 0) vs exact with 10 coincident points")
    }
}
