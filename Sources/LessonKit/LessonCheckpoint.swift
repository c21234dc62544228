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
            let (architecture, _) = try Checkpoint.inspect(url)
            // The initial weights are overwritten by the checkpoint; the seed does not matter.
            var generator = SeededGenerator(seed: 0)
            let model = SimCLRModel(architecture, generator: &generator)
            let progress = try Checkpoint.load(url, into: model)
            let origin = (try? Checkpoint.origin(url))?.lines ?? []
            return LessonCheckpoint(url: url, model: model, progress: progress, origin: origin)
        } catch {
            throw LessonError("\(error) — \(remedy)")
        }
    }

    /// What to run to make the default checkpoint, for the lesson's note when there is none.
    public static func howToMakeOne(quick: Bool) -> String {
        "swift run Lesson4-Training" + (quick ? " --quick" : "")
    }
}
