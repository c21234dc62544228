import Core
import Datasets
import Foundation
import Imaging
import TestSupport
import XCTest

/// An ImageFolder tree of lossless PNGs written by the test (plus one real CIFAR JPEG).
final class ImageFolderTests: XCTestCase {
    /// A 6x4 image whose pixels encode (tag, y, x), so order and orientation are visible.
    static func tagged(_ tag: Int, width: Int = 6, height: Int = 4) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0 ..< height { for x in 0 ..< width { pixels += [UInt8(tag), UInt8(10 * y), UInt8(10 * x)] } }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// root/{cat,airplane,dog}/… with names chosen so that creation order, numeric order
    /// and sorted order differ; plus a hidden file and a text file to be ignored.
    static func makeTree(_ tmp: TemporaryFolder) throws -> URL {
        let files: [(String, Int)] = [
            ("cat/0010.png", 21), ("cat/0002.png", 20), ("airplane/b.PNG", 11), ("airplane/a.png", 10),
            ("dog/0000.png", 30), ("dog/0001.png", 31), ("dog/0002.png", 32),
        ]
        for (path, tag) in files {
            try tmp.write(Array(try PNG.encode(width: 6, height: 4, channels: 3, pixels: tagged(tag).pixels)), to: "root/\(path)")
        }
        try tmp.write("not an image", to: "root/cat/notes.txt")
        try tmp.write("hidden", to: "root/dog/.DS_Store")
        try tmp.write("a stray file beside the classes", to: "root/README")
        return tmp.url.appendingPathComponent("root")
    }

    func testClassesAreSortedFoldersAndFilesSortedByName() throws {
        let tmp = try TemporaryFolder()
        let data = try ImageFolderDataset(root: try Self.makeTree(tmp), name: "tiny")
        XCTAssertEqual(data.classNames, ["airplane", "cat", "dog"])
        XCTAssertEqual(data.labels, [0, 0, 1, 1, 2, 2, 2])
        XCTAssertEqual(data.files.map(\.lastPathComponent), ["a.png", "b.PNG", "0002.png", "0010.png", "0000.png", "0001.png", "0002.png"])
        let tags = try (0 ..< data.count).map { Int(try data.image(at: $0)[0, 0].r) }
        print("ImageFolder order by tag: \(tags)")
        XCTAssertEqual(tags, [10, 11, 20, 21, 30, 31, 32])
        XCTAssertEqual(try data.image(at: 2)[3, 5].g, 30, "row 3")
        XCTAssertEqual(try data.image(at: 2)[3, 5].b, 50, "column 5")
        XCTAssertEqual(data.classCounts(), [2, 2, 3])
        XCTAssertEqual(data.firstIndicesPerClass(1), [0, 2, 4])
        XCTAssertEqual(data.identity.name, "tiny")
    }

    func testParallelLoadEqualsOneByOne() throws {
        let tmp = try TemporaryFolder()
        let data = try ImageFolderDataset(root: try Self.makeTree(tmp))
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = 2
        let memory = try InMemoryDataset(loading: data)
        XCTAssertEqual(memory.count, 7)
        XCTAssertEqual(memory.labels, data.labels)
        for i in 0 ..< 7 { XCTAssertEqual(try memory.image(at: i), try data.image(at: i)) }
        let picked = try InMemoryDataset(loading: data, indices: [6, 0])
        XCTAssertEqual(picked.labels, [2, 0])
        XCTAssertEqual(picked.pixels[0], 32)
        print("ImageFolder: 7 images decoded on 2 threads equal the one-by-one decodes")
    }

    func testCorruptFileIsNamed() throws {
        let tmp = try TemporaryFolder()
        let root = try Self.makeTree(tmp)
        let png = Array(try Data(contentsOf: root.appendingPathComponent("dog/0001.png")))
        try tmp.write(Array(png.prefix(png.count / 2)), to: "root/dog/0001.png")
        try tmp.write(Array(cifarTestCat0000JPEG.prefix(500)), to: "root/cat/0002.png")
        let data = try ImageFolderDataset(root: root)
        assertThrowsMessage(["dog/0001.png", "PNG"]) { _ = try data.image(at: 5) }
        assertThrowsMessage(["cat/0002.png", "JPEG"]) { _ = try data.image(at: 2) }
        assertThrowsMessage(["cat/0002.png"]) { _ = try InMemoryDataset(loading: data) }
    }

    func testDifferentSizesNeedATransform() throws {
        let tmp = try TemporaryFolder()
        let root = try Self.makeTree(tmp)
        try tmp.write(Array(try PNG.encode(width: 5, height: 4, channels: 3, pixels: Self.tagged(0, width: 5).pixels)),
                      to: "root/dog/0003.png")
        let data = try ImageFolderDataset(root: root)
        assertThrowsMessage(["image 7 is 5x4", "image 0 is 6x4", "transform"]) { _ = try InMemoryDataset(loading: data) }
        let cropped = try InMemoryDataset(loading: data) { image in
            RGBImage(width: 4, height: 4, pixels: (0 ..< 4).flatMap { y in Array(image.pixels[(y * image.width * 3) ..< (y * image.width * 3 + 12)]) })
        }
        XCTAssertEqual(cropped.width, 4)
        XCTAssertEqual(cropped.count, 8)
    }

    func testMissingAndEmptyRoots() throws {
        let tmp = try TemporaryFolder()
        assertThrowsMessage(["nothing-here", "no such folder"]) {
            _ = try ImageFolderDataset(root: tmp.url.appendingPathComponent("nothing-here"))
        }
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("empty/cat"), withIntermediateDirectories: true)
        assertThrowsMessage(["empty", "no .jpg, .jpeg or .png"]) {
            _ = try ImageFolderDataset(root: tmp.url.appendingPathComponent("empty"))
        }
    }

    func testRealCIFARJPEGDecodesToTheReferencePixels() throws {
        let tmp = try TemporaryFolder()
        try tmp.write(cifarTestCat0000JPEG, to: "cifar10/test/cat/0000.jpg")
        let data = try ImageFolderDataset(root: tmp.url.appendingPathComponent("cifar10/test"))
        let image = try data.image(at: 0)
        let expected = try Fixture("augment_cat0000").tensor("image_uint8_hwc")
        XCTAssertEqual(expected.shape, [32, 32, 3])
        assertClose(image.pixels.map(Float.init), expected.data, rtol: 0, atol: 1, "test/cat/0000.jpg vs PIL's decode")
    }
}
