import Foundation
import LessonKit
import SimCLR

/// One representation of the test images carried through PCA and t-SNE, with the numbers
/// that say how faithful its map is and how well it groups the classes.
struct EmbeddedMap {
    /// What was embedded, e.g. "raw pixels".
    let name: String
    /// The perplexity the map was made with.
    let perplexity: Double
    /// The finished map (`rows x 2`), its KL history and final KL.
    let result: TSNE.Result
    /// T(5) of the map against the 50-d PCA input (scikit-learn's definition).
    let trustworthiness: Double
    /// Leave-one-out 5-NN class accuracy in the 2-D map, in [0, 1].
    let mapAccuracy: Double
    /// The same accuracy per class, in class order.
    let classAccuracy: [Double]
    let labels: [Int]
    /// Wall time of the t-SNE alone.
    let seconds: Double

    /// The map's points for a scatter plot.
    var points: [Point] {
        (0 ..< result.rows).map { Point(Double(result.points[2 * $0]), Double(result.points[2 * $0 + 1])) }
    }

    /// Runs t-SNE on `input` with a progress bar and measures the map.
    ///
    /// - Parameters:
    ///   - input: `rows x cols` row-major t-SNE input (the 50-d PCA coordinates).
    ///   - labels: one class per row, used only to measure the map, never to make it.
    ///   - classes: number of classes.
    ///   - tsne: the settings (perplexity, iterations, ...).
    ///   - seed: the lesson's seed.
    /// - Throws: `EmbeddingError` when the shapes or the perplexity cannot work.
    static func embed(_ name: String, input: [Float], rows: Int, cols: Int, labels: [Int], classes: Int,
                      tsne: TSNE, seed: UInt64) throws -> EmbeddedMap {
        let bar = ProgressBar(total: tsne.iterations, label: "t-SNE \(name)")
        let started = Date()
        let result = try tsne.embed(input, rows: rows, cols: cols, seed: seed) { iteration, kl in
            bar.update(iteration, status: String(format: "KL %.3f", kl))
        }
        let seconds = Date().timeIntervalSince(started)
        let k = 5
        let trust = try Evaluation.trustworthiness(input: input, inputCols: cols, embedding: result.points, embeddingCols: 2,
                                        rows: rows, k: k)
        let accuracy = try TSNE.neighbourAccuracy(points: result.points, rows: rows, cols: 2, labels: labels, k: k)
        let perClass = TSNE.neighbourAccuracyPerClass(points: result.points, rows: rows, cols: 2, labels: labels,
                                                        classes: classes, k: k)
        return EmbeddedMap(name: name, perplexity: tsne.perplexity, result: result, trustworthiness: trust,
                           mapAccuracy: accuracy, classAccuracy: perClass, labels: labels, seconds: seconds)
    }
}
