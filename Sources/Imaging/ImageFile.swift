import Core
import Foundation

/// Reading an image file whatever its format, by its first bytes rather than its name.
public enum ImageFile {
    /// The most pixels a decoder accepts: 64 megapixels (8192 x 8192, 192 MB of RGB).
    ///
    /// The lessons' images are at most a few hundred pixels a side; a header claiming more
    /// is a damaged or hostile file, refused before any buffer is sized by it.
    public static let maximumPixels = 64 * 1024 * 1024

    /// Decodes a PNG or JPEG file to RGB.
    public static func read(_ url: URL) throws -> RGBImage {
        let data = try contents(of: url)
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNG.decode(data, name: url.path) }
        if data.starts(with: [0xFF, 0xD8]) { return try JPEG.decode(data, name: url.path) }
        throw FileError(path: url.path, reason: "neither a PNG nor a JPEG file (unrecognised first bytes)")
    }

    /// The bytes of a file, with a one-line error when it is missing or unreadable.
    static func contents(of url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileError(path: url.path, reason: "no such file")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FileError(path: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        try AtomicFile.write(data, to: url)
    }
}
