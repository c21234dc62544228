import Core
import Foundation

/// Unpacks a `.tar.gz` with the system's `tar`, so that the result appears all at once.
public enum TarExtractor {
    /// Extracts `archive` into a temporary folder beside the target, then renames the
    /// folder `folderName` it must contain to `parent/folderName` (replacing an old one).
    ///
    /// An interrupted extraction leaves no half-filled `parent/folderName`.
    ///
    /// - Parameters:
    ///   - archive: a gzip-compressed tar file.
    ///   - folderName: the top-level folder the archive holds (e.g. `cifar-10-batches-bin`).
    ///   - parent: where that folder should end up.
    /// - Returns: `parent/folderName`.
    /// - Throws: a one-line error when `tar` fails or the archive lacks `folderName`.
    @discardableResult
    public static func extract(_ archive: URL, folderName: String, into parent: URL) throws -> URL {
        let fm = FileManager.default
        let staging = parent.appendingPathComponent(".extract-\(folderName)-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: staging.path, reason: "cannot create a folder to extract into (\(error.localizedDescription))")
        }
        defer { try? fm.removeItem(at: staging) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar", "-xzf", archive.path, "-C", staging.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw FileError(path: archive.path, reason: "cannot run tar (\(error.localizedDescription)); install tar or extract the archive by hand")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let first = String(decoding: message, as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
            throw FileError(path: archive.path, reason: "tar -xzf failed with status \(process.terminationStatus) (\(first)); delete it and download again")
        }
        let extracted = staging.appendingPathComponent(folderName)
        guard DataLocator.isFolder(extracted) else {
            throw FileError(path: archive.path, reason: "the archive has no top-level folder \(folderName); is it the right file?")
        }
        let target = parent.appendingPathComponent(folderName)
        if fm.fileExists(atPath: target.path) { try? fm.removeItem(at: target) }
        guard rename(extracted.path, target.path) == 0 else {
            throw FileError(path: target.path, reason: "cannot move the extracted folder into place (errno \(errno))")
        }
        return target
    }
}
