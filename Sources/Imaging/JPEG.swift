import Core
import CJPEGShim
import Foundation

/// JPEG decoding through libjpeg(-turbo), via a small C shim that turns libjpeg's fatal
/// errors and warnings into returned errors (see `jpeg_shim.c`).
public enum JPEG {
    /// Decodes JPEG bytes to 8-bit RGB. `name` is used in error messages.
    public static func decode(_ data: Data, name: String = "JPEG data") throws -> RGBImage {
        let result = data.withUnsafeBytes { raw -> jpeg_shim_result in
            jpeg_shim_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, ImageFile.maximumPixels)
        }
        guard result.status == 0, let pixels = result.pixels else {
            let why = withUnsafeBytes(of: result.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            // Status 3: the header claims more pixels than allowed (the message says so).
            throw FileError(path: name, reason: result.status == 3 ? why : "corrupt or truncated JPEG (\(why))")
        }
        defer { jpeg_shim_free(pixels) }
        let count = Int(result.width) * Int(result.height) * 3
        let bytes = Array(UnsafeBufferPointer(start: pixels, count: count))
        return RGBImage(width: Int(result.width), height: Int(result.height), pixels: bytes)
    }

    /// Encodes an image as a baseline JPEG of `quality` (1-100): for pictures embedded in
    /// a page, where PNG's lossless bytes would be three times larger.
    public static func encode(_ image: RGBImage, quality: Int = 85) throws -> Data {
        let result = image.pixels.withUnsafeBufferPointer { rgb in
            jpeg_shim_encode(rgb.baseAddress, Int32(image.width), Int32(image.height), Int32(max(1, min(100, quality))))
        }
        guard result.status == 0, let bytes = result.bytes else {
            let why = withUnsafeBytes(of: result.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            throw FileError(path: "", reason: "JPEG encoding failed (\(why))")
        }
        defer { jpeg_shim_free(bytes) }
        return Data(bytes: bytes, count: Int(result.size))
    }

    /// Reads and decodes a JPEG file.
    public static func read(_ url: URL) throws -> RGBImage {
        try decode(try ImageFile.contents(of: url), name: url.path)
    }
}
