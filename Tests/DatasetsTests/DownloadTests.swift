import Datasets
import Foundation
import XCTest

/// The download path against a server on 127.0.0.1 started by each test.
final class DownloadTests: XCTestCase {
    /// A CIFAR-10 binary folder of noise images (incompressible, so the archive is ~80 KB),
    /// packed with `tar -czf` as the official archive is: one top-level `cifar-10-batches-bin/`.
    struct Archive {
        let bytes: [UInt8]
        let md5: String
        let train: [UInt8]
    }

    static func makeArchive(_ tmp: TemporaryFolder) throws -> Archive {
        var state: UInt64 = 12_345
        func noise(_ n: Int) -> [UInt8] {
            (0 ..< n).map { _ in state = state &* 6_364_136_223_846_793_005 &+ 1; return UInt8(truncatingIfNeeded: state >> 56) }
        }
        var train: [UInt8] = []
        for b in 1 ... 5 {
            var file: [UInt8] = []
            for r in 0 ..< 4 { file += [UInt8((b + r) % 10)] + noise(3_072) }
            try tmp.write(file, to: "src/cifar-10-batches-bin/data_batch_\(b).bin")
            train += file
        }
        try tmp.write([3] + noise(3_072), to: "src/cifar-10-batches-bin/test_batch.bin")
        try tmp.write(CIFAR10Binary.classNames.joined(separator: "\n"), to: "src/cifar-10-batches-bin/batches.meta.txt")
        let out = tmp.url.appendingPathComponent("test-archive.tar.gz")
        try runTar(["-czf", out.path, "-C", tmp.url.appendingPathComponent("src").path, "cifar-10-batches-bin"])
        let bytes = Array(try Data(contentsOf: out))
        return Archive(bytes: bytes, md5: MD5.hexDigest(of: bytes), train: train)
    }

    static func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DownloadTestError("tar \(arguments) failed") }
    }

    /// Runs the whole download-check-extract path and returns the progress reports.
    @discardableResult
    func download(_ server: LoopbackHTTPServer, _ archive: Archive, into data: URL,
                  md5: String? = nil, size: Int64?? = nil) throws -> [DownloadProgress] {
        var reports: [DownloadProgress] = []
        try CIFAR10Download.run(dataFolder: data, url: server.url, expectedMD5: md5 ?? archive.md5,
                                expectedSize: size ?? Int64(archive.bytes.count), timeout: 5) { reports.append($0) }
        return reports
    }

    func partFile(_ data: URL) -> URL { data.appendingPathComponent("downloads/test-archive.tar.gz.part") }

    func testFullDownloadChecksumAndExtraction() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes)
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("project/data")
        let reports = try download(server, archive, into: data)
        let last = try XCTUnwrap(reports.last)
        print("downloaded \(last.bytes) of \(last.total ?? -1) bytes, \(reports.count) progress reports, requests \(server.requests)")
        XCTAssertEqual(last.bytes, Int64(archive.bytes.count))
        XCTAssertEqual(last.fraction, 1)
        XCTAssertEqual(server.requests, [nil], "one request, no Range")
        let train = try CIFAR10Binary.load(from: data.appendingPathComponent("cifar-10-batches-bin"), split: .train)
        XCTAssertEqual(train.count, 20)
        XCTAssertEqual(CIFAR10Binary.encodeRecords(train, range: 0 ..< 20), archive.train, "extracted records are the served ones")
        XCTAssertFalse(FileManager.default.fileExists(atPath: partFile(data).path))
        XCTAssertEqual(try MD5.hexDigest(ofFile: data.appendingPathComponent("downloads/test-archive.tar.gz")), archive.md5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted(), ["cifar-10-batches-bin", "downloads"],
                       "no extraction folder left behind")
        // A second run finds the checked archive and does not touch the network.
        try download(server, archive, into: data)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testResumesAPartialFileWithARangeRequest() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes)
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("data")
        try tmp.write(Array(archive.bytes.prefix(30_000)), to: "data/downloads/test-archive.tar.gz.part")
        let reports = try download(server, archive, into: data)
        print("resume: requests \(server.requests), first report \(reports.first.map { "\($0.bytes) bytes, resumed from \($0.resumedFrom)" } ?? "none")")
        XCTAssertEqual(server.requests, ["bytes=30000-"])
        XCTAssertEqual(reports.last?.resumedFrom, 30_000)
        XCTAssertEqual(reports.last?.bytes, Int64(archive.bytes.count))
        XCTAssertEqual(try CIFAR10Binary.load(from: data.appendingPathComponent("cifar-10-batches-bin"), split: .test).labels, [3])
    }

    func testServerIgnoringRangeRestartsCleanly() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes, behaviour: .ignoresRange)
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("data")
        // Garbage in the part: only a clean restart from byte 0 gives the right checksum.
        try tmp.write([UInt8](repeating: 0xAB, count: 25_000), to: "data/downloads/test-archive.tar.gz.part")
        try download(server, archive, into: data)
        print("server ignoring Range: requests \(server.requests)")
        XCTAssertEqual(server.requests, ["bytes=25000-"])
        XCTAssertTrue(isFolder(data.appendingPathComponent("cifar-10-batches-bin")))
    }

    func testCompletePartOfUnknownSizeIsVerifiedAfterA416() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes)
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("data")
        try tmp.write(archive.bytes, to: "data/downloads/test-archive.tar.gz.part")
        try download(server, archive, into: data, size: .some(nil))
        print("complete part, size unknown: requests \(server.requests)")
        XCTAssertEqual(server.requests, ["bytes=\(archive.bytes.count)-", nil], "416, then a clean restart")
    }

    func testChecksumMismatchDeletesTheDownload() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes)
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("data")
        let wrong = String(repeating: "0", count: 32)
        assertThrowsMessage(["test-archive.tar.gz", "corrupt", "MD5 \(archive.md5)", "expected \(wrong)", "deleted"]) {
            try download(server, archive, into: data, md5: wrong)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: partFile(data).path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: data.appendingPathComponent("downloads/test-archive.tar.gz").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: data.appendingPathComponent("cifar-10-batches-bin").path))
    }

    func testDroppedConnectionKeepsThePartAndTheNextRunResumes() throws {
        let tmp = try TemporaryFolder()
        let archive = try Self.makeArchive(tmp)
        let server = try LoopbackHTTPServer(serving: archive.bytes, behaviour: .dropsAfter(20_000))
        defer { server.stop() }
        let data = tmp.url.appendingPathComponent("data")
        let total = archive.bytes.count
        assertThrowsMessage(["interrupted after 20,000 of", "run again to resume"]) {
            try download(server, archive, into: data)
        }
        XCTAssertEqual(try Data(contentsOf: partFile(data)), Data(archive.bytes.prefix(20_000)))
        server.setBehaviour(.normal)
        try download(server, archive, into: data)
        print("dropped at 20,000 of \(total) bytes, then resumed: requests \(server.requests)")
        XCTAssertEqual(server.requests, [nil, "bytes=20000-"])
        XCTAssertEqual(try CIFAR10Binary.load(from: data.appendingPathComponent("cifar-10-batches-bin"), split: .train).count, 20)
    }

    func testConnectionRefusedFailsFastWithOneLine() throws {
        let tmp = try TemporaryFolder()
        let url = URL(string: "http://127.0.0.1:\(closedLoopbackPort())/cifar-10-binary.tar.gz")!
        // The refusal is reported as such (not as a timeout): the message says "refused".
        assertThrowsMessage(["cannot download cifar-10-binary.tar.gz from 127.0.0.1", "refused", "bundled sample"]) {
            try CIFAR10Download.run(dataFolder: tmp.url, url: url, expectedMD5: String(repeating: "0", count: 32),
                                    expectedSize: 1_000, timeout: 5)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.url.appendingPathComponent("downloads/cifar-10-binary.tar.gz.part").path))
    }

    func testSilentServerTimesOutInsteadOfHanging() throws {
        let tmp = try TemporaryFolder()
        let server = try LoopbackHTTPServer(serving: [1, 2, 3], behaviour: .silent)
        defer { server.stop() }
        // The download gives up with the timeout's message instead of waiting for ever (timings
        // themselves live in the benchmark).
        assertThrowsMessage(["cannot download test-archive.tar.gz", "no answer within the timeout"]) {
            try CIFAR10Download.run(dataFolder: tmp.url, url: server.url, expectedMD5: String(repeating: "0", count: 32),
                                    expectedSize: 3, timeout: 1)
        }
    }

    func testArchiveWithoutTheFolderIsRejected() throws {
        let tmp = try TemporaryFolder()
        try tmp.write("hello", to: "src/other/readme.txt")
        let archive = tmp.url.appendingPathComponent("other.tar.gz")
        try Self.runTar(["-czf", archive.path, "-C", tmp.url.appendingPathComponent("src").path, "other"])
        assertThrowsMessage(["other.tar.gz", "no top-level folder cifar-10-batches-bin"]) {
            try TarExtractor.extract(archive, folderName: "cifar-10-batches-bin", into: tmp.url.appendingPathComponent("data"))
        }
        try tmp.write([1, 2, 3], to: "broken.tar.gz")
        assertThrowsMessage(["broken.tar.gz", "tar -xzf failed"]) {
            try TarExtractor.extract(tmp.url.appendingPathComponent("broken.tar.gz"), folderName: "x", into: tmp.url)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.url.appendingPathComponent("data").path), [],
                       "the staging folder is removed")
    }
}
