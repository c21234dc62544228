import Augmentation
import Imaging
import TestSupport
import XCTest

/// The antialiased resize, checked by hand and against a formula written differently.
final class ResizeTests: XCTestCase {
    /// 8 -> 4 columns (shrink factor 2): PyTorch's antialias kernel is a triangle two
    /// source pixels wide each side of the output centre, cut at the border and
    /// renormalized. Worked by hand: output 0 has centre 1.0 and weights 3/7, 3/7, 1/7 on
    /// pixels 0-2; outputs 1, 2 have 1/8, 3/8, 3/8, 1/8 on pixels 1-4 and 3-6; output 3
    /// has 1/7, 3/7, 3/7 on pixels 5-7. Plain bilinear averages pairs (0,1), (2,3), ...
    func testAntialiasedShrinkByTwoMatchesHandWorkedWeights() {
        let row: [Float] = [1, 2, 4, 8, 16, 32, 64, 128].map { $0 / 255 }
        let image = PlanarImage(channels: 3, height: 1, width: 8, data: row + row + row)
        let box = CropBox(wholeImageOfHeight: 1, width: 8)
        let v = row
        let antialiased: [Float] = [
            (3 * v[0] + 3 * v[1] + v[2]) / 7,
            (v[1] + 3 * v[2] + 3 * v[3] + v[4]) / 8,
            (v[3] + 3 * v[4] + 3 * v[5] + v[6]) / 8,
            (v[5] + 3 * v[6] + 3 * v[7]) / 7,
        ]
        let bilinear: [Float] = [(v[0] + v[1]) / 2, (v[2] + v[3]) / 2, (v[4] + v[5]) / 2, (v[6] + v[7]) / 2]
        let aa = image.resizedCrop(box, height: 1, width: 4, antialias: true)
        assertClose(Array(aa.data[0 ..< 4]), antialiased, rtol: 0, atol: 1e-7, "8 -> 4 antialiased, hand-worked weights")
        let plain = image.resizedCrop(box, height: 1, width: 4, antialias: false)
        assertClose(Array(plain.data[0 ..< 4]), bilinear, rtol: 0, atol: 1e-7, "8 -> 4 plain bilinear, pair averages")
        XCTAssertEqual(ResampleTaps(index: 0, inputSize: 8, outputSize: 4, antialias: true).weights,
                       [3.0 / 7, 3.0 / 7, 1.0 / 7].map { Float($0) })
    }

    /// Any size to any size against the definition written out in double precision
    /// over every source pixel (no window bookkeeping): weight of source j for output i
    /// = max(0, 1 - |j + 0.5 - centre| / max(scale, 1)), centre = scale (i + 0.5),
    /// normalized; plain bilinear = interpolation at scale (i + 0.5) - 0.5, clamped.
    func testResizeMatchesAnIndependentDoublePrecisionFormula() {
        let cases: [(CropBox, Int, Int)] = [
            (CropBox(top: 3, left: 2, height: 23, width: 31), 10, 7),    // shrink both ways
            (CropBox(top: 0, left: 5, height: 13, width: 9), 29, 17),    // enlarge both ways
            (CropBox(top: 1, left: 0, height: 40, width: 6), 11, 21),    // shrink rows, enlarge columns
        ]
        let source = PlanarImage(testImage(height: 41, width: 37, seed: 3))
        for (box, outHeight, outWidth) in cases {
            for antialias in [true, false] {
                let wy = Self.weights(input: box.height, output: outHeight, antialias: antialias)
                let wx = Self.weights(input: box.width, output: outWidth, antialias: antialias)
                var expected = [Float]()
                for c in 0 ..< 3 {
                    for y in 0 ..< outHeight {
                        for x in 0 ..< outWidth {
                            var sum = 0.0
                            for sy in 0 ..< box.height where wy[y][sy] != 0 {
                                for sx in 0 ..< box.width where wx[x][sx] != 0 {
                                    sum += wy[y][sy] * wx[x][sx] * Double(source[c, box.top + sy, box.left + sx])
                                }
                            }
                            expected.append(Float(sum))
                        }
                    }
                }
                let label = "\(box) -> \(outHeight)x\(outWidth) antialias \(antialias)"
                assertClose(source.resizedCrop(box, height: outHeight, width: outWidth, antialias: antialias).data,
                            expected, rtol: 0, atol: 2e-6, "reference " + label)
            }
        }
    }

    /// The same comparison for the optimized fused crop (square outputs, 8-bit input).
    func testOptimizedResizeMatchesTheReference() {
        let source = testImage(height: 41, width: 37, seed: 4)
        for (box, size) in [(CropBox(top: 2, left: 1, height: 39, width: 30), 13),
                            (CropBox(top: 5, left: 9, height: 11, width: 7), 32),
                            (CropBox(top: 0, left: 0, height: 41, width: 37), 37)] {
            for antialias in [true, false] {
                let pipeline = neutralPipeline(size: size, antialias: antialias)
                var p = ViewParameters.identity(height: 41, width: 37)
                p.crop = box
                for flipped in [false, true] {
                    p.flipped = flipped
                    assertClose(pipeline.apply(p, to: source, path: .optimized).data,
                                pipeline.apply(p, to: source, path: .reference).data, rtol: 0, atol: 1e-6,
                                "optimized vs reference crop \(box) -> \(size), antialias \(antialias), flip \(flipped)")
                }
            }
        }
    }

    static func weights(input: Int, output: Int, antialias: Bool) -> [[Double]] {
        let scale = Double(input) / Double(output)
        return (0 ..< output).map { i in
            var w = [Double](repeating: 0, count: input)
            if antialias {
                let centre = scale * (Double(i) + 0.5), width = max(scale, 1)
                for j in 0 ..< input { w[j] = max(0, 1 - abs(Double(j) + 0.5 - centre) / width) }
                let total = w.reduce(0, +)
                for j in 0 ..< input { w[j] /= total }
            } else {
                let s = max(scale * (Double(i) + 0.5) - 0.5, 0)
                let j0 = min(Int(s), input - 1), j1 = min(j0 + 1, input - 1)
                let lambda = min(s - Double(j0), 1)
                w[j0] += 1 - lambda
                w[j1] += lambda
            }
            return w
        }
    }
}
