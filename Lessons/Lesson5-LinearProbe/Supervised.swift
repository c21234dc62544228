import Foundation
import LessonKit
import SimCLR

/// The same encoder trained end to end with labels.
enum Supervised {
    static func run(_ report: Report, labelled: InMemoryDataset, test: InMemoryDataset, train: InMemoryDataset,
                    architecture: ResNetConfig, epochs: Int, allLabels: Bool, seed: UInt64) throws -> [ResultRow] {
        report.step("The supervised baseline: the same network trained with labels")
        var rows: [ResultRow] = []
        var sets = [(labelled, "supervised")]
        if allLabels { sets.append((train, "supervised, all labels")) }
        for (images, name) in sets {
            var config = SupervisedBaseline.Configuration(encoder: architecture, epochs: epochs)
            config.seed = seed
            let baseline = SupervisedBaseline(config: config, classes: images.classNames.count)
            report.say("\(name): \(architecture), \(epochs) epochs on \(Report.format(Double(images.count), "%,.0f")) labelled "
                       + "images, pad-4 crop + flip, SGD lr \(config.learningRate) cosine, batch \(config.batchSize).")
            let steps = (images.count + config.batchSize - 1) / config.batchSize
            let bar = ProgressBar(total: steps * epochs, label: name)
            let started = Date()
            let losses = baseline.train(images) { epoch, step, perEpoch, loss in
                bar.update((epoch - 1) * perEpoch + step, status: String(format: "epoch %d loss %.3f", epoch, loss))
            }
            let result = baseline.evaluate(test)
            report.say(String(format: "%@: cross entropy %.3f → %.3f, test top-1 %.1f %%, top-5 %.1f %% (%.0f s)", name,
                              losses.first ?? 0, losses.last ?? 0, result.top1 * 100, result.top5 * 100,
                              Date().timeIntervalSince(started)))
            report.record("\(name) top-1", result.top1 * 100)
            report.record("\(name) top-5", result.top5 * 100)
            rows.append(ResultRow(name: name, labels: images.count, top1: result.top1, top5: result.top5,
                                  confusion: result.confusion))
        }
        return rows
    }
}
