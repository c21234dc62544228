import Datasets
import Foundation

/// The image-folder listing (`ImageFolderDataset`): the first part of the input names the
/// files, one `class/file` a line (path separators beyond the first and `..` are dropped so
/// everything stays in the scratch folder); every file holds the rest of the input, and each
/// listed image is decoded by its extension.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    Fuzz.reset()
    let (names, contents) = Fuzz.split(fuzzInput(data, size))
    let root = Fuzz.folder.appendingPathComponent("root")
    try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    for line in String(decoding: names, as: UTF8.self).split(whereSeparator: \.isNewline).prefix(8) {
        let parts = line.split(separator: "/", maxSplits: 1).map { $0.replacingOccurrences(of: "/", with: "_") }
        guard parts.count == 2, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.contains("\0") }) else { continue }
        Fuzz.write(contents, to: "root/\(parts[0])/\(parts[1])")
    }
    if let set = try? ImageFolderDataset(root: root) {
        for i in 0 ..< set.count { _ = try? set.image(at: i) }
    }
    return 0
}
