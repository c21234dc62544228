import ArgumentParser
import Foundation
import SimCLR

/// The SimCLR model this project trained for hours with Lesson 4's own code
/// (`--preset long`: all 50,000 CIFAR-10 training images, 100 epochs) and ships in
/// `data/pretrained/`, so that Lessons 5 and 6 can show what long pretraining gives beside
/// the class's own ten-minute model. The file holds weights, batch-norm statistics and the
/// training records; no optimizer state (`ShippedModels export` writes it).
public enum ShippedModel {
    /// The file's place in a clone, under the project root.
    public static let relativePath = "data/pretrained/long-run.safetensors"

    /// What the lessons call it, in tables, legends and the JSON report.
    public static let name = "SimCLR, long run (this project)"

    /// The file in this clone (found from the current directory, like `data/`).
    public static var defaultURL: URL { DataLocator.projectRoot().appendingPathComponent(relativePath) }

    /// Loads the shipped model, or the file named by `--long-run`.
    /// - Returns: nil when `--no-long-run` was given, or when no file was named and the
    ///   clone has none (the lessons then say so in one line and go on without it).
    /// - Throws: `LessonError` when a named file is missing or any file cannot be read.
    public static func load(_ flags: ShippedModelFlags) throws -> LessonCheckpoint? {
        if flags.noLongRun { return nil }
        let url = flags.longRun.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? defaultURL
        return try LessonCheckpoint.load(url, named: flags.longRun != nil, flag: "--long-run",
                                         remedy: "restore it with git checkout -- \(relativePath), or run without it: --no-long-run")
    }

    /// One line for the lesson when the model is not there, saying how to get it back.
    public static let missingNote = "No long-run model at \(relativePath) (--long-run FILE names one): "
        + "this run shows the class's own model only."

    /// Describes the model in the lesson's report: what was trained, for how long, how it ended.
    public static func describe(_ loaded: LessonCheckpoint, in report: Report) {
        let (architecture, progress) = (loaded.model.architecture, loaded.progress)
        let hours = progress.records.map(\.seconds).reduce(0, +) / 3600
        report.text(name, "\(Report.displayPath(loaded.url)): \(architecture)")
        let settings = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(progress.settings.utf8))
        let images = settings.map { Report.format(Double($0.imagesPerClass * 10), "%,.0f") + " CIFAR-10 training images" }
            ?? "CIFAR-10 training images"
        report.say(String(format: "Trained by this project's Lesson 4 (--preset long) for %d epochs (%@ steps) on %@, "
                          + "without labels: %.1f hours on a 2-core CPU.", progress.epoch,
                          Report.format(Double(progress.step), "%,.0f"), images, hours))
        if let last = progress.records.last {
            report.say(String(format: "Its last epoch: NT-Xent %.3f, kNN monitor %.1f %%.", last.meanLoss, (last.knnTop1 ?? 0) * 100))
        }
        report.setting("long-run model", "\(Report.displayPath(loaded.url)): \(architecture), \(progress.epoch) epochs of SimCLR")
    }
}

/// The flags of the lessons that evaluate the shipped long-run model (5 and 6).
public struct ShippedModelFlags: ParsableArguments {
    @Option(help: ArgumentHelp("The long-trained SimCLR model to show beside yours (default: the one shipped in "
                               + "\(ShippedModel.relativePath)).", valueName: "file"))
    public var longRun: String?

    @Flag(help: "Leave the shipped long-run model out (only your own checkpoint and the baselines).")
    public var noLongRun = false

    public init() {}

    public func validate() throws {
        if longRun != nil && noLongRun {
            throw ValidationError("--long-run and --no-long-run contradict each other; give one of them")
        }
    }
}
