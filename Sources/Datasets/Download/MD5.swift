import Core
import Foundation

/// MD5 (RFC 1321), to check a downloaded archive against its published checksum.
///
/// Not for security: MD5 is broken for that. It is what the CIFAR-10 page publishes,
/// and it detects a truncated or corrupted download. Feed bytes with `update` in any
/// pieces, then read `hexDigest` (or `digest`) once.
public struct MD5: Sendable {
    private var a0: UInt32 = 0x6745_2301
    private var b0: UInt32 = 0xEFCD_AB89
    private var c0: UInt32 = 0x98BA_DCFE
    private var d0: UInt32 = 0x1032_5476
    /// Bytes not yet forming a whole 64-byte block.
    private var pending: [UInt8] = []
    /// Total message length in bytes.
    private var length: UInt64 = 0

    public init() {}

    /// Adds bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending += UnsafeRawBufferPointer(start: base, count: take)
            offset = take
            if pending.count == 64 {
                pending.withUnsafeBytes { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - offset >= 64 {
            compress(base + offset)
            offset += 64
        }
        if offset < bytes.count {
            pending += UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset)
        }
    }

    /// Adds bytes to the message.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 16-byte digest of everything added so far (the state is not changed).
    public var digest: [UInt8] {
        var copy = self
        // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the bit length little-endian.
        let bitLength = length &* 8
        var padding: [UInt8] = [0x80]
        padding += [UInt8](repeating: 0, count: (55 - Int(length % 64) + 64) % 64)
        padding += (0 ..< 8).map { UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64($0))) }
        copy.update(padding)
        contract(copy.pending.isEmpty, "MD5 padding must end on a block boundary")
        return [copy.a0, copy.b0, copy.c0, copy.d0].flatMap { word in
            (0 ..< 4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) }
        }
    }

    /// The digest as 32 lower-case hexadecimal digits, as checksums are published.
    public var hexDigest: String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The hex digest of a whole byte string.
    public static func hexDigest(of bytes: [UInt8]) -> String {
        var md5 = MD5()
        md5.update(bytes)
        return md5.hexDigest
    }

    /// The hex digest of a file, read in 1 MiB pieces (a 170 MB archive takes well under a second).
    /// - Throws: a one-line error when the file cannot be read.
    public static func hexDigest(ofFile url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileError(path: url.path, reason: "cannot open the file to check its MD5")
        }
        defer { try? handle.close() }
        var md5 = MD5()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw FileError(path: url.path, reason: "cannot read the file to check its MD5 (\(error.localizedDescription))")
            }
            if chunk.isEmpty { break }
            md5.update(chunk)
        }
        return md5.hexDigest
    }

    /// Per-round left rotations (RFC 1321, section 3.4).
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// floor(abs(sin(i + 1)) x 2^32), written out as in the RFC rather than computed,
    /// so the result cannot depend on a libm.
    private static let constants: [UInt32] = [
        0xD76A_A478, 0xE8C7_B756, 0x2420_70DB, 0xC1BD_CEEE, 0xF57C_0FAF, 0x4787_C62A, 0xA830_4613, 0xFD46_9501,
        0x6980_98D8, 0x8B44_F7AF, 0xFFFF_5BB1, 0x895C_D7BE, 0x6B90_1122, 0xFD98_7193, 0xA679_438E, 0x49B4_0821,
        0xF61E_2562, 0xC040_B340, 0x265E_5A51, 0xE9B6_C7AA, 0xD62F_105D, 0x0244_1453, 0xD8A1_E681, 0xE7D3_FBC8,
        0x21E1_CDE6, 0xC337_07D6, 0xF4D5_0D87, 0x455A_14ED, 0xA9E3_E905, 0xFCEF_A3F8, 0x676F_02D9, 0x8D2A_4C8A,
        0xFFFA_3942, 0x8771_F681, 0x6D9D_6122, 0xFDE5_380C, 0xA4BE_EA44, 0x4BDE_CFA9, 0xF6BB_4B60, 0xBEBF_BC70,
        0x289B_7EC6, 0xEAA1_27FA, 0xD4EF_3085, 0x0488_1D05, 0xD9D4_D039, 0xE6DB_99E5, 0x1FA2_7CF8, 0xC4AC_5665,
        0xF429_2244, 0x432A_FF97, 0xAB94_23A7, 0xFC93_A039, 0x655B_59C3, 0x8F0C_CC92, 0xFFEF_F47D, 0x8584_5DD1,
        0x6FA8_7E4F, 0xFE2C_E6E0, 0xA301_4314, 0x4E08_11A1, 0xF753_7E82, 0xBD3A_F235, 0x2AD7_D2BB, 0xEB86_D391,
    ]

    /// Mixes one 64-byte block into the state.
    private mutating func compress(_ block: UnsafeRawPointer) {
        // The block's 16 little-endian words, on the stack (no allocation per block).
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { m in
            for i in 0 ..< 16 { m[i] = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
            mix(m)
        }
    }

    private mutating func mix(_ m: UnsafeMutableBufferPointer<UInt32>) {
        var a = a0, b = b0, c = c0, d = d0
        for i in 0 ..< 64 {
            var f: UInt32, g: Int
            switch i {
            case 0 ..< 16: f = (b & c) | (~b & d); g = i
            case 16 ..< 32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32 ..< 48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ Self.constants[i] &+ m[g]
            a = d; d = c; c = b
            let s = Self.shifts[i]
            b = b &+ ((f << s) | (f >> (32 - s)))
        }
        a0 &+= a; b0 &+= b; c0 &+= c; d0 &+= d
    }
}
