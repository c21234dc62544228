import Foundation
import LessonKit
import SimCLR

/// Loading the SimCLR encoder, or saying how to make one.
enum Encoders {
    /// Lesson 4's checkpoint (or `--checkpoint`), described in the report; nil, with a note
    /// on how to make one, when Lesson 4 has not been run. A named file that is missing and
    /// an unreadable checkpoint are errors (see `LessonCheckpoint`).
    static func simclr(_ argument: String?, options: LessonOptions, report: Report) throws -> LessonCheckpoint? {
        let loaded = try LessonCheckpoint.loadAndDescribe(argument, options: options, report: report)
        if loaded == nil { report.say("This run shows the baselines only.") }
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
        report.say("""
            It shows what the same recipe gives with far more training than a lesson has time for; every number \
            below is computed from it in this run, on the same labels and test images as your model.
            """)
        return loaded
    }
}
