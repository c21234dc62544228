import Foundation
import LessonKit
import SimCLR

extension ShippedSupervised {
    /// Trains every plan whose file is not there yet, saving each as it finishes (so a stop
    /// loses at most the one in progress), and prints what it chose.
    /// - Throws: when the data holds fewer labelled images than a plan needs.
    static func train(into folder: URL, train: InMemoryDataset, quick: Bool, seed: UInt64, command: String) throws {
        var architecture = SimCLRModel.Architecture.classroom.encoder
        if quick { architecture.width = 8 }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let classes = train.classNames.count
        let smallest = train.classCounts().min() ?? 0
        for plan in quick ? quickPlans : plans {
            let url = folder.appendingPathComponent(plan.fileName)
            if FileManager.default.fileExists(atPath: url.path) {
                print("\(plan.fileName): already there, kept")
                continue
            }
            if let k = plan.perClass, k > smallest {
                throw LessonError("\(plan.label) needs \(k) training images per class; this data has \(smallest): use the full CIFAR-10")
            }
            let labelled = plan.perClass.map { train.firstPerClass($0) } ?? train
            var config = SupervisedBaseline.Configuration(encoder: architecture, epochs: plan.candidates[0])
            config.seed = seed
            config.batchSize = min(config.batchSize, labelled.count)
            let started = Date()
            var choice: SupervisedBaseline.EpochChoice?
            if plan.candidates.count > 1 {
                choice = SupervisedBaseline.chooseEpochs(labelled, candidates: plan.candidates, configuration: config,
                                                         classes: classes) { epochs, top1 in
                    print(String(format: "%@: %d epoch(s) on four fifths → %.1f %% on the held-out fifth (%.0f s so far)",
                                 plan.label, epochs, top1 * 100, Date().timeIntervalSince(started)))
                }
                config.epochs = choice!.chosen
            }
            let baseline = SupervisedBaseline(config: config, classes: classes)
            let steps = (labelled.count + config.batchSize - 1) / config.batchSize
            let bar = ProgressBar(total: steps * config.epochs, label: plan.label)
            let losses = baseline.train(labelled) { epoch, step, perEpoch, loss in
                bar.update((epoch - 1) * perEpoch + step, status: String(format: "epoch %d loss %.3f", epoch, loss))
            }
            let record = SupervisedBaseline.Record(
                configuration: config, classes: classes, labelledImages: labelled.count,
                labels: plan.perClass.map { "the first \($0) training images of each class" } ?? "every training image",
                epochChoice: choice, epochLosses: losses, seconds: Date().timeIntervalSince(started), command: command)
            try baseline.save(to: url, record: record)
            print(String(format: "%@: %d epoch(s) on %d images, cross entropy %.3f → %.3f, %.0f s; saved %@", plan.label,
                         config.epochs, labelled.count, losses.first ?? 0, losses.last ?? 0, record.seconds,
                         Report.displayPath(url)))
        }
    }

}
