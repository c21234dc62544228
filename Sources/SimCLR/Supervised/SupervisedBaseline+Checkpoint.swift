import Core
import Foundation
import NeuralNet

extension SupervisedBaseline {
    /// What a saved supervised network is: how it was trained and on which labels, so a
    /// lesson can say where the number it recomputes comes from.
    public struct Record: Codable, Equatable, Sendable {
        public var configuration: Configuration
        public var classes: Int
        /// Labelled training images it was trained on, and which ones in words.
        public var labelledImages: Int
        public var labels: String
        /// How its epochs were chosen (nil: given, not chosen).
        public var epochChoice: EpochChoice?
        /// Mean cross entropy of each epoch.
        public var epochLosses: [Double]
        /// Wall-clock seconds of the training (and of the choice, if any).
        public var seconds: Double
        /// The command that trained it.
        public var command: String

        public init(configuration: Configuration, classes: Int, labelledImages: Int, labels: String, epochChoice: EpochChoice?,
                    epochLosses: [Double], seconds: Double, command: String) {
            self.configuration = configuration
            self.classes = classes
            self.labelledImages = labelledImages
            self.labels = labels
            self.epochChoice = epochChoice
            self.epochLosses = epochLosses
            self.seconds = seconds
            self.command = command
        }
    }

    static let format = "simclr-swift-supervised/1"

    /// Saves the encoder (with its batch-norm statistics) and the classifier under
    /// PyTorch's names, with `record` in the header; atomically.
    public func save(to url: URL, record: Record) throws {
        var named: [(name: String, tensor: Tensor)] = []
        for p in encoder.parameters + classifier.parameters { named.append((p.name, p.value)) }
        for b in encoder.buffers { named.append((b.name, b.value)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try SafeTensors.write(named, metadata: ["format": Self.format,
                                                "record": String(decoding: try encoder.encode(record), as: UTF8.self)], to: url)
    }

    /// Reads a network written by `save(to:record:)`.
    ///
    /// - Throws: `FileError` (one line, naming the file) when it is not such a file or
    ///   a tensor is missing or has the wrong shape.
    public static func load(_ url: URL) throws -> (baseline: SupervisedBaseline, record: Record) {
        let (tensors, metadata) = try SafeTensors.read(url)
        guard metadata["format"] == format, let text = metadata["record"] else {
            throw FileError(path: url.path, reason: "not a supervised baseline of these lessons (no '\(format)' metadata)")
        }
        let record: Record
        do {
            record = try JSONDecoder().decode(Record.self, from: Data(text.utf8))
        } catch {
            throw FileError(path: url.path, reason: "unreadable record (\(error.localizedDescription))")
        }
        // Sizes come from outside bytes: refuse absurd ones before allocating the network.
        guard record.classes >= 2 && record.classes <= 1000, (1 ... 256).contains(record.configuration.encoder.width) else {
            throw FileError(path: url.path, reason: "record claims \(record.classes) classes and width "
                                  + "\(record.configuration.encoder.width); not a network these lessons can build")
        }
        // The record against the tensors before anything is allocated for the network it describes.
        let encoder = record.configuration.encoder
        for (name, shape) in [("conv1.weight", [encoder.width, 3] + (encoder.stem == .cifar ? [3, 3] : [7, 7])),
                              ("fc.weight", [record.classes, encoder.featureDimension])] where tensors[name]?.shape != shape {
            throw FileError(path: url.path, reason: "its record describes \(encoder) with \(record.classes) classes, whose "
                                  + "'\(name)' is \(shape), but the file's is \(tensors[name].map { "\($0.shape)" } ?? "missing")")
        }
        let baseline = SupervisedBaseline(config: record.configuration, classes: record.classes)
        func assign(_ name: String, _ shape: [Int], _ set: (Tensor) -> Void) throws {
            guard let t = tensors[name] else { throw FileError(path: url.path, reason: "missing tensor '\(name)'") }
            guard t.shape == shape || (shape.isEmpty && t.count == 1) else {
                throw FileError(path: url.path, reason: "tensor '\(name)' has shape \(t.shape), expected \(shape)")
            }
            set(Tensor(shape: shape, data: t.data))
        }
        for p in baseline.encoder.parameters + baseline.classifier.parameters { try assign(p.name, p.value.shape) { p.value = $0 } }
        for b in baseline.encoder.buffers { try assign(b.name, b.value.shape) { b.value = $0 } }
        return (baseline, record)
    }
}
