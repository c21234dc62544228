import Foundation

/// Writes files so that a reader never sees a half-written one.
///
/// The bytes go to a temporary name in the same folder, and a rename (atomic on one file
/// system) puts them in place. An interrupted run leaves the previous file intact.
public enum AtomicFile {
    /// Writes `data` to `url`, creating the parent folder if needed.
    public static func write(_ data: Data, to url: URL) throws {
        try writeWith(url) { temp in try data.write(to: temp) }
    }

    /// Lets `produce` write the content to a temporary URL, then renames it to `url`.
    /// If `produce` throws, the temporary file is removed and `url` is untouched.
    public static func writeWith(_ url: URL, _ produce: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let folder = url.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: folder.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpidValue()).tmp")
        do {
            try produce(temp)
            if rename(temp.path, url.path) != 0 {
                throw FileError(path: url.path, reason: "cannot move the finished file into place (errno \(errno))")
            }
        } catch {
            try? fm.removeItem(at: temp)
            if error is FileError { throw error }
            throw FileError(path: url.path, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    private static func getpidValue() -> Int32 { getpid() }
}
