import Augmentation
import Core
import Imaging
import TestSupport
import XCTest

/// The optimized path computes what the reference path computes, for the same draws,
/// within 1e-5 absolute, and the same seed gives bit-identical batches whatever the
/// number of threads. The paths differ only in float rounding: the separable blur sums
/// in another order than the 2-D reference, the contrast mean is summed in SIMD lanes;
/// hue then amplifies an input difference up to about 6x (the sector slope), and
/// normalization by a std near 0.22-0.26 by another 4x. Observed: about 1e-6.
final class PathEquivalenceTests: XCTestCase {
    let tolerance = 1e-5

    func testClassroomBatchesAgree() {
        let images = (0 ..< 12).map { testImage(height: 32, width: 32, seed: UInt64(100 + $0)) }
        let pipeline = AugmentationPipeline.classroom
        var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 1)
        let optimized = pipeline.augmentPairs(images, using: &g1, path: .optimized)
        let reference = pipeline.augmentPairs(images, using: &g2, path: .reference)
        XCTAssertEqual(optimized.parameters, reference.parameters, "same seed, same draws")
        assertClose(optimized.firstViews, reference.firstViews, rtol: 0, atol: tolerance,
                    "classroom view 1, 12 images, optimized vs reference")
        assertClose(optimized.secondViews, reference.secondViews, rtol: 0, atol: tolerance,
                    "classroom view 2, 12 images, optimized vs reference")
    }

    /// Odd shapes: a 37x29 source enlarged to 93 px (blur kernel int(9.3) = 9), and a
    /// 101x67 source shrunk to 29 px (antialiased), every stage forced on, with and
    /// without normalization.
    func testOddSizesWithEveryStageOn() {
        let cases: [(Int, Int, Int)] = [(29, 37, 93), (67, 101, 29)]
        for (height, width, size) in cases {
            let blur = GaussianBlur(imageSize: size, probability: 1)
            for normalization in [nil, Normalization.imageNet] {
                let pipeline = AugmentationPipeline(
                    crop: RandomResizedCrop(size: size), flip: RandomHorizontalFlip(probability: 0.5),
                    jitter: ColorJitter(probability: 1), grayscale: RandomGrayscale(probability: 0.3),
                    blur: blur, normalization: normalization)
                var g = SeededGenerator(seed: UInt64(size))
                for k in 0 ..< 4 {
                    let image = testImage(height: height, width: width, seed: UInt64(200 + k))
                    let p = pipeline.draw(height: height, width: width, using: &g)
                    assertClose(pipeline.apply(p, to: image, path: .optimized).data,
                                pipeline.apply(p, to: image, path: .reference).data, rtol: 0, atol: tolerance,
                                "\(height)x\(width) -> \(size) (blur k\(blur.kernelSize)), "
                                    + "\(normalization?.name ?? "unnormalized"): \(p.summary)")
                }
            }
        }
    }

    /// One view at the write-up's scale: a 300x451 photo-sized source to 256 px, blur k25.
    func testWriteUpViewAgrees() {
        let image = testImage(height: 300, width: 451, seed: 7)
        let pipeline = AugmentationPipeline.writeUp()
        var g = SeededGenerator(seed: 8)
        var p = pipeline.draw(height: 300, width: 451, using: &g)
        p.jitter = JitterParameters(brightness: 1.2, contrast: 0.8, saturation: 1.3, hue: -0.07,
                                    order: [.hue, .brightness, .saturation, .contrast])
        assertClose(pipeline.apply(p, to: image, path: .optimized).data,
                    pipeline.apply(p, to: image, path: .reference).data, rtol: 0, atol: tolerance,
                    "write-up 300x451 -> 256, blur k25: \(p.summary)")
    }

    func testSameSeedGivesBitIdenticalBatchesOnAnyThreadCount() {
        let images = (0 ..< 40).map { testImage(height: 32, width: 32, seed: UInt64(300 + $0)) }
        let pipeline = AugmentationPipeline.classroom
        func run(threads: Int) -> PairBatch {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            var g = SeededGenerator(seed: 42)
            return pipeline.augmentPairs(images, using: &g, path: .optimized)
        }
        let a = run(threads: 2), b = run(threads: 2), c = run(threads: 1)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertTrue(a.firstViews == b.firstViews && a.secondViews == b.secondViews, "repeat run differs")
        XCTAssertTrue(a.firstViews == c.firstViews && a.secondViews == c.secondViews, "1 thread differs from 2")
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        let r1 = pipeline.augmentPairs(Array(images[0 ..< 5]), using: &g1, path: .reference)
        let r2 = pipeline.augmentPairs(Array(images[0 ..< 5]), using: &g2, path: .reference)
        XCTAssertTrue(r1.firstViews == r2.firstViews && r1.secondViews == r2.secondViews, "reference repeat differs")
        print("OK     seed 42: 2 runs x 2 threads and 1 run x 1 thread give bit-identical 40-image batches; "
              + "reference repeat bit-identical")
    }

    func testComputePathCurrentIsHonoured() {
        let images = (0 ..< 3).map { testImage(height: 32, width: 32, seed: UInt64(400 + $0)) }
        let pipeline = AugmentationPipeline.classroom
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let viaCurrent = ComputePath.with(.reference) { pipeline.augmentPairs(images, using: &g1) }
        let explicit = pipeline.augmentPairs(images, using: &g2, path: .reference)
        XCTAssertTrue(viaCurrent.firstViews == explicit.firstViews && viaCurrent.secondViews == explicit.secondViews)
    }
}
