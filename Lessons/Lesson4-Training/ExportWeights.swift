import Foundation
import LessonKit
import SimCLR

/// `--export-weights FILE`: the run's checkpoint as a file to share, e.g. the long run's
/// model shipped in data/pretrained/. It keeps the weights, the batch-norm statistics and
/// the per-epoch records, drops the optimizer state (twice the weights' size, and only
/// `--resume` needs it), and records who trained it and its fingerprint: the numbers the
/// tests recompute from it on the bundled sample (`ShippedModel.Fingerprint`).
enum ExportWeights {
    static func run(to path: String, flags: TrainingFlags, config: TrainingConfiguration, options: LessonOptions) throws {
        let source = URL(fileURLWithPath: flags.checkpoint ?? flags.preset.defaultCheckpoint(quick: options.quick))
        guard let loaded = try LessonCheckpoint.load(source.standardizedFileURL, named: true, flag: "--checkpoint",
                                                     remedy: "export the checkpoint of a finished or interrupted run") else { return }
        guard loaded.progress.settings == config.digest else {
            throw LessonError("\(Report.displayPath(loaded.url)) was trained with other settings than these flags; "
                              + "give the flags it was trained with (e.g. --preset long --seed 0) to export it")
        }
        let fingerprint = try ShippedModel.fingerprint(loaded.model)
        let command = (["Lesson4-Training"] + trainingArguments).joined(separator: " ")
        let provenance = Checkpoint.Provenance(trainer: "the lessons' Swift trainer (\(command))")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let out = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Checkpoint.save(loaded.model, optimizer: nil, progress: loaded.progress, to: out, metadata: [
            "provenance": String(decoding: try encoder.encode(provenance), as: UTF8.self),
            ShippedModel.Fingerprint.metadataKey: String(decoding: try encoder.encode(fingerprint), as: UTF8.self),
        ])
        let hours = loaded.progress.records.map(\.seconds).reduce(0, +) / 3600
        print("Wrote \(path): \(loaded.model.architecture), \(loaded.progress.epoch) epochs (\(String(format: "%.1f", hours)) h "
              + "of training), weights and batch-norm statistics without optimizer state.")
        print(String(format: "Fingerprint: kNN %d of %d test images of the bundled sample (%.1f %%), mean h %.6f.",
                     fingerprint.knnCorrect, fingerprint.queries, fingerprint.knnTop1 * 100, fingerprint.meanFeature))
    }

    /// The command line without `--export-weights FILE`: the flags that trained the model.
    private static var trainingArguments: [String] {
        var arguments: [String] = []
        var skipNext = false
        for argument in CommandLine.arguments.dropFirst() {
            if skipNext { skipNext = false; continue }
            if argument == "--export-weights" { skipNext = true; continue }
            if argument.hasPrefix("--export-weights=") || argument == "--resume" { continue }
            arguments.append(argument)
        }
        return arguments
    }
}
