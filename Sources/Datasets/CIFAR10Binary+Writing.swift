import Core
import Foundation

extension CIFAR10Binary {
    /// Encodes images as CIFAR-10 binary records (label byte, then R, G, B planes).
    ///
    /// - Parameters:
    ///   - dataset: 32x32 images with labels 0-9.
    ///   - range: which images, in order.
    /// - Returns: `range.count * 3,073` bytes.
    public static func encodeRecords(_ dataset: InMemoryDataset, range: Range<Int>) -> [UInt8] {
        contract(dataset.width == side && dataset.height == side, "CIFAR-10 records hold 32x32 images")
        let plane = side * side
        var out = [UInt8](repeating: 0, count: range.count * recordSize)
        dataset.withUnsafeBufferPointer { all in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in range.enumerated() {
                    let y = dataset.labels[i]
                    contract((0 ... 9).contains(y), "CIFAR-10 labels are 0-9, image \(i) has \(y)")
                    let record = dst.baseAddress! + r * recordSize
                    record[0] = UInt8(y)
                    let src = all.baseAddress! + i * dataset.imageByteCount
                    for p in 0 ..< plane {
                        for c in 0 ..< 3 { record[1 + c * plane + p] = src[3 * p + c] }
                    }
                }
            }
        }
        return out
    }

    /// Writes records to `url` atomically (a temporary file, then a rename).
    public static func writeRecords(_ records: [UInt8], to url: URL) throws {
        contract(records.count % recordSize == 0, "writeRecords: not a whole number of records")
        try AtomicFile.write(Data(records), to: url)
    }

    /// Writes `batches.meta.txt` atomically: the class names, one a line.
    public static func writeClassNames(_ names: [String], in folder: URL) throws {
        let text = names.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(text.utf8), to: folder.appendingPathComponent(metaFileName))
    }
}
