import Foundation
import LessonKit
import SimCLR

/// Loading the SimCLR encoder, or saying how to make one.
enum Encoders {
    /// Lesson 4's checkpoint (or `--checkpoint`), described in the report; nil, with a note
    /// on how to make one, when Lesson 4 has not been run. A named file that is missing and
    /// an unreadable checkpoint are errors (see `LessonCheckpoint`).
    static func simclr(_ argument: String?, options: LessonOptions, report: Report) throws -> LessonCheckpoint? {
        guard let loaded = try LessonCheckpoint.load(argument, options: options) else {
            report.say("No checkpoint at \(options.defaultCheckpoint) yet. Make one with:  "
                       + LessonCheckpoint.howToMakeOne(quick: options.quick))
            report.say("(about ten minutes; or --quick for a seconds-long one). This run shows the baselines only.")
            report.setting("model", "none (Lesson 4 has not been run): baselines only")
            return nil
        }
        let (architecture, progress) = (loaded.model.architecture, loaded.progress)
        report.text("checkpoint", "\(Report.displayPath(loaded.url)): \(architecture), \(progress.epoch) epochs, \(progress.step) steps")
        report.setting("model", "\(Report.displayPath(loaded.url)): \(architecture), \(progress.epoch) epochs of SimCLR")
        // Where it came from: Lesson 4, or another trainer such as scripts/torch/train_simclr.py.
        for line in loaded.origin { report.text(line.name, line.value) }
        if let last = progress.records.last {
            report.say(String(format: "Its last epoch: NT-Xent %.3f, kNN monitor %.1f %%.", last.meanLoss, (last.knnTop1 ?? 0) * 100))
        }
        return loaded
    }

    /// The long-run model shipped in data/pretrained/ (or `--long-run`), described in the
    /// report; nil with a one-line note when the clone has none, nil silently with `--no-long-run`.
    static func longRun(_ flags: ShippedModelFlags, report: Report) throws -> LessonCheckpoint? {
        report.step("The long-run model shipped with the lessons")
        guard let loaded = try ShippedModel.load(flags) else {
            report.say(flags.noLongRun ? "Left out (--no-long-run): only your own model and the baselines are evaluated."
                                       : ShippedModel.missingNote)
            return nil
        }
        ShippedModel.describe(loaded, in: report)
        report.say("It shows what the same recipe gives with far more training than a lesson has time for; every number")
        report.say("below is computed from it in this run, on the same labels and test images as your model.")
        return loaded
    }
}
