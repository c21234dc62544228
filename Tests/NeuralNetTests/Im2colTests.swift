import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// `im2col` puts every receptive-field value in its place, 0 in the padding, including the
/// stride-2 rows it gathers 16 columns at a time from the even lanes of 32 floats.
final class Im2colTests: XCTestCase {
    func testEveryEntryIsTheInputValueItStandsFor() {
        // 1x1 and 3x3 stride 2 on rows wide enough for the vector path (32, 34, 64), an odd
        // width, and stride 1; a range of images that does not start at the first.
        let shapes = [(1, 2, 0, 32, 32), (3, 2, 1, 32, 32), (3, 2, 1, 8, 34), (1, 2, 0, 4, 64), (3, 2, 1, 6, 63),
                      (3, 1, 1, 5, 20)]
        for (kernel, stride, padding, height, width) in shapes {
            let g = ConvGeometry(batch: 3, inChannels: 2, height: height, width: width, outChannels: 4, kernel: kernel,
                                 stride: stride, padding: padding)
            let images = 1 ..< 3
            let x = randomFloats(g.batch * g.inputImageSize, seed: UInt64(width))
            var col = [Float](repeating: .nan, count: g.patchSize * images.count * g.outPixels)
            im2col(g, x: x, images: images, col: &col)
            var wrong = 0
            let ld = images.count * g.outPixels
            for ci in 0 ..< g.inChannels {
                for ky in 0 ..< kernel {
                    for kx in 0 ..< kernel {
                        for (j, n) in images.enumerated() {
                            for oy in 0 ..< g.outHeight {
                                for ox in 0 ..< g.outWidth {
                                    let iy = oy * stride - padding + ky, ix = ox * stride - padding + kx
                                    let inside = iy >= 0 && iy < height && ix >= 0 && ix < width
                                    let expected = inside ? x[((n * g.inChannels + ci) * height + iy) * width + ix] : 0
                                    let actual = col[((ci * kernel + ky) * kernel + kx) * ld + j * g.outPixels
                                                     + oy * g.outWidth + ox]
                                    if actual.bitPattern != expected.bitPattern { wrong += 1 }
                                }
                            }
                        }
                    }
                }
            }
            XCTAssertEqual(wrong, 0, "\(kernel)x\(kernel)/\(stride) on \(height)x\(width)")
        }
    }
}
