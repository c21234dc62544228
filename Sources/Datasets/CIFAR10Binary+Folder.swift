import Core
import Foundation

extension CIFAR10Binary {
    /// Writes a complete CIFAR-10 binary folder that `load(from:split:)` reads back.
    ///
    /// The folder holds `data_batch_1.bin` … `data_batch_5.bin` (the train images split into
    /// five near-equal runs, in order), `test_batch.bin` (continued in `test_batch_2.bin`, …
    /// when one file would pass `maxTestFileBytes`), and `batches.meta.txt`. Every file is
    /// written atomically; stale `test_batch_N.bin` files beyond the new ones are removed so
    /// that they are not read as part of the test split.
    ///
    /// - Parameters:
    ///   - train: 32x32 images with labels 0-9, at least five.
    ///   - test: 32x32 images with labels 0-9.
    ///   - folder: where to write (created if needed).
    ///   - maxTestFileBytes: the largest test file to write; 0 for no limit (one file).
    /// - Returns: the files written, in order.
    @discardableResult
    public static func writeFolder(train: InMemoryDataset, test: InMemoryDataset, to folder: URL,
                                   maxTestFileBytes: Int = 0) throws -> [URL] {
        contract(train.count >= 5, "writeFolder: the train split needs at least five images")
        contract(test.count >= 1, "writeFolder: the test split needs at least one image")
        var written: [URL] = []
        for b in 0 ..< 5 {
            let url = folder.appendingPathComponent("data_batch_\(b + 1).bin")
            try writeRecords(encodeRecords(train, range: Parallel.chunkRange(b, of: 5, count: train.count)), to: url)
            written.append(url)
        }
        let testBytes = test.count * recordSize
        let pieces = maxTestFileBytes > 0
            ? min(test.count, (testBytes + maxTestFileBytes - 1) / maxTestFileBytes) : 1
        for p in 0 ..< pieces {
            let url = folder.appendingPathComponent(p == 0 ? "test_batch.bin" : "test_batch_\(p + 1).bin")
            try writeRecords(encodeRecords(test, range: Parallel.chunkRange(p, of: pieces, count: test.count)), to: url)
            written.append(url)
        }
        var stale = pieces + 1
        while true {
            let url = folder.appendingPathComponent("test_batch_\(stale).bin")
            guard FileManager.default.fileExists(atPath: url.path) else { break }
            try FileManager.default.removeItem(at: url)
            stale += 1
        }
        try writeClassNames(train.classNames, in: folder)
        written.append(folder.appendingPathComponent(metaFileName))
        return written
    }
}
