import Core
import Foundation
import Imaging

/// STL-10 in its official binary form (Coates, Ng and Lee 2011, `stl10_binary.tar.gz`).
///
/// The folder `stl10_binary/` holds `train_X.bin`/`train_y.bin` (5,000 images),
/// `test_X.bin`/`test_y.bin` (8,000), `unlabeled_X.bin` (100,000) and `class_names.txt`.
/// An image is 96x96x3 bytes stored as three planes (R, G, B) of 96 x 96, each plane
/// column-major: byte `c * 9216 + x * 96 + y` is channel `c` of row `y`, column `x`
/// (the official `stl10_input.py` reshapes to (3, 96, 96) and transposes (2, 1, 0)).
/// Labels are one byte each, 1-10 in the files, stored here as 0-9. The `unlabeled`
/// split has no labels: `label(at:)` is -1 for all its images.
///
/// The image file is memory-mapped and decoded per image, so the 2.7 GB unlabeled
/// split costs no memory until it is read.
public struct STL10Dataset: LabelledImageDataset, Sendable {
    public enum Split: String, Sendable, CaseIterable {
        case train, test, unlabeled
    }

    /// Image side in pixels.
    public static let side = 96
    /// Bytes per image: 3 x 96 x 96.
    public static let imageByteCount = 3 * 96 * 96
    /// The name of the folder the official archive extracts to.
    public static let folderName = "stl10_binary"

    public let identity: DatasetIdentity
    public let classNames: [String]
    /// One label per image, 0-9, or -1 for every image of the unlabeled split.
    public let labels: [Int]
    private let images: Data

    static let howToGet = "download stl10_binary.tar.gz from the STL-10 page and extract it into data/"

    /// Opens a split.
    ///
    /// - Parameters:
    ///   - folder: the `stl10_binary` folder.
    ///   - split: train, test or unlabeled.
    /// - Throws: a one-line error for a missing folder or file, an image file that is not
    ///   a whole number of 27,648-byte images, a label file of another length, or a label
    ///   outside 1-10.
    public init(folder: URL, split: Split) throws {
        guard DataLocator.isFolder(folder) else {
            throw FileError(path: folder.path, reason: "no such folder (expected STL-10 binary: train_X.bin, train_y.bin, test_X.bin, test_y.bin, unlabeled_X.bin, class_names.txt); \(Self.howToGet)")
        }
        let namesURL = folder.appendingPathComponent("class_names.txt")
        guard let text = try? String(contentsOf: namesURL, encoding: .utf8) else {
            throw FileError(path: namesURL.path, reason: "missing or unreadable (it lists the ten class names, one a line); \(Self.howToGet)")
        }
        let names = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count >= 10 else {
            throw FileError(path: namesURL.path, reason: "has \(names.count) class names, expected 10; re-download the data")
        }
        let imagesURL = folder.appendingPathComponent("\(split.rawValue)_X.bin")
        let images = try Self.mapped(imagesURL)
        guard images.count > 0, images.count % Self.imageByteCount == 0 else {
            throw FileError(path: imagesURL.path, reason: "truncated: \(grouped(images.count)) bytes is not a whole number of \(grouped(Self.imageByteCount))-byte images; re-download the data")
        }
        let n = images.count / Self.imageByteCount
        var labels = [Int](repeating: -1, count: n)
        if split != .unlabeled {
            let labelsURL = folder.appendingPathComponent("\(split.rawValue)_y.bin")
            let bytes = try Self.mapped(labelsURL)
            guard bytes.count == n else {
                throw FileError(path: labelsURL.path, reason: "has \(grouped(bytes.count)) labels but \(imagesURL.lastPathComponent) has \(grouped(n)) images; re-download the data")
            }
            for (i, b) in bytes.enumerated() {
                guard (1 ... 10).contains(b) else {
                    throw FileError(path: labelsURL.path, reason: "label \(b) of image \(grouped(i)) is outside 1-10; the file is corrupt, re-download the data")
                }
                labels[i] = Int(b) - 1
            }
        }
        self.identity = DatasetIdentity(name: "STL-10 \(split.rawValue)", location: folder.path)
        self.classNames = Array(names.prefix(10))
        self.labels = labels
        self.images = images
    }

    public var count: Int { labels.count }

    public func label(at index: Int) -> Int { labels[index] }

    /// Image `index` as 96x96 RGB (row-major, interleaved), from the column-major planes.
    public func image(at index: Int) throws -> RGBImage {
        contract(index >= 0 && index < count, "STL10Dataset: image \(index) of \(count)")
        let side = Self.side, plane = side * side
        var pixels = [UInt8](repeating: 0, count: Self.imageByteCount)
        images.withUnsafeBytes { raw in
            let src = raw.bindMemory(to: UInt8.self).baseAddress! + index * Self.imageByteCount
            pixels.withUnsafeMutableBufferPointer { out in
                for c in 0 ..< 3 {
                    for x in 0 ..< side {
                        let column = src + c * plane + x * side
                        for y in 0 ..< side { out[(y * side + x) * 3 + c] = column[y] }
                    }
                }
            }
        }
        return RGBImage(width: side, height: side, pixels: pixels)
    }

    private static func mapped(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileError(path: url.path, reason: "missing; \(howToGet)")
        }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw FileError(path: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
    }
}
