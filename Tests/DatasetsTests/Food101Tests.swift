import Datasets
import Foundation
import Imaging
import TestSupport
import XCTest

/// A miniature Food-101 tree in the official layout, with a real JPEG photo.
final class Food101Tests: XCTestCase {
    static func makeFolder(_ tmp: TemporaryFolder) throws -> URL {
        try tmp.write("apple_pie\nbaby_back_ribs\nbaklava\n", to: "food-101/meta/classes.txt")
        try tmp.write("baklava/1034\napple_pie/7\n", to: "food-101/meta/train.txt")
        try tmp.write("baby_back_ribs/99\n", to: "food-101/meta/test.txt")
        try tmp.write(cifarTestCat0000JPEG, to: "food-101/images/baklava/1034.jpg")
        let wide = RGBImage(width: 7, height: 3, fill: (200, 100, 50))
        try tmp.write(Array(try PNG.encode(width: 7, height: 3, channels: 3, pixels: wide.pixels)),
                      to: "food-101/images/apple_pie/7.jpg")
        return tmp.url.appendingPathComponent("food-101")
    }

    func testListsLabelsAndDecodesAtTheirOwnSize() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        let train = try Food101Dataset(folder: folder, split: .train)
        XCTAssertEqual(train.classNames, ["apple_pie", "baby_back_ribs", "baklava"])
        XCTAssertEqual(train.labels, [2, 0], "label = line of classes.txt, order = train.txt")
        XCTAssertEqual(train.files.map { $0.pathComponents.suffix(2).joined(separator: "/") },
                       ["baklava/1034.jpg", "apple_pie/7.jpg"])
        let photo = try train.image(at: 0)
        let expected = try Fixture("augment_cat0000").tensor("image_uint8_hwc")
        assertClose(photo.pixels.map(Float.init), expected.data, rtol: 0, atol: 1, "Food-101 image 0 (a real JPEG)")
        let other = try train.image(at: 1)
        XCTAssertEqual([other.width, other.height], [7, 3], "returned as decoded, not resized")
        XCTAssertEqual(train.identity.name, "Food-101 train")

        let test = try Food101Dataset(folder: folder, split: .test)
        XCTAssertEqual(test.labels, [1])
        assertThrowsMessage(["baby_back_ribs/99.jpg", "no such file"]) { _ = try test.image(at: 0) }
    }

    func testBadListsGiveOneLineErrors() throws {
        let tmp = try TemporaryFolder()
        let folder = try Self.makeFolder(tmp)
        assertThrowsMessage(["food-missing", "no such folder"]) {
            _ = try Food101Dataset(folder: tmp.url.appendingPathComponent("food-missing"), split: .train)
        }
        try tmp.write("baklava/1\npizza/3\n", to: "food-101/meta/test.txt")
        assertThrowsMessage(["test.txt", "line 2 \"pizza/3\""]) {
            _ = try Food101Dataset(folder: folder, split: .test)
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("meta/classes.txt"))
        assertThrowsMessage(["classes.txt", "missing"]) {
            _ = try Food101Dataset(folder: folder, split: .train)
        }
    }
}
