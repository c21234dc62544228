import Foundation
import LessonKit
import SimCLR

/// Supervised baselines too long for class time, trained once by this lesson
/// (`--train-shipped-supervised`) and shipped in data/pretrained/supervised/: the same ResNet
/// as the long SimCLR run, trained end to end with 10, 50, 100 and 500 labels per class for
/// as many epochs as a held-out fifth of those labels says is best, and on all 50,000 labels.
/// The lesson recomputes their test accuracy from the shipped weights every run.
enum ShippedSupervised {
    /// One shipped network: which labels, and the epoch counts its choice tries.
    struct Plan {
        /// Labelled images per class; nil for all of them.
        let perClass: Int?
        /// Tried on the held-out fifth; a single entry is used as given, without a choice.
        let candidates: [Int]

        var fileName: String { perClass.map { "supervised-\($0)-per-class.safetensors" } ?? "supervised-all-labels.safetensors" }
        var label: String { perClass.map { "\($0) labels/class" } ?? "all labels" }
    }

    /// Fewer labels make shorter epochs, so they get more of them; each list doubles, so the
    /// choice shows where more training stops paying. All 50,000 labels train 20 epochs
    /// without a choice: choosing would cost several more trainings on 40,000 images (hours
    /// here), and 20 epochs are already a million images through the network.
    static let plans = [
        Plan(perClass: 10, candidates: [50, 100, 200, 400]),
        Plan(perClass: 50, candidates: [25, 50, 100, 200]),
        Plan(perClass: 100, candidates: [20, 40, 80, 160]),
        Plan(perClass: 500, candidates: [20, 40, 80]),
        Plan(perClass: nil, candidates: [20]),
    ]

    /// Seconds-long stand-ins for `--quick`: the same steps (a choice, a given budget) on a
    /// narrow network and a few labels.
    static let quickPlans = [Plan(perClass: 5, candidates: [1, 2]), Plan(perClass: 20, candidates: [2])]

    static var folder: URL { DataLocator.projectRoot().appendingPathComponent("data/pretrained/supervised") }

    /// A shipped network, loaded, with its test accuracy computed in this run.
    struct Evaluated {
        let plan: Plan
        let record: SupervisedBaseline.Record
        let row: ResultRow
    }

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

    /// Loads the shipped networks that are there and scores each on `test`. A shipped file
    /// that cannot be read is an error (the clone is damaged); missing ones are skipped.
    /// - Parameter named: whether the user named `folder` (then it must exist).
    static func evaluate(test: InMemoryDataset, folder: URL, named: Bool) throws -> [Evaluated] {
        if named && !FileManager.default.fileExists(atPath: folder.path) {
            throw LessonError("\(folder.path): no such folder; check the path given to --supervised-folder")
        }
        var result: [Evaluated] = []
        for plan in plans + quickPlans {
            let url = folder.appendingPathComponent(plan.fileName)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let (baseline, record): (SupervisedBaseline, SupervisedBaseline.Record)
            do {
                (baseline, record) = try SupervisedBaseline.load(url)
            } catch {
                throw LessonError("\(error) — restore the shipped ones with git checkout -- data/pretrained/supervised, "
                                  + "or train them again with --train-shipped-supervised")
            }
            let scores = baseline.evaluate(test)
            let name = "supervised, \(plan.label) (shipped)"
            result.append(Evaluated(plan: plan, record: record,
                                    row: ResultRow(name: name, labels: record.labelledImages, top1: scores.top1,
                                                   top5: scores.top5, confusion: scores.confusion,
                                                   setup: (record.configuration.encoder.width, record.configuration.epochs))))
        }
        return result
    }

    /// Prints the shipped networks: how their epochs were chosen, and their test accuracy now.
    static func describe(_ shipped: [Evaluated], report: Report) {
        report.step("Supervised baselines trained to their best, shipped")
        guard !shipped.isEmpty else {
            report.say("None in this clone (data/pretrained/supervised/); git checkout -- data/pretrained restores them.")
            return
        }
        report.say("""
            A few epochs are all a lesson can afford, and they undersell supervised training. These networks \
            were trained once by this lesson (--train-shipped-supervised), each for the number of epochs that \
            scored best on a held-out fifth of its own labels (never the test set); their weights are shipped \
            and their test accuracy below is recomputed in this run.
            """)
        for s in shipped {
            let config = s.record.configuration
            var line = String(format: "%@: %d epoch%@ on %@ images", s.plan.label, config.epochs, config.epochs == 1 ? "" : "s",
                              Report.format(Double(s.record.labelledImages), "%,.0f"))
            if let choice = s.record.epochChoice {
                let tried = zip(choice.candidates, choice.heldOutTop1).map { String(format: "%d → %.1f %%", $0, $1 * 100) }
                line += " (held-out fifth: " + tried.joined(separator: ", ") + ")"
            } else {
                line += " (given, not chosen)"
            }
            report.say(line)
            report.say(String(format: "    test top-1 %.1f %%, top-5 %.1f %%", s.row.top1 * 100, s.row.top5 * 100))
            report.record("\(s.row.name) top-1", s.row.top1 * 100)
            report.record("\(s.row.name) top-5", s.row.top5 * 100)
        }
    }
}
