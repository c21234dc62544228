import Core
import Foundation
import Imaging

/// Food-101 (Bossard, Guillaumin and Van Gool 2014): 101 classes x 1,000 photos,
/// 750 train and 250 test per class.
///
/// Layout of the extracted `food-101/` folder: `images/<class>/<id>.jpg`, and
/// `meta/classes.txt` (one class a line; label = line number from 0),
/// `meta/train.txt` and `meta/test.txt` (one `class/id` a line, no extension).
/// Images keep the size they have (mostly up to 512 px a side); decoding is lazy,
/// one file per `image(at:)` call, safe from several threads at once. Resize them
/// (e.g. to the write-up's 256) with the `transform` of `InMemoryDataset(loading:)`.
public struct Food101Dataset: ImageFileList, Sendable {
    /// The name of the folder the official archive extracts to.
    public static let folderName = "food-101"

    public let identity: DatasetIdentity
    public let classNames: [String]
    /// The file of every image, in the order of the split's list.
    public let files: [URL]
    /// The label of every image.
    public let labels: [Int]

    static let howToGet = "download food-101.tar.gz from the Food-101 page and extract it into data/"

    /// Reads the class list and the split's list (no image is opened).
    ///
    /// - Parameters:
    ///   - folder: the `food-101` folder.
    ///   - split: `meta/train.txt` or `meta/test.txt`.
    /// - Throws: a one-line error for a missing folder or list, or a list line naming a
    ///   class that `classes.txt` does not have.
    public init(folder: URL, split: DatasetSplit) throws {
        guard DataLocator.isFolder(folder) else {
            throw FileError(path: folder.path, reason: "no such folder (expected Food-101: images/<class>/<id>.jpg and meta/classes.txt, train.txt, test.txt); \(Self.howToGet)")
        }
        let meta = folder.appendingPathComponent("meta")
        let classNames = try Self.lines(of: meta.appendingPathComponent("classes.txt"))
        guard !classNames.isEmpty else {
            throw FileError(path: meta.appendingPathComponent("classes.txt").path, reason: "lists no classes; re-download the data")
        }
        let labelOf = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let listURL = meta.appendingPathComponent("\(split.rawValue).txt")
        let entries = try Self.lines(of: listURL)
        let images = folder.appendingPathComponent("images")
        var files: [URL] = [], labels: [Int] = []
        files.reserveCapacity(entries.count)
        labels.reserveCapacity(entries.count)
        for (n, entry) in entries.enumerated() {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard parts.count == 2, let label = labelOf[String(parts[0])] else {
                throw FileError(path: listURL.path, reason: "line \(n + 1) \"\(entry)\" is not <class>/<id> with a class from classes.txt; re-download the data")
            }
            files.append(images.appendingPathComponent(String(parts[0])).appendingPathComponent("\(parts[1]).jpg"))
            labels.append(label)
        }
        guard !files.isEmpty else {
            throw FileError(path: listURL.path, reason: "lists no images; re-download the data")
        }
        self.identity = DatasetIdentity(name: "Food-101 \(split)", location: folder.path)
        self.classNames = classNames
        self.files = files
        self.labels = labels
    }

    /// The non-blank lines of a text file, trimmed.
    private static func lines(of url: URL) throws -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw FileError(path: url.path, reason: "missing or unreadable; \(howToGet)")
        }
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
