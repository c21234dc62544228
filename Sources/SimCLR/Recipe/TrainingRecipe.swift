import Core
import Augmentation
import Foundation
import NeuralNet

/// A whole run's recipe as one JSON file: what `Lesson4-Training --export-config FILE`
/// writes, what `--config FILE` reads back, and what scripts/torch/train_simclr.py trains.
///
/// The fields of `TrainingConfiguration` sit at the top level under their Swift names
/// (`batchSize`, `learningRate`, `warmupEpochs`, …), with the augmentation written out in
/// full, beside three more: `format` (this file's version), `dataset` and `schedule`.
public struct TrainingRecipe: Equatable, Sendable {
    /// The value of "format"; a file of another format is refused.
    public static let format = "simclr-recipe/1"
    /// The value of "schedule": per step, a linear warm-up over `warmupEpochs`, then cosine
    /// decay to 0 (`CosineSchedule`), the one schedule both trainers implement.
    public static let schedule = "cosine"
    /// The data sets Lesson 4 pretrains on.
    public static let datasets = ["cifar10", "stl10", "food101"]

    /// "cifar10", "stl10" or "food101".
    public var dataset: String
    public var configuration: TrainingConfiguration

    public init(dataset: String, configuration: TrainingConfiguration) {
        self.dataset = dataset
        self.configuration = configuration
    }

    /// The fields beside the configuration's.
    private struct Envelope: Codable {
        var format: String
        var dataset: String
        var schedule: String
    }

    /// The configuration and the envelope as one JSON object (both write into the same
    /// keyed container).
    private struct File: Codable {
        var envelope: Envelope
        var configuration: TrainingConfiguration

        init(envelope: Envelope, configuration: TrainingConfiguration) {
            self.envelope = envelope
            self.configuration = configuration
        }

        init(from decoder: Decoder) throws {
            envelope = try Envelope(from: decoder)
            configuration = try TrainingConfiguration(from: decoder)
        }

        func encode(to encoder: Encoder) throws {
            try configuration.encode(to: encoder)
            try envelope.encode(to: encoder)
        }
    }

    /// The file's bytes: pretty-printed JSON with sorted keys and every augmentation
    /// parameter written out (also when the run uses the default pipeline).
    public func encoded() throws -> Data {
        var c = configuration
        c.augmentation = AugmentationSettings(c.pipeline(imageSize: c.imageSize))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let envelope = Envelope(format: Self.format, dataset: dataset, schedule: Self.schedule)
        return try encoder.encode(File(envelope: envelope, configuration: c)) + Data("\n".utf8)
    }

    /// Reads a recipe file. Every error is one line that names the file and the field.
    public static func read(_ url: URL) throws -> TrainingRecipe {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FileError(path: url.path, reason: "no such file (write one with Lesson4-Training --export-config FILE)")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes and checks a recipe; `path` names it in errors.
    ///
    /// An augmentation equal to the default for the image size is kept as nil, so the run's
    /// digest equals that of the same run set up with flags.
    public static func decode(_ data: Data, path: String) throws -> TrainingRecipe {
        /// Read first, so that any other JSON file is refused as what it is.
        struct FormatOnly: Decodable { var format: String? }
        let file: File
        do {
            let found = try JSONDecoder().decode(FormatOnly.self, from: data).format
            guard found == format else {
                throw FileError(path: path, reason: found.map { "format is \"\($0)\", expected \"\(format)\"" }
                                  ?? "not a recipe file (no \"format\": \"\(format)\"; write one with Lesson4-Training --export-config FILE)")
            }
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw FileError(path: path, reason: Self.describe(error))
        }
        var recipe = TrainingRecipe(dataset: file.envelope.dataset, configuration: file.configuration)
        if let problem = recipe.problem(schedule: file.envelope.schedule) {
            throw FileError(path: path, reason: problem)
        }
        let c = recipe.configuration
        if c.augmentation == AugmentationSettings(TrainingConfiguration.defaultPipeline(imageSize: c.imageSize)) {
            recipe.configuration.augmentation = nil
        }
        return recipe
    }

    /// The first value no trainer can run, as a phrase naming its field.
    private func problem(schedule: String) -> String? {
        let c = configuration
        if !Self.datasets.contains(dataset) {
            return "dataset \"\(dataset)\" is not one of \(Self.datasets.joined(separator: ", "))"
        }
        if schedule != Self.schedule { return "schedule \"\(schedule)\" is not \"\(Self.schedule)\" (the only one implemented)" }
        if c.epochs < 1 { return "epochs must be at least 1 (got \(c.epochs))" }
        if c.batchSize < 2 { return "batchSize must be at least 2 (got \(c.batchSize))" }
        if !(c.learningRate > 0) { return "learningRate must be positive (got \(c.learningRate))" }
        if !(c.temperature > 0) { return "temperature must be positive (got \(c.temperature))" }
        if c.warmupEpochs < 0 || c.warmupEpochs >= c.epochs {
            return "warmupEpochs must be between 0 and epochs - 1 (got \(c.warmupEpochs) with \(c.epochs) epochs)"
        }
        if c.imagesPerClass < 1 { return "imagesPerClass must be positive (got \(c.imagesPerClass))" }
        if c.imageSize < 8 || c.imageSize > 512 { return "imageSize must be between 8 and 512 (got \(c.imageSize))" }
        let a = c.architecture
        if a.encoder.width < 2 || a.encoder.width > 256 { return "architecture.encoder.width must be between 2 and 256" }
        if a.hidden < 1 || a.projection < 1 { return "architecture.hidden and .projection must be positive" }
        if a.head != .mlp {
            return "architecture.head \(a.head.rawValue): a recipe trains SimCLR's MLP head (the other heads are Lesson 4's comparison)"
        }
        if let augmentation = c.augmentation {
            if let problem = augmentation.problem { return problem }
            if augmentation.crop.size != c.imageSize {
                return "augmentation.crop.size \(augmentation.crop.size) differs from imageSize \(c.imageSize)"
            }
        }
        return nil
    }

    /// A decoding error as one phrase: which field, and what is wrong with it.
    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Int.Type, is UInt64.Type: "an integer"
            case is Float.Type, is Double.Type: "a number"
            case is Bool.Type: "true or false"
            default: "a JSON object or list"
            }
        }
        switch error {
        case let .keyNotFound(key, context):
            let name = (context.codingPath + [key]).map { $0.stringValue }.joined(separator: ".")
            return "no \"\(name)\" (write a complete recipe with Lesson4-Training --export-config FILE)"
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let name = field(context.codingPath)
            return name.isEmpty ? "should hold one JSON object" : "\(name) should be \(kind(type))"
        case let .dataCorrupted(context):
            let name = field(context.codingPath)
            return name.isEmpty ? "not valid JSON" : "\(name): \(context.debugDescription)"
        @unknown default:
            return "unreadable recipe"
        }
    }

    /// One line for a report.
    ///
    /// For example "ResNet-18 (width 16, …) → head …; cifar10, 1000 images per class at
    /// 32 px; 10 epochs of batch 256; SGD lr 0.06, cosine, …; τ 0.5; seed 0" (the data set
    /// left out when `dataset` is empty: not recorded).
    public var summary: String {
        let c = configuration
        var lr = "lr \(c.learningRate)"
        if c.linearScaling { lr += " x batch/256" }
        if c.warmupEpochs > 0 { lr += ", \(c.warmupEpochs) warm-up epochs" }
        let data = dataset.isEmpty ? "" : "\(dataset), "
        return "\(c.architecture); \(data)\(c.imagesPerClass) images per class at \(c.imageSize) px; "
            + "\(c.epochs) epoch\(c.epochs == 1 ? "" : "s") of batch \(c.batchSize); \(c.optimizer.rawValue.uppercased()) \(lr), "
            + "cosine, weight decay \(c.weightDecay); τ \(c.temperature); seed \(c.seed)"
            + (c.augmentation == nil ? "" : "; its own augmentation")
    }
}
