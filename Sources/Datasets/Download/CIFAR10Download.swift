import Core
import Foundation

/// Getting the full official CIFAR-10 into `data/cifar-10-batches-bin/`.
public enum CIFAR10Download {
    /// The official binary archive (Krizhevsky 2009).
    public static let officialURL = URL(string: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")!
    /// Its published MD5.
    public static let officialMD5 = "c32a1d4ab5d03f1284b67883e8d87530"
    /// Its size in bytes.
    public static let officialSize: Int64 = 170_052_171

    /// Downloads the archive into `data/downloads/` (resuming a `.part`), checks its MD5,
    /// and extracts it to `data/cifar-10-batches-bin/`.
    ///
    /// The checked archive is kept in `data/downloads/`, so extracting again needs no
    /// network.
    ///
    /// - Parameters:
    ///   - dataFolder: the project's `data/` folder.
    ///   - url, expectedMD5, expectedSize: the archive (the official one by default; tests use a local server).
    ///   - timeout: seconds without progress before giving up (offline machines fail fast).
    ///   - progress: called on the calling thread a few times a second.
    /// - Returns: the binary folder, ready for `CIFAR10Binary.load`.
    /// - Throws: a one-line `FileError` or `FileError`; the caller falls back to
    ///   what `DataLocator` finds.
    @discardableResult
    public static func run(dataFolder: URL, url: URL = officialURL, expectedMD5: String = officialMD5,
                           expectedSize: Int64? = officialSize, timeout: TimeInterval = 10,
                           progress: (DownloadProgress) -> Void = { _ in }) throws -> URL {
        let archive = dataFolder.appendingPathComponent("downloads").appendingPathComponent(url.lastPathComponent)
        try Downloader.fetch(url, to: archive, expectedMD5: expectedMD5, expectedSize: expectedSize,
                             timeout: timeout, progress: progress)
        let folder = try TarExtractor.extract(archive, folderName: CIFAR10Binary.folderName, into: dataFolder)
        _ = try CIFAR10Binary.recordCount(of: .train, in: folder)
        _ = try CIFAR10Binary.recordCount(of: .test, in: folder)
        return folder
    }
}
