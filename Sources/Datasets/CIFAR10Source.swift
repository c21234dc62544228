import Core
import Foundation

/// Where CIFAR-10 was found, in which format, and a one-line description to print.
/// Made by `DataLocator.locateCIFAR10`.
public struct CIFAR10Source: Sendable, CustomStringConvertible {
    public enum Format: String, Sendable {
        /// The official binary files (`data_batch_1.bin` …, `test_batch.bin`).
        case binary
        /// One JPEG/PNG per image under `train/<class>/` and `test/<class>/`.
        case imageFolder
    }

    /// How the images are stored.
    public let format: Format
    /// The binary folder, or the ImageFolder root holding `train/` and `test/`.
    public let folder: URL
    /// The folder as printed (relative to the project root when inside it).
    public let displayPath: String
    /// True for the small sample committed with the project.
    public let isBundledSample: Bool
    /// Images in the train and test splits.
    public let trainCount: Int
    public let testCount: Int

    /// One line saying what will be used, e.g. "CIFAR-10 sample bundled with the project:
    /// 5,000 train / 2,000 test images (data/cifar10-sample); run with --download for the full set".
    public var description: String {
        let counts = "\(grouped(trainCount)) train / \(grouped(testCount)) test images (\(displayPath))"
        if isBundledSample {
            return "CIFAR-10 sample bundled with the project: \(counts); run with --download for the full set"
        }
        switch format {
        case .binary: return "CIFAR-10 binary: \(counts)"
        case .imageFolder: return "CIFAR-10 JPEG folders: \(counts)"
        }
    }

    /// Describes a folder already known to be in `format`, counting its images.
    /// - Throws: the loaders' one-line errors when a needed file is missing or malformed.
    init(format: Format, folder: URL, displayPath: String, isBundledSample: Bool) throws {
        self.format = format
        self.folder = folder
        self.displayPath = displayPath
        self.isBundledSample = isBundledSample
        switch format {
        case .binary:
            trainCount = try CIFAR10Binary.recordCount(of: .train, in: folder)
            testCount = try CIFAR10Binary.recordCount(of: .test, in: folder)
        case .imageFolder:
            trainCount = try ImageFolderDataset(root: folder.appendingPathComponent("train")).count
            testCount = try ImageFolderDataset(root: folder.appendingPathComponent("test")).count
        }
    }

    /// The split as a data set without decoding anything yet where that is possible
    /// (the binary format is read whole; it takes a fraction of a second).
    public func dataset(_ split: DatasetSplit) throws -> any LabelledImageDataset {
        switch format {
        case .binary:
            return try CIFAR10Binary.load(from: folder, split: split, location: displayPath)
        case .imageFolder:
            return try ImageFolderDataset(root: folder.appendingPathComponent(split.rawValue),
                                          name: "CIFAR-10 \(split)", location: "\(displayPath)/\(split)")
        }
    }

    /// The split decoded into memory (JPEGs on all cores).
    public func load(_ split: DatasetSplit) throws -> InMemoryDataset {
        switch format {
        case .binary:
            return try CIFAR10Binary.load(from: folder, split: split, location: displayPath)
        case .imageFolder:
            return try InMemoryDataset(loading: try dataset(split))
        }
    }
}
