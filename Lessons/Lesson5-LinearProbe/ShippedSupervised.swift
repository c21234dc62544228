import Foundation
import LessonKit
import SimCLR

/// The shipped supervised baselines (`ShippedSupervised` in LessonKit; trained by
/// `ShippedModels train-supervised`), read and scored: the lesson recomputes their test
/// accuracy from the shipped weights every run.
extension ShippedSupervised {
    /// A shipped network, loaded, with its test accuracy computed in this run.
    struct Evaluated {
        let plan: Plan
        let record: SupervisedBaseline.Record
        let row: ResultRow
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
                                  + "or train them again with swift run -c release ShippedModels train-supervised")
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
        guard !shipped.isEmpty else {
            report.say("None in this clone (data/pretrained/supervised/); git checkout -- data/pretrained restores them.")
            return
        }
        report.say("Trained with: swift run -c release ShippedModels train-supervised")
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

    /// The shipped networks' test top-1 by the labels per class they were trained on.
    static func top1ByLabelsPerClass(_ shipped: [Evaluated]) -> [Int: Double] {
        Dictionary(shipped.compactMap { s in s.plan.perClass.map { ($0, s.row.top1) } }, uniquingKeysWith: { a, _ in a })
    }
}
