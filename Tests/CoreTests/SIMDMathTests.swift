import Core
import XCTest

/// The small SIMD loops and reductions the kernels share: each must give exactly what the plain
/// code it stands for gives, on every lane and every tail length.
final class SIMDMathTests: XCTestCase {
    /// Lane i of `laneSums` is the i-th vector's `laneSum()` bit for bit, on values whose sums
    /// round differently under any other order (magnitudes from 1e-6 to 1e6, both signs).
    func testLaneSumsEqualsSixteenLaneSumsBitForBit() {
        var generator = SystemRandomNumberGenerator()
        var mismatches = 0, largestGap: Float = 0
        for _ in 0 ..< 200 {
            let vectors = (0 ..< 16).map { _ in
                SIMD16<Float>((0 ..< 16).map { _ in
                    let magnitude = Float(pow(10.0, Double.random(in: -6 ... 6, using: &generator)))
                    return Float.random(in: -1 ... 1, using: &generator) * magnitude
                })
            }
            let sums = SIMD16<Float>.laneSums(vectors[0], vectors[1], vectors[2], vectors[3], vectors[4], vectors[5],
                                              vectors[6], vectors[7], vectors[8], vectors[9], vectors[10], vectors[11],
                                              vectors[12], vectors[13], vectors[14], vectors[15])
            for i in 0 ..< 16 where sums[i].bitPattern != vectors[i].laneSum().bitPattern {
                mismatches += 1
                largestGap = max(largestGap, abs(sums[i] - vectors[i].laneSum()))
            }
        }
        print("laneSums vs laneSum(): 3,200 sums, \(mismatches) differ in any bit (largest gap \(largestGap))")
        XCTAssertEqual(mismatches, 0)
    }

    /// Each vector's sum lands in its own lane: vector i is (i + 1) times 0, 1, …, 15, whose
    /// lanes add up to (i + 1) · 120, so a sum in the wrong lane is the wrong number.
    func testLaneSumsKeepsEachVectorInItsLane() {
        let ramp = SIMD16<Float>((0 ..< 16).map { Float($0) })
        let vectors = (0 ..< 16).map { i in SIMD16<Float>(repeating: Float(i + 1)) * ramp }
        let sums = SIMD16<Float>.laneSums(vectors[0], vectors[1], vectors[2], vectors[3], vectors[4], vectors[5],
                                          vectors[6], vectors[7], vectors[8], vectors[9], vectors[10], vectors[11],
                                          vectors[12], vectors[13], vectors[14], vectors[15])
        XCTAssertEqual((0 ..< 16).map { sums[$0] }, (0 ..< 16).map { Float(($0 + 1) * 120) })
    }

    /// `simdCopy` and `simdZero` cover whole vectors and every tail length, and touch nothing past `count`.
    func testCopyAndZeroCoverEveryTailAndStopAtCount() {
        for count in 0 ... 40 {
            let source = (0 ..< count).map { Float($0) + 0.5 }
            var copied = [Float](repeating: -7, count: count + 3)
            var zeroed = [Float](repeating: -7, count: count + 3)
            source.withUnsafeBufferPointer { s in
                copied.withUnsafeMutableBufferPointer { simdCopy(s.baseAddress!, $0.baseAddress!, count) }
            }
            zeroed.withUnsafeMutableBufferPointer { simdZero($0.baseAddress!, count) }
            XCTAssertEqual(Array(copied[0 ..< count]), source, "copy of \(count)")
            XCTAssertEqual(Array(copied[count...]), [-7, -7, -7], "copy of \(count) wrote past its end")
            XCTAssertEqual(Array(zeroed[0 ..< count]), [Float](repeating: 0, count: count), "zero of \(count)")
            XCTAssertEqual(Array(zeroed[count...]), [-7, -7, -7], "zero of \(count) wrote past its end")
        }
    }

    /// `transpose16x16` puts column i of the source in row i of the destination, between rows
    /// of any stride, and writes nothing beyond its 16 columns.
    func testTransposeMovesEveryValueToItsMirrorAndNothingElse() {
        for (sourceStride, destinationStride) in [(16, 16), (21, 19), (37, 16)] {
            let source = (0 ..< 16 * sourceStride).map { Float($0) }
            var destination = [Float](repeating: -1, count: 16 * destinationStride + 3)
            source.withUnsafeBufferPointer { s in destination.withUnsafeMutableBufferPointer { d in
                transpose16x16(s.baseAddress!, sourceStride: sourceStride, into: d.baseAddress!,
                               destinationStride: destinationStride)
            } }
            var wrong = 0
            for i in 0 ..< 16 {
                for j in 0 ..< destinationStride where destination[i * destinationStride + j] != (j < 16 ? source[j * sourceStride + i] : -1) {
                    wrong += 1
                }
            }
            XCTAssertEqual(wrong, 0, "strides \(sourceStride) -> \(destinationStride)")
            XCTAssertEqual(Array(destination.suffix(3)), [-1, -1, -1])
        }
    }
}
