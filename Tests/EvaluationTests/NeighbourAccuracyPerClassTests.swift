import Core
import Evaluation
import TestSupport
import XCTest

/// The per-class split of the k-NN vote: over equally large classes its mean is the overall
/// accuracy, and a class set apart from the others scores 1 while two mixed classes do not.
final class NeighbourAccuracyPerClassTests: XCTestCase {
    func testMeanOfEqualClassesIsTheOverallAccuracyAndASeparateClassScoresOne() throws {
        let perClass = 20, classes = 3, k = 5
        var g = SeededGenerator(seed: 3)
        var points: [Float] = [], labels: [Int] = []
        for c in 0 ..< classes {
            for _ in 0 ..< perClass {
                // Classes 0 and 1 overlap around the origin; class 2 sits far away.
                let centre: Float = c == 2 ? 50 : 0
                points += [centre + Float(g.normal()), centre + Float(g.normal())]
                labels.append(c)
            }
        }
        let rows = perClass * classes
        let split = TSNE.neighbourAccuracyPerClass(points: points, rows: rows, cols: 2, labels: labels, classes: classes, k: k)
        let overall = try TSNE.neighbourAccuracy(points: points, rows: rows, cols: 2, labels: labels, k: k)
        print("per class \(split), overall \(overall)")
        XCTAssertEqual(split.reduce(0, +) / Double(classes), overall, accuracy: 1e-12)
        XCTAssertEqual(split[2], 1)
        XCTAssertLessThan(split[0], 1)
        XCTAssertLessThan(split[1], 1)
    }
}
