import Core
@testable import NeuralNet
import TestSupport
import XCTest

/// `col2im`'s row-by-row path for 3x3 stride-2 convolutions must add every pixel's taps in the
/// order the tap-by-tap loop does, onto whatever `dx` held: the same numbers bit for bit, also
/// 16 output columns at a time (rows 32 and 64 wide), a row of 8 or 4 output columns at a
/// time (rows 16 and 8 wide), and when it overwrites `dx` instead of adding onto zeros.
final class Col2imTests: XCTestCase {
    func testTheStride2PathAddsLikeTheTapByTapLoop() {
        // Square and oblong, the smallest image, and 32 wide as layer2's first convolution;
        // a range of images that does not start at the batch's first.
        for (height, width, images) in [(8, 6, 0 ..< 3), (2, 2, 1 ..< 3), (6, 10, 2 ..< 3), (32, 32, 0 ..< 2),
                                        (4, 64, 1 ..< 3), (16, 16, 0 ..< 2), (8, 8, 1 ..< 3), (6, 8, 0 ..< 1)] {
            let g = ConvGeometry(batch: 3, inChannels: 5, height: height, width: width, outChannels: 4, kernel: 3,
                                 stride: 2, padding: 1)
            let col = randomFloats(g.patchSize * images.count * g.outPixels, seed: UInt64(height * 100 + width))
            let start = randomFloats(g.batch * g.inputImageSize, seed: 9)
            var tapByTap = start, rowByRow = start
            col2imAnyShape(g, col: col, images: images, dx: &tapByTap)
            col2imStride2(g, col: col, images: images, dx: &rowByRow)
            let differing = bitDifferences(tapByTap, rowByRow)
            let touched = zip(start, rowByRow).filter { $0 != $1 }.count
            print("col2im \(height)x\(width), images \(images): \(differing) of \(start.count) values differ, "
                  + "\(touched) changed")
            XCTAssertEqual(differing, 0, "\(height)x\(width)")
            XCTAssertEqual(touched, images.count * g.inputImageSize, "\(height)x\(width): every pixel of the images gets a tap")
            // Overwriting garbage gives what adding onto zeros gives.
            var zeroed = [Float](repeating: 0, count: start.count), overwritten = start
            col2imAnyShape(g, col: col, images: images, dx: &zeroed)
            col2imStride2(g, col: col, images: images, dx: &overwritten, overwrite: true)
            let imagePixels = images.lowerBound * g.inputImageSize ..< images.upperBound * g.inputImageSize
            XCTAssertEqual(bitDifferences(zeroed[imagePixels], overwritten[imagePixels]), 0, "\(height)x\(width) overwritten")
            XCTAssertEqual(bitDifferences(start[..<imagePixels.lowerBound], overwritten[..<imagePixels.lowerBound]), 0,
                           "\(height)x\(width): images outside the range untouched")
        }
    }

    /// The 1x1 stride-2 shortcut's col2im writing `dx` whole gives what the tap-by-tap loop
    /// leaves on a zeroed `dx`, bit for bit: vector rows (16 and 8 output columns) and scalar ones.
    func testTheSubsamplePathEqualsTheTapByTapLoopOnZeros() {
        for (height, width, images) in [(32, 32, 0 ..< 2), (16, 16, 1 ..< 3), (8, 8, 0 ..< 3), (6, 10, 2 ..< 3),
                                         (4, 64, 0 ..< 1)] {
            let g = ConvGeometry(batch: 3, inChannels: 5, height: height, width: width, outChannels: 4, kernel: 1,
                                 stride: 2, padding: 0)
            XCTAssertTrue(col2imIsSubsample(g))
            let col = randomFloats(g.patchSize * images.count * g.outPixels, seed: UInt64(height + width))
            let start = randomFloats(g.batch * g.inputImageSize, seed: 7)
            var zeroed = start, written = start
            let imagePixels = images.lowerBound * g.inputImageSize ..< images.upperBound * g.inputImageSize
            for i in imagePixels { zeroed[i] = 0 }
            col2imAnyShape(g, col: col, images: images, dx: &zeroed)
            col2imSubsample(g, col: col, images: images, dx: &written)
            XCTAssertEqual(bitDifferences(zeroed, written), 0, "\(height)x\(width), images \(images)")
        }
    }
}
