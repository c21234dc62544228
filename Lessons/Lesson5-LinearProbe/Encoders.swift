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
}
