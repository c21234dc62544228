import Core
import Foundation

/// Downloads a file once, checked: streamed to `<name>.part`, resumed with an HTTP Range
/// request after an interruption, verified by MD5, then renamed into place.
public enum Downloader {
    /// Makes `destination` a verified copy of `url`.
    ///
    /// An existing `destination` whose MD5 matches is kept (no network). Otherwise the
    /// bytes go to `destination.part`; a `.part` left by an earlier attempt is continued
    /// with `Range: bytes=N-` (or started over if the server ignores Range). When the
    /// transfer ends, size and MD5 are checked: a mismatch deletes the `.part`. An
    /// interrupted transfer keeps it, so the next call resumes.
    ///
    /// - Parameters:
    ///   - url: where to fetch from (https or http).
    ///   - destination: the final file (its folder is created if needed).
    ///   - expectedMD5: 32 hex digits.
    ///   - expectedSize: the size in bytes, if known (checked before the MD5).
    ///   - timeout: seconds without progress (connecting or receiving) before giving up.
    ///   - progress: called on the calling thread a few times a second.
    /// - Throws: `FileError`, one line: offline, refused, timed out, HTTP error,
    ///   interrupted (the part is kept), or checksum mismatch (the part is deleted).
    public static func fetch(_ url: URL, to destination: URL, expectedMD5: String, expectedSize: Int64? = nil,
                             timeout: TimeInterval = 10, progress: (DownloadProgress) -> Void = { _ in }) throws {
        let fm = FileManager.default
        let expected = expectedMD5.lowercased()
        if fm.fileExists(atPath: destination.path) {
            if (try? MD5.hexDigest(ofFile: destination)) == expected { return }
            try? fm.removeItem(at: destination)
        }
        do {
            try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw FileError("\(destination.deletingLastPathComponent().path): cannot create the folder (\(error.localizedDescription))")
        }
        let part = destination.appendingPathExtension("part")
        let name = url.lastPathComponent
        // At most one start-over: after a 416 for a part that is not the whole file, or a
        // server that resumed at the wrong place.
        for attempt in 0 ..< 2 {
            var offset = size(of: part)
            if let expectedSize, offset > expectedSize {
                try? fm.removeItem(at: part)
                offset = 0
            }
            let outcome: HTTPTransfer.Outcome
            if let expectedSize, expectedSize > 0, offset == expectedSize {
                outcome = .finished  // a complete part from an earlier run: only verify it
            } else {
                outcome = HTTPTransfer.run(url, into: part, from: offset, knownTotal: expectedSize,
                                           timeout: timeout, progress: progress)
            }
            switch outcome {
            case .finished:
                try verify(part, name: name, expectedMD5: expected, expectedSize: expectedSize)
                guard rename(part.path, destination.path) == 0 else {
                    throw FileError("\(destination.path): cannot move the checked download into place (errno \(errno))")
                }
                return
            case .rangeNotSatisfiable, .wrongRange:
                try? fm.removeItem(at: part)
                if attempt == 0 { continue }
                throw FileError("\(url.absoluteString): the server cannot resume or restart the download; try again later")
            case .httpStatus(let status):
                throw FileError("\(url.absoluteString): the server answered HTTP \(status); check the address or try again later")
            case .failed(let reason):
                let got = size(of: part)
                if got > offset {
                    let of = expectedSize.map { " of \(grouped(Int($0)))" } ?? ""
                    throw FileError("download of \(name) interrupted after \(grouped(Int(got)))\(of) bytes (\(reason)); run again to resume from \(part.lastPathComponent)")
                }
                let kept = got > 0 ? "; the \(grouped(Int(got))) bytes in \(part.lastPathComponent) are kept for the next try" : ""
                throw FileError("cannot download \(name) from \(url.host ?? url.absoluteString): \(reason); check the network, or use the bundled sample\(kept)")
            }
        }
        throw FileError("\(url.absoluteString): the download could not be completed; try again later")
    }

    /// Checks size and MD5 of a finished part; deletes it on a mismatch.
    private static func verify(_ part: URL, name: String, expectedMD5: String, expectedSize: Int64?) throws {
        let got = size(of: part)
        if let expectedSize, got != expectedSize {
            try? FileManager.default.removeItem(at: part)
            throw FileError("download of \(name) has \(grouped(Int(got))) bytes, expected \(grouped(Int(expectedSize))); the file was deleted, run again")
        }
        let digest = try MD5.hexDigest(ofFile: part)
        guard digest == expectedMD5 else {
            try? FileManager.default.removeItem(at: part)
            throw FileError("download of \(name) is corrupt: MD5 \(digest), expected \(expectedMD5); the file was deleted, run again")
        }
    }

    private static func size(of url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber)?.int64Value ?? 0
    }
}
