import Core
import NeuralNet
import TestSupport
import XCTest

final class GEMMTests: XCTestCase {
    /// Optimized against reference on shapes that hit every edge: rows not a multiple of
    /// the 8-row (wide) or 6-row (narrow) tile, columns not a multiple of the 32-wide panel
    /// or its 16-wide halves, depth across the 256-deep block, all four transpose
    /// combinations, and accumulation; under both register tiles, which must agree bit for bit.
    func testOptimizedMatchesReference() {
        defer { RegisterTile.current = RegisterTile.compiled }
        let shapes = [(1, 1, 1), (5, 7, 3), (6, 32, 256), (7, 33, 257), (13, 70, 300), (64, 96, 40), (100, 600, 530),
                      (9, 17, 5)]
        var byTile: [RegisterTile: [[Float]]] = [:]
        for tile in RegisterTile.allCases {
            RegisterTile.current = tile
            var seed: UInt64 = 1
            for (m, n, k) in shapes {
                for transA in [Transpose.none, .transposed] {
                    for transB in [Transpose.none, .transposed] {
                        for accumulate in [false, true] {
                            seed += 1
                            let a = randomFloats(m * k, seed: seed), b = randomFloats(k * n, seed: seed + 100)
                            let c0 = randomFloats(m * n, seed: seed + 200)
                            let lda = transA == .none ? k : m, ldb = transB == .none ? n : k
                            var expected = c0, actual = c0
                            gemmReference(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                                          c: &expected, ldc: n, accumulate: accumulate)
                            gemmOptimized(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                                          c: &actual, ldc: n, accumulate: accumulate)
                            // Sums of k products in a different order: tolerance grows with k.
                            assertClose(actual, expected, rtol: 1e-4, atol: 1e-5 * Double(k),
                                        "gemm \(m)x\(n)x\(k) \(transA)/\(transB) acc=\(accumulate) \(tile) tile")
                            byTile[tile, default: []].append(actual)
                        }
                    }
                }
            }
        }
        XCTAssertTrue(byTile[.wide] == byTile[.narrow], "wide and narrow GEMM tiles differ")
    }

    /// A transposed B is packed into the same panels as the same matrix stored plainly (16 x 16
    /// blocks by vector shuffles, edges one float at a time), so the products are equal bit for
    /// bit; on depths and widths with and without whole blocks, and a strided B.
    func testTransposedBGivesTheSameProductsBitForBit() {
        var compared = 0
        for (m, n, k, ldbT) in [(8, 32, 16, 16), (9, 64, 48, 50), (5, 70, 37, 37), (16, 96, 300, 301), (3, 31, 64, 64)] {
            let a = randomFloats(m * k, seed: UInt64(n)), bT = randomFloats(n * ldbT, seed: UInt64(k))
            var b = [Float](repeating: 0, count: k * n)
            for j in 0 ..< n { for p in 0 ..< k { b[p * n + j] = bT[j * ldbT + p] } }
            var plain = [Float](repeating: 0, count: m * n), transposed = plain
            gemmOptimized(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &plain, ldc: n)
            gemmOptimized(.none, .transposed, m: m, n: n, k: k, a: a, lda: k, b: bT, ldb: ldbT, c: &transposed, ldc: n)
            XCTAssertEqual(bitDifferences(transposed, plain), 0, "\(m)x\(n)x\(k), B transposed with row stride \(ldbT)")
            compared += 1
        }
        print("GEMM with B transposed against B stored plainly: \(compared) shapes, bit for bit")
    }

    /// A B its producer wrote straight into GEMM panels (`gemmPackedB`, laid out as its contract
    /// says, here by hand) gives the products of the same B stored plainly bit for bit: depths
    /// within and across the 256-deep block, widths with a half-empty or ragged last panel
    /// (zeros beyond `n`), accumulation; under both register tiles.
    func testPackedBGivesTheSameProductsBitForBit() {
        defer { RegisterTile.current = RegisterTile.compiled }
        var compared = 0
        for tile in RegisterTile.allCases {
            RegisterTile.current = tile
            for (m, n, k) in [(8, 32, 16), (9, 48, 300), (5, 70, 37), (16, 96, 530), (3, 16, 256), (7, 1, 9)] {
                let a = randomFloats(m * k, seed: UInt64(m + n)), b = randomFloats(k * n, seed: UInt64(k))
                let padded = (n + 31) / 32 * 32, blockStride = 256 * padded + 48
                var panels = [Float](repeating: 0, count: ((k + 255) / 256) * blockStride)
                for p in 0 ..< k {
                    let block = p / 256, kc = min(256, k - 256 * block)
                    for j in 0 ..< n {
                        panels[block * blockStride + (j / 32) * kc * 32 + (p % 256) * 32 + j % 32] = b[p * n + j]
                    }
                }
                for accumulate in [false, true] {
                    var plain = randomFloats(m * n, seed: 9), packed = plain
                    gemmSingleThread(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &plain, ldc: n,
                                     accumulate: accumulate)
                    gemmPackedB(m: m, n: n, k: k, a: a, lda: k, panels: panels, blockStride: blockStride,
                                c: &packed, ldc: n, accumulate: accumulate)
                    XCTAssertEqual(bitDifferences(packed, plain), 0, "\(m)x\(n)x\(k) acc=\(accumulate), \(tile) tile")
                    compared += 1
                }
            }
        }
        print("GEMM on B written into panels against B stored plainly: \(compared) products, bit for bit")
    }

    /// Strided operands: a sub-matrix of a larger array (lda/ldb/ldc > the width), under both tiles.
    func testLeadingDimensions() {
        defer { RegisterTile.current = RegisterTile.compiled }
        let m = 9, n = 40, k = 11
        let a = randomFloats(m * 20, seed: 3), b = randomFloats(k * 50, seed: 4)
        for tile in RegisterTile.allCases {
            RegisterTile.current = tile
            var expected = [Float](repeating: 7, count: m * 64), actual = expected
            gemmReference(.none, .none, m: m, n: n, k: k, a: a, lda: 20, b: b, ldb: 50, c: &expected, ldc: 64)
            gemmOptimized(.none, .none, m: m, n: n, k: k, a: a, lda: 20, b: b, ldb: 50, c: &actual, ldc: 64)
            assertClose(actual, expected, "gemm strided, \(tile) tile")
            // Columns outside the n-wide window must be left alone.
            for i in 0 ..< m { for j in n ..< 64 { XCTAssertEqual(actual[i * 64 + j], 7, "\(tile) tile") } }
        }
    }

    /// The reference loops against a product worked out by hand.
    func testReferenceByHand() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]        // 2x3
        let b: [Float] = [7, 8, 9, 10, 11, 12]     // 3x2
        var c = [Float](repeating: 0, count: 4)
        gemmReference(.none, .none, m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        XCTAssertEqual(c, [58, 64, 139, 154])
        var ct = [Float](repeating: 0, count: 6)
        gemmReference(.transposed, .none, m: 3, n: 2, k: 2, a: a, lda: 3, b: [1, 0, 0, 1], ldb: 2, c: &ct, ldc: 2)
        XCTAssertEqual(ct, [1, 4, 2, 5, 3, 6])
    }
}
