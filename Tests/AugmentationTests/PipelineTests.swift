import Augmentation
import Core
import Imaging
import TestSupport
import XCTest

/// The pipeline's entry points agree with each other, and its records print as documented.
final class PipelineTests: XCTestCase {
    func testSummaryLineFormat() {
        let p = ViewParameters(
            sourceHeight: 32, sourceWidth: 32, crop: CropBox(top: 4, left: 6, height: 20, width: 18), flipped: true,
            jitter: JitterParameters(brightness: 1.12, contrast: 0.93, saturation: 1.30, hue: 0.04,
                                     order: [.hue, .brightness, .saturation, .contrast]),
            grayscale: false, blurSigma: 1.21)
        let expected = "crop (4, 6, 20x18), flip, jitter b 1.12 c 0.93 s 1.30 h +0.04 order [h, b, s, c], no grey, blur σ 1.21"
        XCTAssertEqual(p.summary, expected)
        print(p.summary)
        let plain = ViewParameters.identity(height: 32, width: 32)
        XCTAssertEqual(plain.summary, "crop (0, 0, 32x32), no flip, no jitter, no grey, no blur")
        XCTAssertEqual(p.lines.count, 5)
        XCTAssertEqual(p.lines[0], "crop       top 4, left 6, 20x18 of 32x32 (35.2 % of the area, aspect 0.90)")
        for line in p.lines { print(line) }
        let pair = PairParameters(first: p, second: plain)
        XCTAssertEqual(pair.lines, ["view 1: " + expected, "view 2: " + plain.summary])
    }

    func testStageLinesDescribeBothConfigurations() {
        let classroom = AugmentationPipeline.classroom.stageLines
        for line in classroom { print("classroom  " + line) }
        XCTAssertEqual(classroom.first, "RandomResizedCrop(32, scale=(0.08, 1.0), ratio=(0.75, 1.333), antialias=True)")
        XCTAssertTrue(classroom.contains("RandomApply([GaussianBlur(kernel_size=3, sigma=(0.1, 2.0))], p=0.5)"))
        let writeUp = AugmentationPipeline.writeUp().stageLines
        for line in writeUp { print("write-up   " + line) }
        XCTAssertTrue(writeUp.contains("GaussianBlur(kernel_size=25, sigma=(0.1, 2.0))"))
        XCTAssertTrue(writeUp.contains("RandomApply([ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8)"))
        XCTAssertTrue(writeUp.last?.hasSuffix("# ImageNet") ?? false)
    }

    func testBatchEntryPointsAgreeAndReplay() {
        let images = (0 ..< 9).map { testImage(height: 32, width: 32, seed: UInt64(500 + $0)) }
        let pipeline = AugmentationPipeline.classroom
        let n = images.count * 3 * 32 * 32

        var g = SeededGenerator(seed: 9)
        let batch = pipeline.augmentPairs(images, using: &g, path: .optimized)

        // Closure source into a stacked [2B, 3, 32, 32] buffer, as a training loop would.
        var stacked = [Float](repeating: .nan, count: 2 * n)
        g = SeededGenerator(seed: 9)
        let pairs = stacked.withUnsafeMutableBufferPointer { buffer in
            pipeline.augmentPairs(count: images.count, image: { images[$0] }, firstViews: buffer.baseAddress!,
                                  secondViews: buffer.baseAddress! + n, using: &g, path: .optimized)
        }
        XCTAssertEqual(pairs, batch.parameters)
        XCTAssertTrue(Array(stacked[0 ..< n]) == batch.firstViews && Array(stacked[n...]) == batch.secondViews)

        // The draws are sequential: image 0 view 1, image 0 view 2, image 1 view 1, ...
        g = SeededGenerator(seed: 9)
        for pair in batch.parameters {
            XCTAssertEqual(pipeline.draw(height: 32, width: 32, using: &g), pair.first)
            XCTAssertEqual(pipeline.draw(height: 32, width: 32, using: &g), pair.second)
        }

        // Replaying recorded draws reproduces the views exactly.
        var replayed = [Float](repeating: 0, count: n)
        replayed.withUnsafeMutableBufferPointer {
            pipeline.render(batch.parameters.map(\.second), of: images, into: $0.baseAddress!, path: .optimized)
        }
        XCTAssertTrue(replayed == batch.secondViews)
        XCTAssertTrue(pipeline.apply(batch.parameters[4].first, to: images[4], path: .optimized) == batch.firstView(4))
        XCTAssertTrue(pipeline.apply(batch.parameters[4].second, to: images[4], path: .optimized) == batch.secondView(4))

        // Two views of one image are drawn independently.
        XCTAssertTrue(batch.parameters.allSatisfy { $0.first != $0.second })
        for line in batch.parameters[0].lines { print(line) }
        print("OK     pointer, [Float], closure and replay entry points agree on 9 images")
    }

    func testSingleViewAndPairHelpers() {
        let image = testImage(height: 29, width: 37, seed: 600)
        let pipeline = AugmentationPipeline.classroom
        var g = SeededGenerator(seed: 10)
        let view = pipeline(image, using: &g, path: .optimized)
        XCTAssertEqual(view.image.height, 32)
        XCTAssertEqual(view.image.width, 32)
        XCTAssertTrue(pipeline.apply(view.parameters, to: image, path: .optimized) == view.image)
        let pair = pipeline.pair(of: image, using: &g, path: .optimized)
        XCTAssertNotEqual(pair.first.parameters, pair.second.parameters)

        // Without normalization the views stay pictures in [0, 1].
        let raw = pipeline.withoutNormalization().pair(of: image, using: &g, path: .optimized)
        XCTAssertTrue((raw.first.image.data + raw.second.image.data).allSatisfy { (0 ... 1).contains($0) })
    }

    func testDenormalizeInvertsNormalize() {
        let image = PlanarImage(testImage(height: 8, width: 8, seed: 700))
        assertClose(image.normalized(with: .imageNet).denormalized(with: .imageNet).data, image.data,
                    rtol: 0, atol: 1e-6, "denormalized(normalized(x)) == x")
    }
}
