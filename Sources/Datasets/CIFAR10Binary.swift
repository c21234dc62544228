import Core
import Foundation
import Imaging

/// The official binary CIFAR-10 (Krizhevsky 2009, `cifar-10-binary.tar.gz`).
///
/// A folder (`cifar-10-batches-bin/`) holds `data_batch_1.bin` … `data_batch_5.bin`
/// (train), `test_batch.bin` (test) and `batches.meta.txt` (the ten class names, one a
/// line). Each file is a run of 3,073-byte records: one label byte (0-9), then the
/// 32x32 red plane, the green plane and the blue plane, each row-major. Any whole
/// number of records per file is accepted, so smaller files (the bundled sample) load
/// the same way; a test split may continue in `test_batch_2.bin`, `test_batch_3.bin`, …,
/// read in that order after `test_batch.bin`.
public enum CIFAR10Binary {
    /// Image side in pixels.
    public static let side = 32
    /// Bytes per record: 1 label + 3 x 32 x 32 pixels.
    public static let recordSize = 1 + 3 * 32 * 32
    /// The official class names in label order (also in `batches.meta.txt`).
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]
    /// The name of the folder the official archive extracts to.
    public static let folderName = "cifar-10-batches-bin"
    /// The file holding the class names.
    public static let metaFileName = "batches.meta.txt"

    /// What to tell someone whose folder lacks a file.
    static let howToGet = "download cifar-10-binary.tar.gz (run a lesson with --download), or extract the JPEG archive into data/cifar10 and use that"

    /// The batch files of `split` in `folder`, in reading order.
    /// - Throws: a one-line error naming the missing folder or file.
    public static func files(of split: DatasetSplit, in folder: URL) throws -> [URL] {
        try requireFolder(folder)
        let fm = FileManager.default
        switch split {
        case .train:
            let urls = (1 ... 5).map { folder.appendingPathComponent("data_batch_\($0).bin") }
            for url in urls where !fm.fileExists(atPath: url.path) {
                throw FileError(path: url.path, reason: "missing (a CIFAR-10 train split needs data_batch_1.bin … data_batch_5.bin); \(howToGet)")
            }
            return urls
        case .test:
            let first = folder.appendingPathComponent("test_batch.bin")
            guard fm.fileExists(atPath: first.path) else {
                throw FileError(path: first.path, reason: "missing (the CIFAR-10 test split); \(howToGet)")
            }
            var urls = [first]
            while true {
                let next = folder.appendingPathComponent("test_batch_\(urls.count + 1).bin")
                guard fm.fileExists(atPath: next.path) else { return urls }
                urls.append(next)
            }
        }
    }

    /// Reads the ten class names from `batches.meta.txt` (blank lines ignored).
    /// - Throws: a one-line error when the file is missing or has fewer than ten names.
    public static func readClassNames(in folder: URL) throws -> [String] {
        try requireFolder(folder)
        let url = folder.appendingPathComponent(metaFileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw FileError(path: url.path, reason: "missing or unreadable (it lists the ten class names, one a line); \(howToGet)")
        }
        let names = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count >= 10 else {
            throw FileError(path: url.path, reason: "has \(names.count) class names, expected 10 (one a line); re-download the data")
        }
        return Array(names.prefix(10))
    }

    /// Loads a split into memory: 60,000 images take a fraction of a second.
    ///
    /// - Parameters:
    ///   - folder: a folder laid out as described on the type.
    ///   - split: train (`data_batch_1…5.bin`) or test (`test_batch.bin`, then `test_batch_2.bin`, …).
    ///   - location: how to name the folder in messages and the identity (default: its path).
    /// - Returns: N images of 32x32x3 (HWC) with labels 0-9, in file order.
    /// - Throws: a one-line error for a missing folder or file, a file that is not a whole
    ///   number of records, or a label byte above 9.
    public static func load(from folder: URL, split: DatasetSplit, location: String? = nil) throws -> InMemoryDataset {
        let names = try readClassNames(in: folder)
        let urls = try files(of: split, in: folder)
        let contents = try urls.map { url -> Data in
            do {
                return try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw FileError(path: url.path, reason: "cannot read (\(error.localizedDescription))")
            }
        }
        for (url, data) in zip(urls, contents) { try checkSize(data.count, of: url) }
        let total = contents.reduce(0) { $0 + $1.count / recordSize }
        var pixels = [UInt8](repeating: 0, count: total * side * side * 3)
        var labels = [Int](repeating: 0, count: total)
        var first = 0
        for (url, data) in zip(urls, contents) {
            let n = data.count / recordSize
            try data.withUnsafeBytes { raw in
                let src = raw.bindMemory(to: UInt8.self).baseAddress!
                for r in 0 ..< n {
                    let y = Int(src[r * recordSize])
                    guard y <= 9 else {
                        throw FileError(path: url.path, reason: "record \(grouped(r)) has label \(y), but CIFAR-10 labels are 0-9; the file is corrupt or not CIFAR-10 binary, re-download the data")
                    }
                    labels[first + r] = y
                }
                pixels.withUnsafeMutableBufferPointer { dst in
                    let out = dst.baseAddress! + first * side * side * 3
                    Parallel.forChunks(n, minimumChunk: 512) { range in
                        for r in range {
                            planarToInterleaved(src + r * recordSize + 1, out + r * side * side * 3)
                        }
                    }
                }
            }
            first += n
        }
        let identity = DatasetIdentity(name: "CIFAR-10 \(split)", location: location ?? folder.path)
        return InMemoryDataset(identity: identity, classNames: names, width: side, height: side,
                               pixels: pixels, labels: labels)
    }

    /// How many records the files of `split` hold, from their sizes alone.
    public static func recordCount(of split: DatasetSplit, in folder: URL) throws -> Int {
        try files(of: split, in: folder).reduce(0) { sum, url in
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            try checkSize(size, of: url)
            return sum + size / recordSize
        }
    }

    /// One record's R, G, B planes (3 x 1,024 bytes) to 32x32 interleaved RGB.
    @inline(__always)
    static func planarToInterleaved(_ planes: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>) {
        let plane = side * side
        for p in 0 ..< plane {
            out[3 * p] = planes[p]
            out[3 * p + 1] = planes[plane + p]
            out[3 * p + 2] = planes[2 * plane + p]
        }
    }

    static func checkSize(_ size: Int, of url: URL) throws {
        guard size > 0 else {
            throw FileError(path: url.path, reason: "empty file (0 bytes); re-download the data")
        }
        guard size % recordSize == 0 else {
            throw FileError(path: url.path, reason: "truncated: \(grouped(size)) bytes is not a whole number of \(grouped(recordSize))-byte records; re-download the data")
        }
    }

    static func requireFolder(_ folder: URL) throws {
        guard DataLocator.isFolder(folder) else {
            throw FileError(path: folder.path, reason: "no such folder (expected CIFAR-10 binary: data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt); \(howToGet)")
        }
    }
}
