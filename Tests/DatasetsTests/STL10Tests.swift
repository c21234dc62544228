import Datasets
import Foundation
import XCTest

/// STL-10 files written here in the official column-major layout.
final class STL10Tests: XCTestCase {
    /// Image `i`: red = row, green = column, blue = i, so a transposed read swaps red and green.
    static func expected(_ i: Int, _ y: Int, _ x: Int) -> (UInt8, UInt8, UInt8) {
        (UInt8(y), UInt8(x + 100), UInt8(i))
    }

    /// Writes `n` images (and labels 1-10 unless `unlabeled`) the way the official files are:
    /// per image three 96x96 planes, each column-major (x varies slowest).
    static func writeSplit(_ tmp: TemporaryFolder, _ split: String, count n: Int, labels: [UInt8]?) throws {
        var bytes = [UInt8](repeating: 0, count: n * 27_648)
        for i in 0 ..< n { for c in 0 ..< 3 { for x in 0 ..< 96 { for y in 0 ..< 96 {
            let p = expected(i, y, x)
            bytes[i * 27_648 + c * 9_216 + x * 96 + y] = [p.0, p.1, p.2][c]
        } } } }
        try tmp.write(bytes, to: "stl10_binary/\(split)_X.bin")
        if let labels { try tmp.write(labels, to: "stl10_binary/\(split)_y.bin") }
    }

    static let names = ["airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck"]

    static func makeFolder(_ tmp: TemporaryFolder) throws -> URL {
        try writeSplit(tmp, "train", count: 3, labels: [1, 10, 4])
        try writeSplit(tmp, "test", count: 2, labels: [2, 2])
        try writeSplit(tmp, "unlabeled", count: 2, labels: nil)
        try tmp.write(names.joined(separator: "\n") + "\n", to: "stl10_binary/class_names.txt")
        return tmp.url.appendingPathComponent("stl10_binary")
    }

    func testDecodesColumnMajorPlanes() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        let train = try STL10Dataset(folder: folder, split: .train)
        XCTAssertEqual(train.count, 3)
        XCTAssertEqual(train.labels, [0, 9, 3], "labels 1-10 stored as 0-9")
        XCTAssertEqual(train.classNames, Self.names)
        var wrong = 0
        for i in 0 ..< 3 {
            let image = try train.image(at: i)
            XCTAssertEqual(image.width, 96)
            for y in 0 ..< 96 { for x in 0 ..< 96 {
                let p = image[y, x], e = Self.expected(i, y, x)
                if p.r != e.0 || p.g != e.1 || p.b != e.2 { wrong += 1 }
            } }
        }
        print("STL-10: 3 images x 9,216 pixels decoded from column-major planes, \(wrong) wrong")
        XCTAssertEqual(wrong, 0)
        let image = try train.image(at: 0)
        XCTAssertEqual(image[10, 0].r, 10, "red grows down the rows")
        XCTAssertEqual(image[0, 10].g, 110, "green grows along a row")

        let test = try STL10Dataset(folder: folder, split: .test)
        XCTAssertEqual(test.labels, [1, 1])
        let unlabeled = try STL10Dataset(folder: folder, split: .unlabeled)
        XCTAssertEqual(unlabeled.labels, [-1, -1])
        XCTAssertEqual(try unlabeled.image(at: 1)[95, 0].b, 1)
        XCTAssertEqual(unlabeled.classCounts(), [Int](repeating: 0, count: 10))
        XCTAssertEqual(try InMemoryDataset(loading: unlabeled).labels, [-1, -1])
    }

    func testBadFilesGiveOneLineErrors() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        assertThrowsMessage(["stl10-missing", "no such folder"]) {
            _ = try STL10Dataset(folder: tmp.url.appendingPathComponent("stl10-missing"), split: .train)
        }
        let x = Array(try Data(contentsOf: folder.appendingPathComponent("train_X.bin")))
        try tmp.write(Array(x.prefix(27_648 + 100)), to: "stl10_binary/train_X.bin")
        assertThrowsMessage(["train_X.bin", "truncated", "27,748 bytes", "27,648-byte images"]) {
            _ = try STL10Dataset(folder: folder, split: .train)
        }
        try tmp.write(Array(x.prefix(2 * 27_648)), to: "stl10_binary/train_X.bin")
        assertThrowsMessage(["train_y.bin", "has 3 labels", "2 images"]) {
            _ = try STL10Dataset(folder: folder, split: .train)
        }
        try tmp.write([2, 0], to: "stl10_binary/test_y.bin")
        assertThrowsMessage(["test_y.bin", "label 0 of image 1", "1-10"]) {
            _ = try STL10Dataset(folder: folder, split: .test)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("unlabeled_X.bin"))
        assertThrowsMessage(["unlabeled_X.bin", "missing"]) {
            _ = try STL10Dataset(folder: folder, split: .unlabeled)
        }
        try tmp.write("airplane\n", to: "stl10_binary/class_names.txt")
        assertThrowsMessage(["class_names.txt", "has 1 class names"]) {
            _ = try STL10Dataset(folder: folder, split: .test)
        }
    }
}
