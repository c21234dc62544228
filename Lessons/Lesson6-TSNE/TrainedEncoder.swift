import Foundation
import LessonKit
import SimCLR

/// The encoder Lesson 4 trained, or the reason there is none. Without a checkpoint the
/// raw-pixel and random-init maps still teach what t-SNE shows, and the lesson says how to
/// make one; a checkpoint that was named but is missing, or cannot be read, stops the lesson
/// (see `LessonCheckpoint`).
enum TrainedEncoder {
    case loaded(LessonCheckpoint)
    case unavailable(reason: String)

    var model: SimCLRModel? {
        if case .loaded(let checkpoint) = self { return checkpoint.model }
        return nil
    }

    var progress: Checkpoint.Progress? {
        if case .loaded(let checkpoint) = self { return checkpoint.progress }
        return nil
    }

    /// - Parameters:
    ///   - argument: `--checkpoint` as given, or nil for Lesson 4's default file.
    ///   - options: the lesson's options (`--quick` picks Lesson 4's quick checkpoint).
    static func load(_ argument: String?, options: LessonOptions) throws -> TrainedEncoder {
        guard let checkpoint = try LessonCheckpoint.load(argument, options: options) else {
            return .unavailable(reason: "no checkpoint at \(options.defaultCheckpoint) yet")
        }
        return .loaded(checkpoint)
    }
}
