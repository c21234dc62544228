// Shared by every fuzz target (compiled into each): the input as bytes, and a scratch
// folder in memory (/dev/shm when there is one) for the parsers that read files, since the
// targets go through the project's own entry points, which take file URLs.
import Foundation

enum Fuzz {
    /// A folder private to this process, emptied before each input.
    static let folder: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("simclr-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Empties the scratch folder.
    static func reset() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Writes `bytes` to `name` in the scratch folder and returns its URL.
    @discardableResult
    static func write(_ bytes: ArraySlice<UInt8>, to name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url
    }

    /// Splits an input in two: the first byte says how many of the following bytes form
    /// the first part; the rest is the second.
    static func split(_ bytes: [UInt8]) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        guard let n = bytes.first else { return ([], []) }
        let cut = min(bytes.count, 1 + Int(n))
        return (bytes[1 ..< cut], bytes[cut...])
    }
}

/// The bytes libFuzzer hands over.
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}
