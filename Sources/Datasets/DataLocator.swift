import Core
import Foundation

/// Finds the data a lesson should use, in the project's fixed order, and says which.
///
/// CIFAR-10 is looked for in this order:
/// 1. `--data DIR`, if given: a binary folder or an ImageFolder root with `train/` and
///    `test/` (or a folder holding `cifar-10-batches-bin/` or `cifar10/`). A path that
///    does not exist is an error, never a reason to fall back.
/// 2. The full data under the project's `data/`: `data/cifar-10-batches-bin/` (binary,
///    where `--download` puts it), then `data/cifar10/` (the JPEG archive extracted).
/// 3. The sample committed in `data/cifar10-sample/`.
public enum DataLocator {
    /// The binary folder that `--download` creates, relative to the project root.
    public static let fullBinaryPath = "data/cifar-10-batches-bin"
    /// The extracted JPEG tree, relative to the project root.
    public static let fullImageFolderPath = "data/cifar10"
    /// The committed sample, relative to the project root.
    public static let samplePath = "data/cifar10-sample"

    /// The nearest folder at or above `directory` that holds a `Package.swift`; `directory`
    /// itself when there is none (e.g. a lesson binary copied elsewhere).
    public static func projectRoot(from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        var folder = directory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return directory.standardizedFileURL }
            folder = parent
        }
    }

    /// Finds CIFAR-10 (see the type's description for the order).
    ///
    /// - Parameters:
    ///   - explicit: the `--data` argument, if any (relative paths are taken from the
    ///     current directory, as a shell user expects).
    ///   - projectRoot: where `data/` lives (see `projectRoot(from:)`).
    /// - Returns: the source, whose `description` is the line to print.
    /// - Throws: a one-line error when `explicit` does not exist or is not CIFAR-10 in a
    ///   known layout, when a folder found under `data/` is incomplete, or when nothing is found.
    public static func locateCIFAR10(explicit: String?, projectRoot: URL) throws -> CIFAR10Source {
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL
            guard isFolder(url) else {
                throw FileError(path: explicit, reason: "--data folder does not exist; give a CIFAR-10 binary folder or a folder with train/ and test/ image folders")
            }
            guard let (format, folder) = classify(url) else {
                throw FileError(path: explicit, reason: "is neither a CIFAR-10 binary folder (data_batch_1.bin … test_batch.bin) nor an image-folder root (train/<class>/*.jpg, test/<class>/*.jpg)")
            }
            let shown = folder == url ? explicit : explicit + "/" + folder.lastPathComponent
            return try CIFAR10Source(format: format, folder: folder, displayPath: shown, isBundledSample: false)
        }
        let candidates: [(String, CIFAR10Source.Format, Bool)] = [
            (fullBinaryPath, .binary, false), (fullImageFolderPath, .imageFolder, false), (samplePath, .binary, true),
        ]
        for (path, format, isSample) in candidates {
            let url = projectRoot.appendingPathComponent(path)
            if isFolder(url) {
                return try CIFAR10Source(format: format, folder: url, displayPath: path, isBundledSample: isSample)
            }
        }
        throw FileError(path: projectRoot.appendingPathComponent("data").path, reason: "no CIFAR-10 found (neither \(fullBinaryPath), \(fullImageFolderPath) nor the sample \(samplePath)); run with --download, or extract a CIFAR-10 archive into data/, or pass --data DIR")
    }

    /// Which layout a folder holds, looking one level down for the archives' folder names.
    static func classify(_ url: URL) -> (CIFAR10Source.Format, URL)? {
        let fm = FileManager.default
        func isBinary(_ u: URL) -> Bool {
            fm.fileExists(atPath: u.appendingPathComponent("data_batch_1.bin").path)
                || fm.fileExists(atPath: u.appendingPathComponent("test_batch.bin").path)
        }
        func isImageFolder(_ u: URL) -> Bool {
            isFolder(u.appendingPathComponent("train")) && isFolder(u.appendingPathComponent("test"))
        }
        if isBinary(url) { return (.binary, url) }
        if isImageFolder(url) { return (.imageFolder, url) }
        let binary = url.appendingPathComponent(CIFAR10Binary.folderName)
        if isBinary(binary) { return (.binary, binary) }
        let jpeg = url.appendingPathComponent("cifar10")
        if isImageFolder(jpeg) { return (.imageFolder, jpeg) }
        return nil
    }

    /// Whether `url` is an existing folder: the check behind every data reader's "no such folder".
    static func isFolder(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}
