import Core
import Foundation
import NeuralNet

/// A saved training run: the model's weights and batch-norm statistics under PyTorch's
/// names (the encoder as torchvision's ResNet, the head under `projector.`), the optimizer
/// state, and metadata (architecture, progress, seed) in the safetensors header.
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

    static let format = "simclr-swift/1"

    /// Saves atomically (temporary file, then rename).
    public static func save(_ model: SimCLRModel, optimizer: Optimizer?, progress: Progress, to url: URL) throws {
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
        ]
        try SafeTensors.write(named, metadata: metadata, to: url)
    }

    /// The architecture and progress recorded in a checkpoint, without loading weights.
    public static func inspect(_ url: URL) throws -> (architecture: SimCLRModel.Architecture, progress: Progress) {
        let (_, metadata) = try SafeTensors.read(url)
        return try decodeMetadata(metadata, path: url.path)
    }

    /// Loads weights (and optimizer state, if given) into `model`. Fails with a one-line
    /// error if the file was written for another architecture.
    @discardableResult
    public static func load(_ url: URL, into model: SimCLRModel, optimizer: Optimizer? = nil) throws -> Progress {
        let (tensors, metadata) = try SafeTensors.read(url)
        let (architecture, progress) = try decodeMetadata(metadata, path: url.path)
        guard architecture == model.architecture else {
            throw CheckpointError(path: url.path, reason: "saved for \(architecture), but this run builds \(model.architecture); "
                                  + "pass the matching --arch/--width or train a new checkpoint")
        }
        func assign(_ name: String, _ shape: [Int], _ set: (Tensor) -> Void) throws {
            guard let t = tensors[name] else { throw CheckpointError(path: url.path, reason: "missing tensor '\(name)'") }
            guard t.shape == shape || (shape.isEmpty && t.count == 1) else {
                throw CheckpointError(path: url.path, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
            set(Tensor(shape: shape, data: t.data))
        }
        for p in model.parameters { try assign(p.name, p.value.shape) { p.value = $0 } }
        for b in model.buffers { try assign(b.name, b.value.shape) { b.value = $0 } }
        if let optimizer {
            try optimizer.load(state: tensors.filter { $0.key.hasPrefix("optimizer.") })
            optimizer.steps = Int(metadata["optimizer_steps"] ?? "0") ?? 0
        }
        return progress
    }

    private static func decodeMetadata(_ metadata: [String: String], path: String) throws
        -> (SimCLRModel.Architecture, Progress) {
        guard metadata["format"] == format, let a = metadata["architecture"], let p = metadata["progress"] else {
            throw CheckpointError(path: path, reason: "not a checkpoint of these lessons (no '\(format)' metadata)")
        }
        let decoder = JSONDecoder()
        do {
            return (try decoder.decode(SimCLRModel.Architecture.self, from: Data(a.utf8)),
                    try decoder.decode(Progress.self, from: Data(p.utf8)))
        } catch {
            throw CheckpointError(path: path, reason: "unreadable checkpoint metadata (\(error.localizedDescription))")
        }
    }
}
