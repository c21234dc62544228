import Foundation
import LessonKit
import SimCLR

/// One line of the comparison: a representation, how it was evaluated, and what it scored.
struct ResultRow {
    let name: String
    let labels: Int
    let top1: Double
    let top5: Double
    var knn: Double?
    var confusion: [Int]?
    /// How a network trained here or shipped was set up, for the card's table: its width and epochs.
    var setup: (width: Int, epochs: Int)?
}

/// What the lesson prints about a probe, and the features it probes.
enum Probes {
    /// Prints one probe's result (and the kNN classifier's, when given), records it for the
    /// tests, and returns its row of the comparison.
    static func describe(_ report: Report, _ name: String, _ probe: LinearProbe, _ result: ClassificationResult,
                         kNN: ClassificationResult?, features: FeatureSet) -> ResultRow {
        var row = ResultRow(name: name, labels: features.rows, top1: result.top1, top5: result.top5,
                            confusion: result.confusion)
        var line = String(format: "%@: top-1 %.1f %%, top-5 %.1f %% (%d-d, λ %.0e, %d L-BFGS iterations)",
                          name, result.top1 * 100, result.top5 * 100, features.cols, probe.weightDecay, probe.iterations)
        if let kNN {
            row.knn = kNN.top1
            line += String(format: "; kNN %.1f %%", kNN.top1 * 100)
        }
        report.say(line)
        report.record("\(name) top-1", result.top1 * 100)
        report.record("\(name) top-5", result.top5 * 100)
        if let k = row.knn { report.record("\(name) kNN", k * 100) }
        return row
    }

    /// Raw pixels in [0, 1] as 3,072-d features (the probe standardises them).
    static func pixels(_ images: InMemoryDataset) -> FeatureSet {
        let values = images.pixels.map { Float($0) / 255 }
        return FeatureSet(rows: images.count, cols: images.width * images.height * 3, values: values, labels: images.labels)
    }
}
