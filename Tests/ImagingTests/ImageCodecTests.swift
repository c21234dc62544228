import Foundation
import Imaging
import TestSupport
import XCTest

final class ImageCodecTests: XCTestCase {
    private var folder: URL!
    private let catURL = Fixture.folder.appendingPathComponent("cifar10_test_cat_0000.jpg")

    override func setUpWithError() throws {
        folder = try temporaryFolder("imaging")
    }

    /// libjpeg-turbo decodes CIFAR-10's test/cat/0000.jpg to the same pixels as PIL (both
    /// libjpeg-turbo, ISLOW), within one grey level.
    func testJPEGDecodeMatchesPIL() throws {
        let image = try JPEG.read(catURL)
        XCTAssertEqual(image.width, 32)
        XCTAssertEqual(image.height, 32)
        let expected = try Fixture("augment_cat0000").tensor("image_uint8_hwc")
        assertClose(image.pixels.map(Float.init), expected.data, rtol: 0, atol: 1, "decoded test/cat/0000.jpg vs PIL")
        XCTAssertEqual(try ImageFile.read(catURL), image, "ImageFile recognises a JPEG by its first bytes")
    }

    /// An encoded JPEG decodes to the same size and nearly the same pixels (JPEG is lossy: at
    /// quality 90 a real photo's pixels move by a few levels on average), is far smaller than
    /// the raw bytes, and a higher quality stays closer.
    func testJPEGEncodeRoundTrip() throws {
        let cat = try JPEG.read(catURL)
        func meanError(_ quality: Int) throws -> (error: Double, bytes: Int) {
            let data = try JPEG.encode(cat, quality: quality)
            let back = try JPEG.decode(data)
            XCTAssertEqual(back.width, cat.width)
            XCTAssertEqual(back.height, cat.height)
            let total = zip(back.pixels, cat.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
            return (Double(total) / Double(cat.pixels.count), data.count)
        }
        let high = try meanError(90), low = try meanError(30)
        print("JPEG 32x32 cat: quality 90 → \(high.bytes) bytes, mean error \(high.error); quality 30 → \(low.bytes) bytes, \(low.error)")
        XCTAssertLessThan(high.error, 4)
        XCTAssertLessThan(high.error, low.error)
        XCTAssertLessThan(low.bytes, high.bytes)
        XCTAssertLessThan(high.bytes, cat.pixels.count)
    }

    func testPNGRoundTripRGBAndRGBA() throws {
        let pixels = (0 ..< 7 * 5 * 3).map { UInt8(($0 * 37) % 256) }
        let image = RGBImage(width: 7, height: 5, pixels: pixels)
        let url = folder.appendingPathComponent("a.png")
        try PNG.write(image, to: url)
        XCTAssertEqual(try PNG.read(url), image)
        XCTAssertEqual(try ImageFile.read(url), image)
        // RGBA: decoding to RGB composites over black, so opaque pixels come back unchanged.
        var rgba: [UInt8] = []
        for i in 0 ..< 7 * 5 { rgba += [pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2], 255] }
        let data = try PNG.encode(width: 7, height: 5, channels: 4, pixels: rgba)
        XCTAssertEqual(try PNG.decode(data), image)
    }

    /// A truncated PNG, a corrupt JPEG, a truncated JPEG, a file that is neither and a
    /// missing file each give one line naming the file — never a crash or grey pixels.
    func testDamagedFilesGiveOneLineErrors() throws {
        let png = try PNG.encode(width: 16, height: 16, channels: 3, pixels: [UInt8](repeating: 128, count: 16 * 16 * 3))
        let jpeg = try Data(contentsOf: catURL)
        var corrupt = jpeg
        for i in 200 ..< 260 { corrupt[i] = 0xFF }   // inside the entropy-coded data
        let cases: [(String, Data, String)] = [
            ("truncated.png", png.prefix(png.count / 2), "PNG"),
            ("truncated.jpg", jpeg.prefix(jpeg.count / 2), "JPEG"),
            ("corrupt.jpg", corrupt, "JPEG"),
            ("header-only.jpg", jpeg.prefix(4), "JPEG"),
            ("text.png", Data("not an image at all".utf8), "neither a PNG nor a JPEG"),
        ]
        for (name, bytes, expected) in cases {
            let url = folder.appendingPathComponent(name)
            try bytes.write(to: url)
            XCTAssertThrowsError(try ImageFile.read(url), name) { error in
                let text = "\(error)"
                print("\(name) → \(text)")
                XCTAssertTrue(text.contains(name) && text.contains(expected), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
        XCTAssertThrowsError(try ImageFile.read(folder.appendingPathComponent("missing.jpg"))) { error in
            XCTAssertTrue("\(error)".contains("no such file"))
        }
    }

    /// A header that claims a huge image (here 20,000 x 20,000 = 400 megapixels, 1.2 GB of
    /// RGB) is refused before anything is allocated for it, in one line, whatever the format.
    func testHeadersClaimingHugeImagesAreRefusedBeforeAllocating() throws {
        // PNG: rewrite the IHDR's width and height and its CRC.
        var png = try PNG.encode(width: 4, height: 4, channels: 3, pixels: [UInt8](repeating: 9, count: 48))
        func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        png.replaceSubrange(16 ..< 24, with: bigEndian(20_000) + bigEndian(20_000))
        png.replaceSubrange(29 ..< 33, with: bigEndian(crc32(Array(png[12 ..< 29]))))
        // JPEG: the start-of-frame marker's height and width (big-endian, after the precision byte).
        var jpeg = try Data(contentsOf: catURL)
        let sof = try XCTUnwrap((0 ..< jpeg.count - 9).first { jpeg[$0] == 0xFF && (0xC0 ... 0xC2).contains(jpeg[$0 + 1]) })
        jpeg.replaceSubrange(sof + 5 ..< sof + 9, with: [0x4E, 0x20, 0x4E, 0x20])
        for (name, bytes) in [("huge.png", png), ("huge.jpg", jpeg)] {
            let url = folder.appendingPathComponent(name)
            try bytes.write(to: url)
            XCTAssertThrowsError(try ImageFile.read(url), name) { error in
                let text = "\(error)"
                print("\(name) → \(text)")
                XCTAssertTrue(text.contains(name) && text.contains("20000 x 20000 pixels, more than the 67108864-pixel limit"), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }

    /// CRC-32 as PNG chunks use it (ISO 3309, polynomial 0xEDB88320).
    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    func testPlanarConversionRoundTrip() throws {
        let image = try JPEG.read(catURL)
        let planar = PlanarImage(image)
        XCTAssertEqual(planar.data.count, 3 * 32 * 32)
        XCTAssertEqual(planar[0, 0, 0], Float(image.pixels[0]) / 255)
        XCTAssertEqual(planar[2, 31, 31], Float(image.pixels[(31 * 32 + 31) * 3 + 2]) / 255)
        XCTAssertEqual(planar.rgbImage(), image)
        assertClose(planar.data, try Fixture("augment_cat0000").tensor("image").data, rtol: 0, atol: 1.0 / 255 + 1e-6,
                    "ToTensor of the decoded image vs torchvision")
    }
}
