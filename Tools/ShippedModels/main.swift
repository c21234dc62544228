// ShippedModels — the maintenance jobs behind data/pretrained/: exporting a trained SimCLR
// run without its optimizer state (how the long run was shipped), and training the
// supervised baselines Lesson 5 sets beside it. The lessons only read what these write.
//
//     swift run -c release ShippedModels export checkpoints/long-run.safetensors data/pretrained/long-run.safetensors \
//         --trained-by "Lesson4-Training --preset long --seed 0"
//     swift run -c release ShippedModels train-supervised --seed 0
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct ShippedModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ShippedModels",
        abstract: "Make the models shipped in data/pretrained/ (maintenance; the lessons only read them).",
        subcommands: [Export.self, TrainSupervised.self])
}

/// A checkpoint as a file to share: weights, batch-norm statistics and the per-epoch records,
/// without the optimizer state (twice the weights' size, and only `--resume` needs it), with
/// who trained it and its fingerprint: the numbers the tests recompute from it on the bundled
/// sample (`ShippedModel.Fingerprint`).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Lesson 4 checkpoint without its optimizer state, with its provenance and fingerprint.")

    @Argument(help: "The checkpoint Lesson 4 wrote (e.g. checkpoints/long-run.safetensors).")
    var checkpoint: String
    @Argument(help: "The file to write (e.g. data/pretrained/long-run.safetensors).")
    var output: String
    @Option(help: "The command that trained it, recorded as its provenance (e.g. \"Lesson4-Training --preset long --seed 0\").")
    var trainedBy: String

    func run() throws {
        let source = URL(fileURLWithPath: checkpoint).standardizedFileURL
        guard let loaded = try LessonCheckpoint.load(source, named: true, flag: "the checkpoint",
                                                     remedy: "give the checkpoint of a finished or interrupted run") else { return }
        let fingerprint = try ShippedModel.fingerprint(loaded.model)
        let provenance = Checkpoint.Provenance(trainer: "the lessons' Swift trainer (\(trainedBy))")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let out = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Checkpoint.save(loaded.model, optimizer: nil, progress: loaded.progress, to: out, metadata: [
            "provenance": String(decoding: try encoder.encode(provenance), as: UTF8.self),
            ShippedModel.Fingerprint.metadataKey: String(decoding: try encoder.encode(fingerprint), as: UTF8.self),
        ])
        let hours = loaded.progress.records.map(\.seconds).reduce(0, +) / 3600
        print("Wrote \(output): \(loaded.model.architecture), \(loaded.progress.epoch) epochs (\(String(format: "%.1f", hours)) h "
              + "of training), weights and batch-norm statistics without optimizer state.")
        print(String(format: "Fingerprint: kNN %d of %d test images of the bundled sample (%.1f %%), mean h %.6f.",
                     fingerprint.knnCorrect, fingerprint.queries, fingerprint.knnTop1 * 100, fingerprint.meanFeature))
    }
}

/// The supervised baselines shipped in data/pretrained/supervised/ (`ShippedSupervised.plans`).
struct TrainSupervised: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-supervised",
        abstract: "Train the supervised baselines shipped in data/pretrained/supervised/ (epochs chosen on held-out labels; "
            + "about two hours on the full CIFAR-10). Files already there are kept, so it resumes.")

    @OptionGroup var options: LessonOptions
    @Option(help: ArgumentHelp("Folder to train into (default: data/pretrained/supervised).", valueName: "folder"))
    var folder: String?

    func run() throws {
        options.apply()
        let report = Report(lesson: "shipped-supervised", title: "Training the supervised baselines to ship", url: nil)
        let (train, _) = try LessonData.load(try LessonData.locate(options, report: report))
        try ShippedSupervised.train(into: folder.map { URL(fileURLWithPath: $0) } ?? ShippedSupervised.folder, train: train,
                                    quick: options.quick, seed: options.seed, command: RunContext.command)
    }
}

ShippedModels.main()
