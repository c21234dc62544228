import Core
import Evaluation
import TestSupport
import XCTest

/// A random `n x n` orthogonal matrix (rows orthonormal), by Gram–Schmidt on normals.
func randomOrthonormalRows(_ n: Int, count: Int, seed: UInt64) -> [[Double]] {
    var g = SeededGenerator(seed: seed)
    var rows: [[Double]] = []
    while rows.count < count {
        var v = (0 ..< n).map { _ in g.normal() }
        for u in rows {
            let d = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
            for i in 0 ..< n { v[i] -= d * u[i] }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        rows.append(v.map { $0 / norm })
    }
    return rows
}

/// `rows` samples of `offset + Σ_i z_i u_i + noise`, where the latent scores `z_i` are
/// made exactly centred, uncorrelated and of sample variance `variances[i]`: the
/// principal directions are the planted `u_i` up to the (small) noise, not up to
/// sampling error.
func plantedData(rows: Int, cols: Int, directions: [[Double]], variances: [Double], noise: Double,
                 seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed)
    var scores: [[Double]] = []
    for v in variances {
        var z = (0 ..< rows).map { _ in g.normal() }
        let mean = z.reduce(0, +) / Double(rows)
        for r in 0 ..< rows { z[r] -= mean }
        for previous in scores {
            let d = zip(previous, z).reduce(0) { $0 + $1.0 * $1.1 } / previous.reduce(0) { $0 + $1 * $1 }
            for r in 0 ..< rows { z[r] -= d * previous[r] }
        }
        let variance = z.reduce(0) { $0 + $1 * $1 } / Double(rows - 1)
        scores.append(z.map { $0 * (v / variance).squareRoot() })
    }
    var x = [Float](repeating: 0, count: rows * cols)
    for r in 0 ..< rows {
        var sample = (0 ..< cols).map { _ in noise * g.normal() + 3 }  // offset: centring matters
        for (u, z) in zip(directions, scores) {
            for c in 0 ..< cols { sample[c] += z[r] * u[c] }
        }
        for c in 0 ..< cols { x[r * cols + c] = Float(sample[c]) }
    }
    return x
}

final class PCATests: XCTestCase {
    func testJacobiRecoversAKnownDecomposition() {
        let n = 12
        let q = randomOrthonormalRows(n, count: n, seed: 1)
        let lambdas = (0 ..< n).map { Double(n - $0) * 1.5 - 4 }  // includes negatives
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n {
            for j in 0 ..< n {
                a[i * n + j] = (0 ..< n).reduce(0) { $0 + q[$1][i] * lambdas[$1] * q[$1][j] }
            }
        }
        let eigen = Matrix.symmetricEigenJacobi(a, n: n)
        assertClose(eigen.values.map(Float.init), lambdas.map(Float.init), rtol: 0, atol: 1e-9,
                    "Jacobi eigenvalues of Q diag(λ) Qᵀ")
        for i in 0 ..< n {
            let dot = (0 ..< n).reduce(0) { $0 + eigen.vectors[i * n + $1] * q[i][$1] }
            XCTAssertEqual(abs(dot), 1, accuracy: 1e-9, "eigenvector \(i) is ± the planted one")
        }
    }

    func testGramOptimizedMatchesReference() {
        var g = SeededGenerator(seed: 2)
        for (rows, cols) in [(70, 45), (130, 97), (3, 33)] {
            let x = (0 ..< rows * cols).map { _ in Float(g.normal()) }
            let reference = Matrix.gramReference(x, rows: rows, cols: cols)
            let optimized = Matrix.gramOptimized(x, rows: rows, cols: cols)
            assertClose(optimized, reference, rtol: 1e-4, atol: 1e-4, "gram \(rows)x\(cols) optimized vs reference")
        }
    }

    func testPlantedDirectionsAreFoundByBothEigenSolvers() throws {
        let variances = [25.0, 16, 9, 4, 1]
        // d = 40 goes to Jacobi, d = 300 to subspace iteration (block 32, 2·32 < 300).
        for cols in [40, 300] {
            let directions = randomOrthonormalRows(cols, count: variances.count, seed: 3)
            let x = plantedData(rows: 600, cols: cols, directions: directions, variances: variances,
                                noise: 0.01, seed: 4)
            let pca = try PCA(x, rows: 600, cols: cols, components: 5)
            for i in 0 ..< 5 {
                let dot = (0 ..< cols).reduce(0.0) { $0 + Double(pca.components[i * cols + $1]) * directions[i][$1] }
                print("d=\(cols) component \(i): |cos| with planted direction \(abs(dot)), variance \(pca.explainedVariance[i]) (planted \(variances[i]))")
                XCTAssertGreaterThan(abs(dot), 0.9999)
                XCTAssertEqual(pca.explainedVariance[i], variances[i], accuracy: variances[i] * 0.01)
            }
            // The projected columns have exactly the explained variances.
            for i in 0 ..< 5 {
                var s = 0.0
                for r in 0 ..< 600 { s += Double(pca.projected[r * 5 + i]) * Double(pca.projected[r * 5 + i]) }
                XCTAssertEqual(s / 599, pca.explainedVariance[i], accuracy: pca.explainedVariance[i] * 1e-4)
            }
        }
    }

    func testSubspaceIterationAgreesWithJacobi() {
        let n = 200, k = 6
        let x = plantedData(rows: 300, cols: n, directions: randomOrthonormalRows(n, count: 8, seed: 5),
                            variances: [30, 20, 12, 8, 5, 3, 2, 1.5], noise: 0.3, seed: 6)
        let mean = Matrix.columnMeans(x, rows: 300, cols: n)
        let centred = (0 ..< x.count).map { x[$0] - Float(mean[$0 % n]) }
        let c = Matrix.gram(centred, rows: 300, cols: n).map { $0 / 299 }
        let jacobi = Matrix.symmetricEigenJacobi(c.map(Double.init), n: n, keep: k).withSignConvention()
        let subspace = Matrix.symmetricEigenSubspace(c, n: n, k: k).withSignConvention()
        assertClose(subspace.values.map(Float.init), jacobi.values.map(Float.init), rtol: 1e-5, atol: 1e-6,
                    "subspace iteration vs Jacobi eigenvalues (n=200, k=6)")
        assertClose(subspace.vectors.map(Float.init), jacobi.vectors.map(Float.init), rtol: 0, atol: 2e-4,
                    "subspace iteration vs Jacobi eigenvectors")
    }

    func testExplainedVarianceSumsToOneAndSignsAreFixed() throws {
        var g = SeededGenerator(seed: 7)
        let rows = 80, cols = 12
        let x = (0 ..< rows * cols).map { i in Float(g.normal() * Double(1 + i % cols)) }
        let pca = try PCA(x, rows: rows, cols: cols, components: cols)
        let sum = pca.explainedVarianceRatio.reduce(0, +)
        print("sum of explained-variance ratios over all \(cols) components: \(sum)")
        XCTAssertEqual(sum, 1, accuracy: 1e-5)
        XCTAssertEqual(pca.explainedVariance.reduce(0, +), pca.totalVariance, accuracy: pca.totalVariance * 1e-5)
        for i in 0 ..< cols - 1 { XCTAssertGreaterThanOrEqual(pca.explainedVariance[i], pca.explainedVariance[i + 1]) }
        for i in 0 ..< cols {
            let row = pca.components[i * cols ..< (i + 1) * cols]
            let largest = row.max { abs($0) < abs($1) }!
            XCTAssertGreaterThan(largest, 0, "component \(i): largest-magnitude entry is positive")
        }
        // Negating the data leaves the covariance, hence the components, unchanged.
        let negated = try PCA(x.map { -$0 }, rows: rows, cols: cols, components: 3)
        XCTAssertEqual(Array(negated.components), Array(pca.components.prefix(3 * cols)))
        let again = try PCA(x, rows: rows, cols: cols, components: cols)
        XCTAssertEqual(again.projected, pca.projected, "same input, same output")
    }

    func testReferencePathGivesTheSameComponents() throws {
        let cols = 30
        let x = plantedData(rows: 100, cols: cols, directions: randomOrthonormalRows(cols, count: 3, seed: 8),
                            variances: [9, 4, 1], noise: 0.1, seed: 9)
        let fast = try PCA(x, rows: 100, cols: cols, components: 3, path: .optimized)
        let slow = try PCA(x, rows: 100, cols: cols, components: 3, path: .reference)
        assertClose(fast.components, slow.components, rtol: 0, atol: 1e-4, "PCA components, optimized vs reference")
        assertClose(fast.explainedVariance.map(Float.init), slow.explainedVariance.map(Float.init),
                    rtol: 1e-4, atol: 1e-6, "PCA explained variance, optimized vs reference")
    }

    func testBadShapesThrowOneLineErrors() {
        XCTAssertThrowsError(try PCA([1, 2, 3], rows: 1, cols: 3, components: 2)) { print($0) }
        XCTAssertThrowsError(try PCA([Float](repeating: 0, count: 20), rows: 4, cols: 5, components: 6)) { print($0) }
        XCTAssertThrowsError(try PCA([Float](repeating: 0, count: 19), rows: 4, cols: 5, components: 2)) { print($0) }
    }
}
