import Core
import Foundation
import NPYFormat
import TestSupport
import XCTest

final class NPYTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("npy-tests")
    }

    /// A file exactly as numpy writes it: magic, version, header, data.
    private func npyFile(_ header: String, version: UInt8 = 1, data: [UInt8]) -> Data {
        var padded = header
        let prefix = version == 1 ? 10 : 12
        while (prefix + padded.utf8.count + 1) % 64 != 0 { padded += " " }
        padded += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = padded.utf8.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0]
        return Data(bytes + Array(padded.utf8) + data)
    }

    func testFloatRoundTrip() throws {
        let url = folder.appendingPathComponent("map.npy")
        let values: [Float] = [1.5, -2, 3.25, .pi, 0, -0.125]
        try NPY.write(values, shape: [3, 2], to: url)
        let read = try NPY.readFloats(url)
        XCTAssertEqual(read.shape, [3, 2])
        XCTAssertEqual(read.values, values)
        let header = try Data(contentsOf: url).prefix(128)
        let text = String(decoding: header, as: UTF8.self)
        XCTAssertTrue(text.contains("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"), text)
        XCTAssertEqual((try Data(contentsOf: url).count - 24) % 64, 0, "data starts on a 64-byte boundary")
    }

    func testReadsNumpyIntegerLabelsAndVersion2Headers() throws {
        var bytes: [UInt8] = []
        for v: Int64 in [3, 0, 9, 1] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        let url = folder.appendingPathComponent("labels.npy")
        try npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", data: bytes).write(to: url)
        let labels = try NPY.readIntegers(url)
        XCTAssertEqual(labels.values, [3, 0, 9, 1])
        XCTAssertEqual(labels.shape, [4])

        var doubles: [UInt8] = []
        for v: Double in [0.5, 1.5] { withUnsafeBytes(of: v) { doubles += $0 } }
        let v2 = folder.appendingPathComponent("v2.npy")
        try npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", version: 2, data: doubles).write(to: v2)
        let read = try NPY.readFloats(v2)
        XCTAssertEqual(read.values, [0.5, 1.5])
        XCTAssertEqual(read.shape, [1, 2])
    }

    func testRejectsWhatItCannotRead() throws {
        let fortran = folder.appendingPathComponent("fortran.npy")
        try npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", data: [0, 0, 0, 0]).write(to: fortran)
        XCTAssertThrowsError(try NPY.readFloats(fortran)) { print($0) }
        let truncated = folder.appendingPathComponent("truncated.npy")
        try npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }", data: [0, 0, 0, 0]).write(to: truncated)
        XCTAssertThrowsError(try NPY.readFloats(truncated)) { print($0) }
        let text = folder.appendingPathComponent("text.npy")
        try Data("not numpy".utf8).write(to: text)
        XCTAssertThrowsError(try NPY.readFloats(text)) { print($0) }
        let ints = folder.appendingPathComponent("ints.npy")
        try npyFile("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", data: [1, 0, 0, 0]).write(to: ints)
        XCTAssertThrowsError(try NPY.readFloats(ints)) { print($0) }
        XCTAssertThrowsError(try NPY.readFloats(folder.appendingPathComponent("missing.npy"))) { print($0) }
    }

    /// A header whose dimensions multiply past Int.max (the fuzzer's find: shape (6,
    /// 3555555555555555555)) is a one-line error, not an arithmetic trap.
    func testRejectsAShapeTooLargeForAnyArray() throws {
        let huge = folder.appendingPathComponent("huge.npy")
        for descr in ["<f4", "<i8"] {
            try npyFile("{'descr': '\(descr)', 'fortran_order': False, 'shape': (6, 3555555555555555555), }", data: [0, 0, 0, 0])
                .write(to: huge)
            let read: () throws -> Void = descr == "<f4" ? { _ = try NPY.readFloats(huge) } : { _ = try NPY.readIntegers(huge) }
            XCTAssertThrowsError(try read()) { error in
                XCTAssertTrue("\(error)".contains("too large for any array"), "\(error)")
            }
        }
    }
}
