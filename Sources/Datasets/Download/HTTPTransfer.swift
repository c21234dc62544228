import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET streamed into a file, optionally continuing it from `offset` with a
/// `Range` request. URLSession calls the delegate methods on its own queue; the caller
/// waits in `run`, reading progress under the lock. Confined to `Downloader`.
final class HTTPTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How a transfer ended.
    enum Outcome {
        /// The whole body arrived and is on disk.
        case finished
        /// The server answered 416: the range starts at or past the end of the file.
        case rangeNotSatisfiable
        /// The server answered with another status than 200 or 206.
        case httpStatus(Int)
        /// The server answered 206 for a range other than the one asked for.
        case wrongRange(String)
        /// Connection, timeout or file-system failure.
        case failed(String)
    }

    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private let file: URL
    private let offset: Int64
    private var handle: FileHandle?
    private var written: Int64
    private var total: Int64?
    private var outcome: Outcome?
    private var received: Int64 = 0

    private init(file: URL, offset: Int64) {
        self.file = file
        self.offset = offset
        self.written = offset
    }

    /// Fetches `url` into `file` (appending from `offset` when the server honours Range,
    /// rewriting from 0 when it answers 200), calling `progress` on the caller's thread
    /// about five times a second and once at the end.
    /// - Parameter timeout: seconds without any progress (connecting or receiving) before giving up.
    static func run(_ url: URL, into file: URL, from offset: Int64, knownTotal: Int64?, timeout: TimeInterval,
                    progress: (DownloadProgress) -> Void) -> Outcome {
        let transfer = HTTPTransfer(file: file, offset: offset)
        transfer.total = knownTotal
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: nil)
        var request = URLRequest(url: url)
        if offset > 0 { request.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        let start = Date()
        session.dataTask(with: request).resume()
        while transfer.finished.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            progress(transfer.snapshot(since: start))
        }
        progress(transfer.snapshot(since: start))
        session.finishTasksAndInvalidate()
        transfer.lock.lock()
        defer { transfer.lock.unlock() }
        return transfer.outcome ?? .failed("the transfer ended without a result")
    }

    private func snapshot(since start: Date) -> DownloadProgress {
        lock.lock()
        defer { lock.unlock() }
        let elapsed = max(Date().timeIntervalSince(start), 1e-3)
        return DownloadProgress(bytes: written, total: total, bytesPerSecond: Double(received) / elapsed,
                                resumedFrom: offset)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        let disposition = accept(response)
        lock.unlock()
        completionHandler(disposition)
    }

    /// Decides from the status whether to append, start over, or stop. Called under the lock.
    private func accept(_ response: URLResponse) -> URLSession.ResponseDisposition {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let length = response.expectedContentLength
        var start: Int64 = 0
        switch status {
        case 200:
            // A fresh download, or a server that ignored Range: start the file over.
            if length >= 0 { total = length }
        case 206:
            let range = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range") ?? ""
            guard let parsed = Self.parseContentRange(range), parsed.first == offset else {
                outcome = .wrongRange(range)
                return .cancel
            }
            start = offset
            if let size = parsed.size { total = size } else if length >= 0 { total = offset + length }
        case 416:
            outcome = .rangeNotSatisfiable
            return .cancel
        default:
            outcome = .httpStatus(status)
            return .cancel
        }
        do {
            if !FileManager.default.fileExists(atPath: file.path) {
                _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            }
            let h = try FileHandle(forWritingTo: file)
            try h.truncate(atOffset: UInt64(start))
            try h.seek(toOffset: UInt64(start))
            handle = h
            written = start
            return .allow
        } catch {
            outcome = .failed("cannot write \(file.path) (\(error.localizedDescription))")
            return .cancel
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        defer { lock.unlock() }
        guard outcome == nil, let handle else { return }
        do {
            try handle.write(contentsOf: data)
            written += Int64(data.count)
            received += Int64(data.count)
        } catch {
            outcome = .failed("cannot write \(file.path) (\(error.localizedDescription))")
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        try? handle?.close()
        handle = nil
        if outcome == nil {
            if let error {
                outcome = .failed(Self.explain(error))
            } else if let total, written != total {
                outcome = .failed("the connection closed after \(written) of \(total) bytes")
            } else {
                outcome = .finished
            }
        }
        lock.unlock()
        finished.signal()
    }

    /// "bytes 100-199/1000" -> (100, 1000); the size may be "*".
    static func parseContentRange(_ value: String) -> (first: Int64, size: Int64?)? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6)
        let halves = spec.split(separator: "/", maxSplits: 1)
        guard let range = halves.first, let dash = range.firstIndex(of: "-"),
              let first = Int64(range[range.startIndex ..< dash]) else { return nil }
        let size = halves.count == 2 ? Int64(halves[1]) : nil
        return (first, size)
    }

    /// A short, single-line reason for a URLSession error.
    static func explain(_ error: any Error) -> String {
        let ns = error as NSError
        let text = ns.localizedDescription.split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(ns.code)"
        guard ns.domain == NSURLErrorDomain else { return text }
        switch ns.code {
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "the host name could not be resolved (offline?)"
        case NSURLErrorCannotConnectToHost: return "the connection was refused"
        case NSURLErrorTimedOut: return "no answer within the timeout"
        case NSURLErrorNotConnectedToInternet: return "no network connection"
        case NSURLErrorNetworkConnectionLost: return "the connection was lost"
        default: return text
        }
    }
}
