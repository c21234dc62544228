import Datasets
import Foundation
import XCTest

/// Class-interleaved ordering and whole-folder writing, as `PackSample` uses them.
final class PackingTests: XCTestCase {
    /// Labels in an uneven order; image i's bytes all equal i.
    static func make(_ labels: [Int], classNames: [String] = ["a", "b", "c"]) -> InMemoryDataset {
        let pixels = labels.indices.flatMap { [UInt8](repeating: UInt8($0), count: 32 * 32 * 3) }
        return InMemoryDataset(identity: DatasetIdentity(name: "toy", location: "memory"),
                               classNames: classNames, width: 32, height: 32, pixels: pixels, labels: labels)
    }

    func testInterleavedOrderTakesTheFirstKOfEachClass() throws {
        let data = Self.make([2, 2, 0, 1, 0, 2, 1, 0, 1])
        let order = try data.classInterleavedIndices(perClass: 2)
        print("class-interleaved order: \(order) labels \(order.map { data.labels[$0] })")
        XCTAssertEqual(order, [2, 3, 0, 4, 6, 1])
        XCTAssertEqual(order.map { data.labels[$0] }, [0, 1, 2, 0, 1, 2])
        assertThrowsMessage(["class a has 3 images", "fewer than the 4"]) {
            _ = try data.classInterleavedIndices(perClass: 4)
        }
    }

    func testWriteFolderSplitsTheTestFileAndReadsBack() throws {
        let tmp = try TemporaryFolder()
        let names = CIFAR10Binary.classNames
        let train = Self.make([0, 1, 2, 0, 1, 2, 9], classNames: names)
        let test = Self.make([2, 1, 0, 2, 1], classNames: names)
        // A stale extra test file from an earlier, bigger run must disappear.
        try tmp.write([UInt8](repeating: 1, count: 3_073), to: "out/test_batch_4.bin")
        let files = try CIFAR10Binary.writeFolder(train: train, test: test, to: tmp.url.appendingPathComponent("out"),
                                                  maxTestFileBytes: 2 * 3_073)
        let fileNames = files.map(\.lastPathComponent)
        print("wrote \(fileNames)")
        XCTAssertEqual(fileNames, ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                               "data_batch_5.bin", "test_batch.bin", "test_batch_2.bin", "test_batch_3.bin",
                               "batches.meta.txt"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.url.appendingPathComponent("out/test_batch_4.bin").path))
        let sizes = try files.prefix(8).map { try Data(contentsOf: $0).count / 3_073 }
        XCTAssertEqual(sizes, [2, 2, 1, 1, 1, 2, 2, 1])
        let folder = tmp.url.appendingPathComponent("out")
        let trainBack = try CIFAR10Binary.load(from: folder, split: .train)
        let testBack = try CIFAR10Binary.load(from: folder, split: .test)
        XCTAssertEqual(trainBack.pixels, train.pixels)
        XCTAssertEqual(trainBack.labels, train.labels)
        XCTAssertEqual(testBack.pixels, test.pixels)
        XCTAssertEqual(testBack.labels, test.labels)
        XCTAssertEqual(trainBack.classNames, names)
    }
}
