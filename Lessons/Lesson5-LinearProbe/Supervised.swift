import Foundation
import LessonKit
import SimCLR

/// What the lesson shows while and after the supervised baseline trains.
enum Supervised {
    /// A progress callback for `SupervisedBaseline.train` that draws a bar labelled `name`.
    static func progressBar(_ name: String, images: Int, config: SupervisedBaseline.Configuration)
        -> (_ epoch: Int, _ step: Int, _ stepsPerEpoch: Int, _ loss: Float) -> Void {
        let steps = (images + config.batchSize - 1) / config.batchSize
        let bar = ProgressBar(total: steps * config.epochs, label: name)
        return { epoch, step, perEpoch, loss in
            bar.update((epoch - 1) * perEpoch + step, status: String(format: "epoch %d loss %.3f", epoch, loss))
        }
    }

    /// Prints the baseline's training loss and test accuracy, records them for the tests, and
    /// returns its row of the comparison.
    static func describe(_ report: Report, _ name: String, _ result: ClassificationResult, losses: [Double], labels: Int,
                         seconds: Double) -> ResultRow {
        report.say(String(format: "%@: cross entropy %.3f → %.3f, test top-1 %.1f %%, top-5 %.1f %% (%.0f s)", name,
                          losses.first ?? 0, losses.last ?? 0, result.top1 * 100, result.top5 * 100, seconds))
        report.record("\(name) top-1", result.top1 * 100)
        report.record("\(name) top-5", result.top5 * 100)
        return ResultRow(name: name, labels: labels, top1: result.top1, top5: result.top5, confusion: result.confusion)
    }
}
