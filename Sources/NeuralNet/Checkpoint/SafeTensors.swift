import Core
import Foundation

/// The safetensors file format (Hugging Face), which PyTorch reads with
/// `safetensors.torch.load_file`.
///
/// A file holds an 8-byte little-endian header length, a JSON header mapping each name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data section) plus
/// an optional `"__metadata__"` of strings, then the raw little-endian tensor bytes. Only
/// F32 (and I64, for batch norm's counter) are used here.
public enum SafeTensors {
    /// Writes `tensors` (in the given order) and `metadata`, atomically: a crash or Ctrl-C
    /// while saving leaves the previous file intact.
    ///
    /// Names ending in `num_batches_tracked` are stored as I64, as PyTorch keeps them.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String],
                             to url: URL) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        var payload = Data()
        for (name, tensor) in tensors {
            let isCounter = name.hasSuffix("num_batches_tracked")
            let bytes = isCounter ? tensor.count * 8 : tensor.count * 4
            header[name] = ["dtype": isCounter ? "I64" : "F32", "shape": tensor.shape,
                            "data_offsets": [offset, offset + bytes]] as [String: Any]
            if isCounter {
                for v in tensor.data { withUnsafeBytes(of: Int64(v).littleEndian) { payload.append(contentsOf: $0) } }
            } else {
                tensor.data.withUnsafeBytes { payload.append(contentsOf: $0) }  // x86/ARM: little-endian
            }
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned (as the reference writer does).
        while (json.count % 8) != 0 { json.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(payload)
        try AtomicFile.write(file, to: url)
    }

    /// Reads every tensor and the metadata. Errors name the file and what is wrong with it.
    public static func read(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FileError(path: url.path, reason: "no such file")
        }
        let data = try Data(contentsOf: url)
        func fail(_ reason: String) -> FileError { FileError(path: url.path, reason: reason) }
        guard data.count >= 8 else { throw fail("too short to be a safetensors file (\(data.count) bytes)") }
        // Every size below comes from the file: compared before it is used, never trusted
        // to fit in an Int (a header length of 2^63 must be an error, not a trap).
        let declared = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared > 1, declared <= UInt64(data.count - 8) else {
            throw fail("not a safetensors file or truncated (header length \(declared), file \(data.count) bytes)")
        }
        let headerLength = Int(declared)
        let headerData = data.subdata(in: 8 ..< 8 + headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw fail("the safetensors header is not valid JSON")
        }
        let dataStart = 8 + headerLength
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                  offsets.count == 2 else {
                throw fail("malformed header entry for '\(name)'")
            }
            let width = dtype == "F32" ? 4 : dtype == "I64" ? 8 : 0
            guard width > 0 else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 and I64 are supported") }
            let payload = data.count - dataStart
            // The byte count of the shape, unless a dimension is negative or the product overflows.
            let bytes = shape.allSatisfy { $0 >= 0 } ? shape.reduce(Optional(width)) { total, d in
                total.flatMap { t in let (p, overflow) = t.multipliedReportingOverflow(by: d); return overflow ? nil : p }
            } : nil
            guard let bytes else { throw fail("tensor '\(name)' has an impossible shape \(shape)") }
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == bytes else {
                throw fail("tensor '\(name)': offsets \(offsets) for shape \(shape) of \(dtype) (\(bytes) bytes)")
            }
            guard offsets[1] <= payload else {
                throw fail("truncated: tensor '\(name)' ends at byte \(offsets[1]) of a \(payload)-byte data section")
            }
            let count = bytes / width
            let begin = dataStart + offsets[0], end = dataStart + offsets[1]
            let values: [Float] = data.subdata(in: begin ..< end).withUnsafeBytes { raw in
                if width == 4 {
                    return (0 ..< count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                }
                return (0 ..< count).map { Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            }
            tensors[name] = Tensor(shape: shape, data: values)
        }
        return (tensors, metadata)
    }
}
