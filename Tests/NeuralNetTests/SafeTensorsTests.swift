import Foundation
import NeuralNet
import TestSupport
import XCTest

final class SafeTensorsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try temporaryFolder("safetensors")
    }

    func testRoundTripAndLayout() throws {
        let url = folder.appendingPathComponent("a.safetensors")
        let w = Tensor(shape: [2, 3], data: [1, -2, 3.5, 4, 5, 6])
        let counter = Tensor(shape: [], data: [7])
        try SafeTensors.write([("conv1.weight", w), ("bn1.num_batches_tracked", counter)],
                              metadata: ["arch": "resnet18"], to: url)
        let (tensors, metadata) = try SafeTensors.read(url)
        XCTAssertEqual(tensors["conv1.weight"], w)
        XCTAssertEqual(tensors["bn1.num_batches_tracked"], counter)
        XCTAssertEqual(metadata, ["arch": "resnet18"])
        // The layout PyTorch's reader expects: u64 header size, JSON, 8-byte aligned data.
        let bytes = try Data(contentsOf: url)
        let n = bytes.prefix(8).withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        XCTAssertEqual(n % 8, 0)
        XCTAssertEqual(bytes.count, 8 + n + 6 * 4 + 8)
        let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8 ..< 8 + n)) as! [String: Any]
        XCTAssertEqual((header["bn1.num_batches_tracked"] as! [String: Any])["dtype"] as? String, "I64")
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["a.safetensors"])
    }

    func testDamagedFilesGiveOneLineErrors() throws {
        let url = folder.appendingPathComponent("b.safetensors")
        try SafeTensors.write([("w", Tensor(shape: [100], data: [Float](repeating: 1, count: 100)))], metadata: [:], to: url)
        let good = try Data(contentsOf: url)
        let cases: [(Data, String)] = [
            (good.prefix(good.count - 10), "truncated"),
            (good.prefix(5), "too short"),
            (Data([255, 255, 255, 255, 0, 0, 0, 0]) + good.dropFirst(8), "header length"),
            (good.prefix(8) + Data(repeating: 0x41, count: good.count - 8), "not valid JSON"),
        ]
        for (bytes, expected) in cases {
            try bytes.write(to: url)
            XCTAssertThrowsError(try SafeTensors.read(url)) { error in
                let text = "\(error)"
                print("damaged checkpoint → \(text)")
                XCTAssertTrue(text.contains(expected), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
        XCTAssertThrowsError(try SafeTensors.read(folder.appendingPathComponent("missing.safetensors")))
    }

    /// Regressions from fuzzing (scripts/fuzz, target safetensors): sizes in the header that
    /// do not fit in an Int, or whose product overflows, trapped with "Not enough bits to
    /// represent the passed value" instead of an error. Each is now a one-line error.
    func testHeaderSizesThatOverflowAreErrors() throws {
        let url = folder.appendingPathComponent("c.safetensors")
        func file(_ header: String, payload: Int = 8) -> Data {
            var length = UInt64(header.utf8.count).littleEndian
            return Data(bytes: &length, count: 8) + Data(header.utf8) + Data(repeating: 0, count: payload)
        }
        var huge = (UInt64(1) << 63).littleEndian
        let cases: [(Data, String)] = [
            (Data(bytes: &huge, count: 8) + Data(repeating: 0x20, count: 16), "header length 9223372036854775808"),
            (file(#"{"w":{"dtype":"F32","shape":[-2,-4],"data_offsets":[0,32]}}"#), "impossible shape"),
            (file(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#), "impossible shape"),
            (file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#), "offsets [8, 0]"),
            (file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775800,9223372036854775808]}}"#), "malformed"),
            (file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775799,9223372036854775807]}}"#), "truncated"),
        ]
        for (bytes, expected) in cases {
            try bytes.write(to: url)
            XCTAssertThrowsError(try SafeTensors.read(url)) { error in
                let text = "\(error)"
                print("fuzzed header → \(text)")
                XCTAssertTrue(text.contains(expected) && text.contains(url.path), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
    }
}
