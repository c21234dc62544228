import Datasets
import Foundation
import XCTest

/// CIFAR-10 binary files written here byte by byte in the official layout, then read back.
final class CIFAR10BinaryTests: XCTestCase {
    /// The synthetic value of record `i`, row `y`, column `x`, channel `c`: a different
    /// gradient per channel, so a swapped axis or channel shows up at once.
    static func value(_ i: Int, _ y: Int, _ x: Int, _ c: Int) -> UInt8 {
        switch c {
        case 0: return UInt8((4 * x + i) & 255)       // red grows to the right
        case 1: return UInt8((4 * y + 3 * i) & 255)   // green grows downwards
        default: return UInt8((7 * i + x * y) & 255)
        }
    }

    /// One official record: label byte, then the R, G, B planes, each row-major.
    static func record(_ i: Int, label: UInt8) -> [UInt8] {
        var bytes = [label]
        for c in 0 ..< 3 { for y in 0 ..< 32 { for x in 0 ..< 32 { bytes.append(value(i, y, x, c)) } } }
        return bytes
    }

    /// A folder with train batches of 3, 2, 1, 2, 2 records, a test split of 4 records over
    /// `test_batch.bin` and `test_batch_2.bin`, and `batches.meta.txt`.
    static func makeFolder(_ folder: TemporaryFolder) throws -> URL {
        var i = 0
        for (b, n) in [3, 2, 1, 2, 2].enumerated() {
            var bytes: [UInt8] = []
            for _ in 0 ..< n { bytes += record(i, label: UInt8(i % 10)); i += 1 }
            try folder.write(bytes, to: "bin/data_batch_\(b + 1).bin")
        }
        try folder.write(record(100, label: 9) + record(101, label: 0) + record(102, label: 3), to: "bin/test_batch.bin")
        try folder.write(record(103, label: 3), to: "bin/test_batch_2.bin")
        try folder.write(CIFAR10Binary.classNames.joined(separator: "\n") + "\n\n", to: "bin/batches.meta.txt")
        return folder.url.appendingPathComponent("bin")
    }

    func testDecodesPixelsOrientationAndLabels() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        let train = try CIFAR10Binary.load(from: folder, split: .train)
        XCTAssertEqual(train.count, 10)
        XCTAssertEqual(train.labels, Array(0 ..< 10))
        XCTAssertEqual(train.classNames, CIFAR10Binary.classNames)
        XCTAssertEqual(train.identity.name, "CIFAR-10 train")
        var wrong = 0
        for i in 0 ..< 10 {
            let image = try train.image(at: i)
            for y in 0 ..< 32 { for x in 0 ..< 32 {
                let p = image[y, x]
                if p.r != Self.value(i, y, x, 0) || p.g != Self.value(i, y, x, 1) || p.b != Self.value(i, y, x, 2) { wrong += 1 }
            } }
        }
        print("CIFAR-10 binary: 10 train images x 1,024 pixels decoded, \(wrong) wrong")
        XCTAssertEqual(wrong, 0)
        // Orientation spelled out: red grows along a row, green down a column.
        let first = try train.image(at: 0)
        XCTAssertEqual(first[0, 31].r, 124)
        XCTAssertEqual(first[31, 0].g, 124)

        let test = try CIFAR10Binary.load(from: folder, split: .test)
        XCTAssertEqual(test.labels, [9, 0, 3, 3], "test_batch.bin then test_batch_2.bin")
        XCTAssertEqual(try test.image(at: 3)[5, 7].g, Self.value(103, 5, 7, 1))
        XCTAssertEqual(try CIFAR10Binary.recordCount(of: .test, in: folder), 4)
    }

    func testEncodingWritesTheOfficialBytes() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        let train = try CIFAR10Binary.load(from: folder, split: .train)
        let encoded = CIFAR10Binary.encodeRecords(train, range: 3 ..< 5)
        let onDisk = try Data(contentsOf: folder.appendingPathComponent("data_batch_2.bin"))
        XCTAssertEqual(encoded, Array(onDisk), "records 3-4 re-encoded equal data_batch_2.bin")
        let out = tmp.url.appendingPathComponent("out/x.bin")
        try CIFAR10Binary.writeRecords(encoded, to: out)
        XCTAssertEqual(try Data(contentsOf: out), onDisk)
    }

    func testMissingFolderAndFiles() throws {
        let tmp = try TemporaryFolder()
        assertThrowsMessage(["nowhere", "no such folder", "--download"]) {
            _ = try CIFAR10Binary.load(from: tmp.url.appendingPathComponent("nowhere"), split: .train)
        }
        let folder = try Self.makeFolder(tmp)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data_batch_4.bin"))
        assertThrowsMessage(["data_batch_4.bin", "missing", "--download"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .train)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("test_batch.bin"))
        assertThrowsMessage(["test_batch.bin", "missing"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .test)
        }
    }

    func testTruncatedFileSaysTheByteCount() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        let file = folder.appendingPathComponent("data_batch_1.bin")
        let bytes = Array(try Data(contentsOf: file))
        try Data(bytes.prefix(2 * 3073 + 1000)).write(to: file)
        assertThrowsMessage(["data_batch_1.bin", "truncated", "7,146 bytes", "3,073-byte records"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .train)
        }
        try Data().write(to: file)
        assertThrowsMessage(["data_batch_1.bin", "empty"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .train)
        }
    }

    func testLabelAboveNineIsAnError() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        try tmp.write(Self.record(0, label: 2) + Self.record(1, label: 12), to: "bin/data_batch_2.bin")
        assertThrowsMessage(["data_batch_2.bin", "record 1 has label 12", "0-9"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .train)
        }
    }

    func testMissingOrShortMetaFile() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        try tmp.write("airplane\nautomobile\n\nbird\n", to: "bin/batches.meta.txt")
        assertThrowsMessage(["batches.meta.txt", "has 3 class names, expected 10"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .test)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("batches.meta.txt"))
        assertThrowsMessage(["batches.meta.txt", "missing"]) {
            _ = try CIFAR10Binary.load(from: folder, split: .test)
        }
    }
}
