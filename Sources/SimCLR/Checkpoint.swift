import Core
import Foundation
import NeuralNet

/// A saved training run.
///
/// It holds the model's weights and batch-norm statistics under PyTorch's names (the encoder
/// as torchvision's ResNet, the head under `projector.`), the optimizer state, and metadata
/// (architecture, progress, seed) in the safetensors header.
public struct Checkpoint {
    /// Where a run stands, saved with the weights so `--resume` continues exactly.
    public struct Progress: Codable, Equatable, Sendable {
        /// Epochs completed.
        public var epoch: Int
        /// Optimizer steps taken.
        public var step: Int
        public var seed: UInt64
        /// What each completed epoch measured.
        public var records: [EpochRecord]
        /// A digest of the settings that must not change on resume (data, batch, lr, …).
        public var settings: String

        public init(epoch: Int, step: Int, seed: UInt64, records: [EpochRecord], settings: String) {
            self.epoch = epoch
            self.step = step
            self.seed = seed
            self.records = records
            self.settings = settings
        }
    }

    /// Who trained a checkpoint, on what, and how: the metadata "provenance" (JSON) that
    /// scripts/torch/train_simclr.py writes. Lesson 4's checkpoints have none.
    public struct Provenance: Codable, Equatable, Sendable {
        /// The program, e.g. "scripts/torch/train_simclr.py (PyTorch 2.15.0, torchvision 0.29.2)".
        public var trainer: String
        /// The machine: devices, processes and the backend that joined them.
        public var hardware: String?
        /// Where batch norm took its batch statistics: across all processes (SyncBatchNorm,
        /// the paper's global BN) or within each process's share of the batch.
        public var batchNorm: String?
        /// Arithmetic and memory layout, e.g. "bfloat16 autocast, channels-last".
        public var precision: String?

        public init(trainer: String, hardware: String? = nil, batchNorm: String? = nil, precision: String? = nil) {
            self.trainer = trainer
            self.hardware = hardware
            self.batchNorm = batchNorm
            self.precision = precision
        }

        /// What a checkpoint without "provenance" was trained by.
        public static let lessonFour = Provenance(trainer: "the lessons' Swift trainer (Lesson4-Training)")
    }

    /// Where a checkpoint came from, as far as its metadata says.
    public struct Origin: Sendable {
        public var provenance: Provenance
        /// The recipe, from the metadata "recipe" (scripts/torch/train_simclr.py).
        ///
        /// For Lesson 4's checkpoints the configuration is read from the progress settings
        /// and the data set is not recorded (nil).
        public var configuration: TrainingConfiguration?
        public var dataset: String?

        /// Name and value pairs for a lesson to print: trainer, hardware, batch norm,
        /// precision and recipe, those that are known.
        public var lines: [(name: String, value: String)] {
            var lines = [(name: "trained by", value: provenance.trainer)]
            if let hardware = provenance.hardware { lines.append(("hardware", hardware)) }
            if let batchNorm = provenance.batchNorm { lines.append(("batch norm", batchNorm)) }
            if let precision = provenance.precision { lines.append(("precision", precision)) }
            if let configuration {
                lines.append(("recipe", TrainingRecipe(dataset: dataset ?? "", configuration: configuration).summary))
            }
            return lines
        }
    }

    static let format = "simclr-swift/1"

    /// Saves atomically (temporary file, then rename).
    ///
    /// - Parameters:
    ///   - optimizer: its state is saved too, for `--resume`; nil saves weights and statistics only.
    ///   - metadata: further header entries (e.g. "provenance"); they cannot replace the
    ///     checkpoint's own ("format", "architecture", "progress", "optimizer_steps").
    public static func save(_ model: SimCLRModel, optimizer: Optimizer?, progress: Progress, to url: URL,
                            metadata extra: [String: String] = [:]) throws {
        var named: [(name: String, tensor: Tensor)] = []
        for p in model.encoder.parameters { named.append((p.name, p.value)) }
        for b in model.encoder.buffers { named.append((b.name, b.value)) }
        for p in model.head.parameters { named.append((p.name, p.value)) }
        if let optimizer {
            for (k, v) in optimizer.state.sorted(by: { $0.key < $1.key }) { named.append((k, v)) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = [
            "format": format,
            "architecture": String(decoding: try encoder.encode(model.architecture), as: UTF8.self),
            "progress": String(decoding: try encoder.encode(progress), as: UTF8.self),
            "optimizer_steps": String(optimizer?.steps ?? 0),
        ].merging(extra) { own, _ in own }
        try SafeTensors.write(named, metadata: metadata, to: url)
    }

    /// The architecture and progress recorded in a checkpoint, without loading weights.
    public static func inspect(_ url: URL) throws -> (architecture: SimCLRModel.Architecture, progress: Progress) {
        let (_, metadata) = try SafeTensors.read(url)
        return try decodeMetadata(metadata, path: url.path)
    }

    /// Who trained the checkpoint, on what hardware, with which recipe.
    ///
    /// A checkpoint without "provenance" metadata is one of Lesson 4's; metadata that cannot
    /// be read is left out rather than failing, since the weights are what a lesson needs.
    public static func origin(_ url: URL) throws -> Origin {
        let (_, metadata) = try SafeTensors.read(url)
        _ = try decodeMetadata(metadata, path: url.path)
        let decoder = JSONDecoder()
        let provenance = metadata["provenance"].flatMap { try? decoder.decode(Provenance.self, from: Data($0.utf8)) }
        if let text = metadata["recipe"], let recipe = try? TrainingRecipe.decode(Data(text.utf8), path: url.path) {
            return Origin(provenance: provenance ?? .lessonFour, configuration: recipe.configuration, dataset: recipe.dataset)
        }
        let settings = metadata["progress"].flatMap { try? decoder.decode(Progress.self, from: Data($0.utf8)) }?.settings
        let configuration = settings.flatMap { try? decoder.decode(TrainingConfiguration.self, from: Data($0.utf8)) }
        return Origin(provenance: provenance ?? .lessonFour, configuration: configuration, dataset: nil)
    }

    /// Builds the model a checkpoint describes and loads its weights: how the lessons open a
    /// checkpoint to evaluate it.
    ///
    /// The architecture in the metadata is held against the tensors' shapes first, so
    /// metadata that claims a larger network than the file holds is refused before the
    /// network is allocated.
    ///
    /// - Throws: `FileError` (one line, naming the file) when it cannot be read.
    public static func loadModel(_ url: URL) throws -> (model: SimCLRModel, progress: Progress) {
        let (tensors, metadata) = try SafeTensors.read(url)
        let (architecture, _) = try decodeMetadata(metadata, path: url.path)
        let encoder = architecture.encoder
        var expected: [(String, [Int])] = [("conv1.weight", [encoder.width, 3] + (encoder.stem == .cifar ? [3, 3] : [7, 7]))]
        switch architecture.head {
        case .mlp:
            expected += [("projector.0.weight", [architecture.hidden, encoder.featureDimension]),
                         ("projector.2.weight", [architecture.projection, architecture.hidden])]
        case .linear:
            expected += [("projector.0.weight", [architecture.projection, encoder.featureDimension])]
        case .none:
            break
        }
        for (name, shape) in expected where tensors[name]?.shape != shape {
            throw FileError(path: url.path, reason: "its metadata describes \(architecture), whose '\(name)' is \(shape), "
                                  + "but the file's is \(tensors[name].map { "\($0.shape)" } ?? "missing")")
        }
        // The initial weights are overwritten by the checkpoint; the seed does not matter.
        var generator = SeededGenerator(seed: 0)
        let model = SimCLRModel(architecture, generator: &generator)
        return (model, try assign(tensors, metadata, path: url.path, into: model, optimizer: nil))
    }

    /// Loads weights (and optimizer state, if given) into `model`. Fails with a one-line
    /// error if the file was written for another architecture.
    @discardableResult
    public static func load(_ url: URL, into model: SimCLRModel, optimizer: Optimizer? = nil) throws -> Progress {
        let (tensors, metadata) = try SafeTensors.read(url)
        return try assign(tensors, metadata, path: url.path, into: model, optimizer: optimizer)
    }

    /// Puts read tensors into `model` (and `optimizer`), checked against its architecture.
    private static func assign(_ tensors: [String: Tensor], _ metadata: [String: String], path: String,
                               into model: SimCLRModel, optimizer: Optimizer?) throws -> Progress {
        let (architecture, progress) = try decodeMetadata(metadata, path: path)
        guard architecture == model.architecture else {
            throw FileError(path: path, reason: "saved for \(architecture), but this run builds \(model.architecture); "
                                  + "pass the matching --arch/--width or train a new checkpoint")
        }
        func put(_ name: String, _ shape: [Int], _ set: (Tensor) -> Void) throws {
            guard let t = tensors[name] else { throw FileError(path: path, reason: "missing tensor '\(name)'") }
            guard t.shape == shape || (shape.isEmpty && t.count == 1) else {
                throw FileError(path: path, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
            set(Tensor(shape: shape, data: t.data))
        }
        for p in model.parameters { try put(p.name, p.value.shape) { p.value = $0 } }
        for b in model.buffers { try put(b.name, b.value.shape) { b.value = $0 } }
        if let optimizer {
            do {
                try optimizer.load(state: tensors.filter { $0.key.hasPrefix("optimizer.") }, for: model.parameters)
            } catch let error as OptimizerStateError {
                throw FileError(path: path, reason: "optimizer state does not fit this model: \(error)")
            }
            optimizer.steps = Int(metadata["optimizer_steps"] ?? "0") ?? 0
        }
        return progress
    }

    private static func decodeMetadata(_ metadata: [String: String], path: String) throws
        -> (SimCLRModel.Architecture, Progress) {
        guard metadata["format"] == format, let a = metadata["architecture"], let p = metadata["progress"] else {
            throw FileError(path: path, reason: "not a checkpoint of these lessons (no '\(format)' metadata)")
        }
        let decoder = JSONDecoder()
        do {
            return (try decoder.decode(SimCLRModel.Architecture.self, from: Data(a.utf8)),
                    try decoder.decode(Progress.self, from: Data(p.utf8)))
        } catch {
            throw FileError(path: path, reason: "unreadable checkpoint metadata (\(error.localizedDescription))")
        }
    }
}
