import Foundation
import SimCLR

/// The SimCLR encoder Lessons 5 and 6 evaluate: Lesson 4's checkpoint, or the file named
/// by `--checkpoint` (e.g. one trained by scripts/torch/train_simclr.py).
///
/// One rule for both lessons: when no `--checkpoint` is given and Lesson 4 has not been run
/// yet, the lesson goes on with its baselines and says how to make one (`nil`). A file the
/// user named that does not exist, and any checkpoint that cannot be read, is an error in
/// one line (exit code 1): evaluating something other than what was asked for would be a
/// silent wrong answer.
public struct LessonCheckpoint {
    public let url: URL
    public let model: SimCLRModel
    public let progress: Checkpoint.Progress
    /// Where it came from (trainer, hardware, recipe), as name and value pairs.
    public let origin: [(name: String, value: String)]

    /// - Parameters:
    ///   - argument: the `--checkpoint` flag's value, or nil for Lesson 4's default file.
    ///   - options: the lesson's options (`--quick` picks Lesson 4's quick checkpoint).
    /// - Returns: nil only when `argument` is nil and the default file does not exist.
    /// - Throws: `LessonError` naming the file and what to do.
    public static func load(_ argument: String?, options: LessonOptions) throws -> LessonCheckpoint? {
        let url = URL(fileURLWithPath: argument ?? options.defaultCheckpoint).standardizedFileURL
        return try load(url, named: argument != nil, flag: "--checkpoint",
                        remedy: "train it again with swift run Lesson4-Training, or name another with --checkpoint")
    }

    /// Loads the checkpoint at `url`.
    /// - Parameters:
    ///   - named: whether the user named the file (then a missing file is an error, not nil).
    ///   - flag: the flag that names it, for the message (e.g. "--checkpoint").
    ///   - remedy: what to do when it cannot be read, appended to the error.
    /// - Returns: nil only when the file was not named and does not exist.
    /// - Throws: `LessonError` naming the file and what to do.
    public static func load(_ url: URL, named: Bool, flag: String, remedy: String) throws -> LessonCheckpoint? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            guard !named else {
                throw LessonError("\(Report.displayPath(url)): no such checkpoint; check the path given to \(flag), "
                                  + "or leave the flag out")
            }
            return nil
        }
        do {
            let (model, progress) = try Checkpoint.loadModel(url)
            let origin = (try? Checkpoint.origin(url))?.lines ?? []
            return LessonCheckpoint(url: url, model: model, progress: progress, origin: origin)
        } catch {
            throw LessonError("\(error) — \(remedy)")
        }
    }

    /// Lessons 5 and 6's first step: loads Lesson 4's checkpoint (or `--checkpoint`) and says
    /// what it is — file, architecture, epochs, who trained it and how its last epoch ended —
    /// or, when Lesson 4 has not been run, says so and how to make one.
    /// - Returns: nil when there is no default checkpoint yet (the lesson goes on with its baselines).
    /// - Throws: `LessonError` when a named file is missing or any file cannot be read.
    public static func loadAndDescribe(_ argument: String?, options: LessonOptions, report: Report) throws -> LessonCheckpoint? {
        guard let loaded = try load(argument, options: options) else {
            report.text("checkpoint", "none — no checkpoint at \(options.defaultCheckpoint) yet")
            report.say("Make one with `\(howToMakeOne(quick: options.quick))`"
                       + (options.quick ? " (seconds)" : " (about ten minutes; --quick for a seconds-long one)")
                       + ", then run this lesson again.")
            report.setting("model", "none (Lesson 4 has not been run): baselines only")
            return nil
        }
        let (architecture, progress) = (loaded.model.architecture, loaded.progress)
        report.text("checkpoint", Report.displayPath(loaded.url))
        report.text("architecture", architecture.description)
        report.setting("model", "\(Report.displayPath(loaded.url)): \(architecture), \(progress.epoch) epochs of SimCLR")
        // Where it came from: Lesson 4, or another trainer such as scripts/torch/train_simclr.py.
        for line in loaded.origin { report.text(line.name, line.value) }
        report.value("epochs of SimCLR pretraining", Double(progress.epoch), format: "%.0f",
                     unit: "(\(Report.format(Double(progress.step), "%,.0f")) steps)")
        if let last = progress.records.last {
            report.value("NT-Xent loss in the last epoch", last.meanLoss, format: "%.3f")
            if let knn = last.knnTop1 {
                report.value("kNN monitor accuracy after the last epoch", 100 * knn, format: "%.1f", unit: "%")
            }
        }
        return loaded
    }

    /// What to run to make the default checkpoint, for the lesson's note when there is none.
    public static func howToMakeOne(quick: Bool) -> String {
        "swift run Lesson4-Training" + (quick ? " --quick" : "")
    }
}
