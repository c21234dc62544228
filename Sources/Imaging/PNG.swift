import Core
import CLibPNG
import Foundation

/// PNG reading and writing through libpng's simplified API.
///
/// That API reports problems through a return code and `image.message` instead of
/// `longjmp`, so it is safe to call from Swift.
public enum PNG {
    /// Decodes PNG bytes to 8-bit RGB (grey and palette images are expanded, alpha is
    /// composited over black by libpng). `name` is used in error messages.
    public static func decode(_ data: Data, name: String = "PNG data") throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { raw in
            png_image_begin_read_from_memory(&image, raw.baseAddress, raw.count)
        }
        guard began != 0 else {
            throw FileError(path: name, reason: "not a readable PNG (\(message(of: &image)))")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        // The header's size comes from outside: refuse it before allocating for it.
        guard width * height <= ImageFile.maximumPixels else {
            png_image_free(&image)
            throw FileError(path: name, reason: "the header claims \(width) x \(height) pixels, more than the "
                                 + "\(ImageFile.maximumPixels)-pixel limit")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let finished = data.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, Int32(width * 3), nil)
            }
        }
        guard finished != 0 else {
            let why = message(of: &image)
            png_image_free(&image)
            throw FileError(path: name, reason: "corrupt or truncated PNG (\(why))")
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Reads and decodes a PNG file.
    public static func read(_ url: URL) throws -> RGBImage {
        try decode(try ImageFile.contents(of: url), name: url.path)
    }

    /// Encodes interleaved 8-bit pixels with 3 (RGB) or 4 (RGBA) channels.
    public static func encode(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws -> Data {
        contract(channels == 3 || channels == 4, "PNG.encode: 3 or 4 channels")
        contract(pixels.count == width * height * channels, "PNG.encode: wrong byte count")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(channels == 4 ? PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA : PNG_FORMAT_RGB)
        // First call asks for the size, second call writes.
        var size = 0
        let sized = pixels.withUnsafeBytes { raw in
            png_image_write_to_memory(&image, nil, &size, 0, raw.baseAddress, Int32(width * channels), nil)
        }
        guard sized != 0 || size > 0 else {
            throw FileError(path: "PNG", reason: "cannot encode (\(message(of: &image)))")
        }
        var out = Data(count: size)
        let wrote = out.withUnsafeMutableBytes { dst in
            pixels.withUnsafeBytes { raw in
                png_image_write_to_memory(&image, dst.baseAddress, &size, 0, raw.baseAddress,
                                          Int32(width * channels), nil)
            }
        }
        guard wrote != 0 else {
            throw FileError(path: "PNG", reason: "cannot encode (\(message(of: &image)))")
        }
        return out.prefix(size)
    }

    /// Writes an RGB image as PNG, atomically (temporary name, then rename).
    public static func write(_ image: RGBImage, to url: URL) throws {
        let data = try encode(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
        try ImageFile.writeAtomically(data, to: url)
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
