import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests: it serves one byte string
/// at any path, honours `Range: bytes=N-` (unless told not to), and can drop the
/// connection part-way. One connection at a time, closed after each response.
final class LoopbackHTTPServer: @unchecked Sendable {
    enum Behaviour {
        /// 200 with the whole body, or 206 for a Range request.
        case normal
        /// Always 200 with the whole body, as a server without Range support does.
        case ignoresRange
        /// Announces the full length, sends this many body bytes, then closes.
        case dropsAfter(Int)
        /// Reads the request and never answers (until the client hangs up, or 5 s).
        case silent
    }

    let port: UInt16
    private let body: [UInt8]
    private let lock = NSLock()
    private var behaviour: Behaviour
    private var rangesSeen: [String?] = []
    private let listener: Int32
    private let thread: Thread

    /// The `Range` header of every request so far (nil where there was none).
    var requests: [String?] { lock.lock(); defer { lock.unlock() }; return rangesSeen }

    init(serving body: [UInt8], behaviour: Behaviour = .normal) throws {
        self.body = body
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DownloadTestError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { close(fd); throw DownloadTestError("bind/listen failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let box = ServerBox()
        thread = Thread { box.server?.acceptLoop() }
        box.server = self
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/files/test-archive.tar.gz")! }

    func setBehaviour(_ b: Behaviour) { lock.lock(); behaviour = b; lock.unlock() }

    /// Stops accepting; the accept loop ends when the listening socket is shut down.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: [13, 10, 13, 10]) && request.count < 65_536 {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request += buffer[0 ..< n]
        }
        let text = String(decoding: request, as: UTF8.self)
        let range = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("range:") }
            .map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        lock.lock()
        rangesSeen.append(range)
        let behaviour = self.behaviour
        lock.unlock()

        if case .silent = behaviour {
            while recv(client, &buffer, buffer.count, 0) > 0 {}
            return
        }
        var start = 0
        if case .ignoresRange = behaviour {} else if let range, range.hasPrefix("bytes="),
            let first = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            start = first
        }
        if start >= body.count && start > 0 {
            send(client, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */\(body.count)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        }
        let slice = Array(body[start...])
        var head = start > 0
            ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes \(start)-\(body.count - 1)/\(body.count)\r\n"
            : "HTTP/1.1 200 OK\r\n"
        head += "Content-Type: application/gzip\r\nContent-Length: \(slice.count)\r\nConnection: close\r\n\r\n"
        send(client, head)
        if case .dropsAfter(let n) = behaviour {
            send(client, Array(slice.prefix(n)))
            return
        }
        send(client, slice)
    }

    private func send(_ client: Int32, _ text: String) { send(client, Array(text.utf8)) }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
}

/// Hands the server to its thread after `init` has finished.
private final class ServerBox: @unchecked Sendable {
    var server: LoopbackHTTPServer?
}

struct DownloadTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A loopback port with nothing listening: bound, then released.
func closedLoopbackPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
