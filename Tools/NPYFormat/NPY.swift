import Core
import Foundation

/// NumPy's `.npy` files, to exchange matrices with Python (features in, maps out).
///
/// The format (numpy's `lib/format.py`): the magic `\x93NUMPY`, a version byte pair,
/// a little-endian header length (2 bytes in version 1, 4 in versions 2 and 3), an
/// ASCII Python dict `{'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }`
/// padded with spaces and a newline, then the raw C-order data. Reading accepts
/// little-endian float32/float64 and (for labels) int8/16/32/64 and uint8; writing
/// produces version 1.0 float32, the header padded to 64 bytes as numpy does.
public enum NPY {
    /// Reads a float array; float64 values are rounded to `Float`.
    ///
    /// - Returns: the values in C order and the shape (e.g. `[rows, cols]`).
    /// - Throws: `FileError` naming the file and what is wrong with it.
    public static func readFloats(_ url: URL) throws -> (values: [Float], shape: [Int]) {
        let (descr, shape, payload) = try parse(url)
        let count = try elementCount(shape, url: url)
        switch descr {
        case "<f4": return (try decode(payload, count: count, as: Float.self, url: url), shape)
        case "<f8": return (try decode(payload, count: count, as: Double.self, url: url).map { Float($0) }, shape)
        default:
            throw FileError(path: url.path, reason: "holds dtype '\(descr)', expected float32 ('<f4') or float64 ('<f8'); save it with .astype(np.float32)")
        }
    }

    /// Reads an integer array (class labels).
    ///
    /// - Returns: the values in C order and the shape.
    /// - Throws: `FileError` naming the file and what is wrong with it.
    public static func readIntegers(_ url: URL) throws -> (values: [Int], shape: [Int]) {
        let (descr, shape, payload) = try parse(url)
        let count = try elementCount(shape, url: url)
        switch descr {
        case "<i8": return (try decode(payload, count: count, as: Int64.self, url: url).map { Int($0) }, shape)
        case "<i4": return (try decode(payload, count: count, as: Int32.self, url: url).map { Int($0) }, shape)
        case "<i2": return (try decode(payload, count: count, as: Int16.self, url: url).map { Int($0) }, shape)
        case "|i1": return (try decode(payload, count: count, as: Int8.self, url: url).map { Int($0) }, shape)
        case "|u1": return (try decode(payload, count: count, as: UInt8.self, url: url).map { Int($0) }, shape)
        default:
            throw FileError(path: url.path, reason: "holds dtype '\(descr)', expected a little-endian integer type such as '<i8'; save it with .astype(np.int64)")
        }
    }

    /// Writes `values` as a float32 array of the given shape, atomically.
    ///
    /// - Parameters:
    ///   - values: C-order data, `shape.reduce(1, *)` of them.
    ///   - shape: e.g. `[rows, 2]` for a t-SNE map.
    public static func write(_ values: [Float], shape: [Int], to url: URL) throws {
        contract(values.count == shape.reduce(1, *), "values must fill the shape")
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        try AtomicFile.write(data, to: url)
    }

    /// Splits a file into its dtype string, shape and data bytes.
    private static func parse(_ url: URL) throws -> (descr: String, shape: [Int], payload: Data) {
        let bytes: Data
        do { bytes = try Data(contentsOf: url) } catch {
            throw FileError(path: url.path, reason: "cannot be read (\(error.localizedDescription)); check the path")
        }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes.prefix(6)) == magic else {
            throw FileError(path: url.path, reason: "is not a .npy file (no \\x93NUMPY magic); save it with numpy.save")
        }
        let major = bytes[bytes.startIndex + 6]
        let lengthBytes = major == 1 ? 2 : 4
        guard major >= 1 && major <= 3, bytes.count >= 8 + lengthBytes else {
            throw FileError(path: url.path, reason: "has .npy format version \(major), which this reader does not know (1 to 3)")
        }
        var headerLength = 0
        for b in 0 ..< lengthBytes { headerLength |= Int(bytes[bytes.startIndex + 8 + b]) << (8 * b) }
        let start = 8 + lengthBytes
        guard bytes.count >= start + headerLength,
              let header = String(data: bytes.subdata(in: bytes.startIndex + start ..< bytes.startIndex + start + headerLength),
                                  encoding: .utf8) else {
            throw FileError(path: url.path, reason: "is truncated inside its header; re-save it")
        }
        guard let descr = value(of: "descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")),
              let order = value(of: "fortran_order", in: header),
              let shapeText = value(of: "shape", in: header) else {
            throw FileError(path: url.path, reason: "has a header without descr, fortran_order and shape: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard order.trimmingCharacters(in: .whitespaces) == "False" else {
            throw FileError(path: url.path, reason: "is stored in Fortran order; save np.ascontiguousarray(x) instead")
        }
        let digits = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        let shape = digits.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw FileError(path: url.path, reason: "has an unreadable shape '\(shapeText)'")
        }
        return (descr, shape, bytes.subdata(in: bytes.startIndex + start + headerLength ..< bytes.endIndex))
    }

    /// The text after `'key':` up to the next top-level comma (a tuple counts as one).
    private static func value(of key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var text = ""
        var depth = 0
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            text.append(ch)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The number of elements of `shape`, or a one-line error when the header's dimensions
    /// multiply past what any file could hold (a corrupt header, not a real array).
    private static func elementCount(_ shape: [Int], url: URL) throws -> Int {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int.max / 8 else {
                throw FileError(path: url.path, reason: "has the shape \(shape), too large for any array; the header is corrupt, re-save the file")
            }
            count = product
        }
        return count
    }

    private static func decode<T>(_ payload: Data, count: Int, as type: T.Type, url: URL) throws -> [T] {
        let needed = count * MemoryLayout<T>.stride  // elementCount keeps this below Int.max
        guard payload.count >= needed else {
            throw FileError(path: url.path, reason: "is truncated: \(payload.count) data bytes for \(count) values of \(MemoryLayout<T>.stride) bytes; re-save it")
        }
        return payload.withUnsafeBytes { raw in
            (0 ..< count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self) }
        }
    }
}
