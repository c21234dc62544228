import Foundation
import LessonKit
import SimCLR

/// The encoder Lesson 4 trained, or the one-line reason there is none. A missing or
/// unreadable checkpoint is not an error for this lesson: the raw-pixel and random-init
/// maps still teach what t-SNE shows, and the lesson says how to make a checkpoint.
enum TrainedEncoder {
    case loaded(SimCLRModel, Checkpoint.Progress)
    case unavailable(reason: String)

    var model: SimCLRModel? {
        if case .loaded(let model, _) = self { return model }
        return nil
    }

    var progress: Checkpoint.Progress? {
        if case .loaded(_, let progress) = self { return progress }
        return nil
    }

    /// Where a checkpoint came from (trainer, hardware, recipe) as name and value pairs;
    /// empty when its metadata does not say.
    static func origin(_ url: URL) -> [(name: String, value: String)] {
        (try? Checkpoint.origin(url))?.lines ?? []
    }

    /// The checkpoint file: `--checkpoint` as given, else where Lesson 4 saves with the same
    /// `--quick` setting (`LessonOptions.defaultCheckpoint`); relative paths are taken from
    /// the current directory, as Lesson 4 writes them.
    static func location(_ argument: String?, options: LessonOptions) -> URL {
        URL(fileURLWithPath: argument ?? options.defaultCheckpoint).standardizedFileURL
    }

    /// Builds the network the checkpoint describes and loads its weights, and prints where it
    /// came from (Lesson 4, or e.g. scripts/torch/train_simclr.py on some GPUs), in the
    /// report's `name: value` style.
    /// - Parameter url: a safetensors file written by `Checkpoint.save` (Lesson 4) or in
    ///   the same format by another trainer.
    static func load(_ url: URL) -> TrainedEncoder {
        guard FileManager.default.fileExists(atPath: url.path) else {
            return .unavailable(reason: "no checkpoint at \(Report.displayPath(url))")
        }
        do {
            let (architecture, _) = try Checkpoint.inspect(url)
            // The initial weights are overwritten by the checkpoint; the seed does not matter.
            var generator = SeededGenerator(seed: 0)
            let model = SimCLRModel(architecture, generator: &generator)
            let progress = try Checkpoint.load(url, into: model)
            for line in origin(url) { print("  \(line.name): \(line.value)") }
            return .loaded(model, progress)
        } catch {
            return .unavailable(reason: "\(error)")
        }
    }
}
