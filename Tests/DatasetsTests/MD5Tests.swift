import Datasets
import Foundation
import XCTest

final class MD5Tests: XCTestCase {
    /// The test suite of RFC 1321, appendix A.5.
    func testRFC1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (message, expected) in vectors {
            let digest = MD5.hexDigest(of: Array(message.utf8))
            print("MD5(\"\(message)\") = \(digest) \(digest == expected ? "OK" : "NOT OK, expected \(expected)")")
            XCTAssertEqual(digest, expected)
        }
    }

    /// Feeding the bytes in odd pieces (across block and padding boundaries) changes nothing.
    func testPiecewiseUpdatesAndFiles() throws {
        let bytes = (0 ..< 1_000).map { UInt8(($0 * 31 + 7) % 256) }
        let whole = MD5.hexDigest(of: bytes)
        for piece in [1, 55, 56, 63, 64, 65, 333] {
            var md5 = MD5()
            var start = 0
            while start < bytes.count {
                md5.update(Array(bytes[start ..< min(bytes.count, start + piece)]))
                start += piece
            }
            XCTAssertEqual(md5.hexDigest, whole, "pieces of \(piece)")
        }
        let tmp = try TemporaryFolder()
        let file = try tmp.write(bytes, to: "x.bin")
        XCTAssertEqual(try MD5.hexDigest(ofFile: file), whole)
        // Lengths 55 and 56 are the padding's edge cases (one or two final blocks).
        XCTAssertEqual(MD5.hexDigest(of: [UInt8](repeating: 0x61, count: 55)), "ef1772b6dff9a122358552954ad0df65")
        XCTAssertEqual(MD5.hexDigest(of: [UInt8](repeating: 0x61, count: 56)), "3b0c8ac703f828b04c6c197006d17218")
        assertThrowsMessage(["nope.bin", "MD5"]) { _ = try MD5.hexDigest(ofFile: tmp.url.appendingPathComponent("nope.bin")) }
    }
}
