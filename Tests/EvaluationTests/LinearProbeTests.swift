import Core
import Evaluation
import TestSupport
import XCTest

final class LinearProbeTests: XCTestCase {
    /// Gaussian blobs: `perClass` points around a random centre per class, in `cols` dimensions.
    static func blobs(classes: Int, perClass: Int, cols: Int, spread: Float, seed: UInt64) -> FeatureSet {
        var g = SeededGenerator(seed: seed)
        let centres = (0 ..< classes * cols).map { _ in Float(g.normal()) }
        var values: [Float] = [], labels: [Int] = []
        for _ in 0 ..< perClass {
            for c in 0 ..< classes {
                for d in 0 ..< cols { values.append(centres[c * cols + d] + spread * Float(g.normal())) }
                labels.append(c)
            }
        }
        return FeatureSet(rows: classes * perClass, cols: cols, values: values, labels: labels)
    }

    func testLBFGSMinimisesRosenbrock() {
        let result = LBFGS(maxIterations: 2000, gradientTolerance: 1e-8).minimize(from: [-1.2, 1]) { x in
            let (a, b) = (x[0], x[1])
            let value = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
            return (value, [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])
        }
        print("Rosenbrock: \(result.x) after \(result.iterations) iterations")
        XCTAssertEqual(result.x[0], 1, accuracy: 1e-4)
        XCTAssertEqual(result.x[1], 1, accuracy: 1e-4)
    }

    /// The probe's hand-written gradient against finite differences of its objective.
    func testObjectiveGradient() {
        let set = Self.blobs(classes: 3, perClass: 4, cols: 5, spread: 1, seed: 2)
        var g = SeededGenerator(seed: 9)
        let theta = (0 ..< 3 * 5 + 3).map { _ in g.normal() * 0.3 }
        let f: ([Double]) -> (Double, [Double]) = { t in
            LinearProbeObjective.evaluate(t, set: set, classes: 3, lambda: 0.01)
        }
        let analytic = f(theta).1
        let eps = 1e-3
        let numeric = theta.indices.map { i -> Float in
            var p = theta, m = theta
            p[i] += eps; m[i] -= eps
            return Float((f(p).0 - f(m).0) / (2 * eps))
        }
        assertClose(analytic.map(Float.init), numeric, rtol: 1e-2, atol: 1e-4, "probe objective gradient vs finite differences")
    }

    func testSeparableClassesAreLearnedAndTestSetIsHeldApart() {
        let train = Self.blobs(classes: 10, perClass: 30, cols: 16, spread: 0.3, seed: 4)
        let test = Self.blobs(classes: 10, perClass: 20, cols: 16, spread: 0.3, seed: 4)
        let probe = LinearProbe(training: train, classes: 10)
        let result = probe.evaluate(test)
        print("probe on blobs: top-1 \(result.top1), top-5 \(result.top5), λ \(probe.weightDecay), \(probe.iterations) iterations, validation \(probe.validation)")
        XCTAssertGreaterThan(result.top1, 0.97)
        XCTAssertEqual(result.top5, 1, accuracy: 1e-9)
        XCTAssertEqual(probe.validation.count, LinearProbe.weightDecayGrid.count)
        XCTAssertEqual(result.confusion.reduce(0, +), test.rows)
    }

    func testChanceOnNoise() {
        // Labels unrelated to the features: the probe must not do better than chance on
        // fresh data (guards against leaking test labels).
        var g = SeededGenerator(seed: 12)
        let n = 400
        let noise = FeatureSet(rows: n, cols: 8, values: (0 ..< n * 8).map { _ in Float(g.normal()) },
                               labels: (0 ..< n).map { _ in g.integer(below: 4) })
        let fresh = FeatureSet(rows: n, cols: 8, values: (0 ..< n * 8).map { _ in Float(g.normal()) },
                               labels: (0 ..< n).map { _ in g.integer(below: 4) })
        let accuracy = LinearProbe(training: noise, classes: 4).evaluate(fresh).top1
        print("probe on noise: \(accuracy) (chance 0.25)")
        XCTAssertEqual(accuracy, 0.25, accuracy: 0.08)
    }

    func testKNNOnBlobsAndByHand() {
        let train = Self.blobs(classes: 5, perClass: 40, cols: 8, spread: 0.2, seed: 6)
        let test = Self.blobs(classes: 5, perClass: 10, cols: 8, spread: 0.2, seed: 6)
        let result = KNNClassifier(training: train, classes: 5, k: 20).evaluate(test)
        XCTAssertGreaterThan(result.top1, 0.95)
        // By hand: two memory points per class on the axes; a query near (1, 0.1) has its
        // nearest neighbour in class 0.
        let memory = FeatureSet(rows: 4, cols: 2, values: [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9], labels: [0, 0, 1, 1])
        let query = FeatureSet(rows: 1, cols: 2, values: [1, 0.1], labels: [0])
        XCTAssertEqual(KNNClassifier(training: memory, classes: 2, k: 1).evaluate(query).predictions, [0])
        XCTAssertEqual(KNNClassifier(training: memory, classes: 2, k: 3).evaluate(query).predictions, [0])
    }

    func testKthLargestAgreesWithSorting() {
        var g = SeededGenerator(seed: 3)
        for n in [1, 2, 7, 100, 1000] {
            let values = (0 ..< n).map { _ in Float(g.integer(below: 50)) }
            let sorted = values.sorted(by: >)
            for k in Set([1, n / 2 + 1, n]) {
                var copy = values
                XCTAssertEqual(KNNClassifier.kthLargestForTesting(&copy, k), sorted[k - 1], "n \(n) k \(k)")
            }
        }
    }
}
