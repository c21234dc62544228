import Augmentation
import Core
import XCTest

/// The random draws: probabilities, ranges, the crop's rules and fallback, jitter orders.
final class RandomDrawTests: XCTestCase {
    let draws = 10_000

    /// Prints and checks an observed frequency against its probability, within 1.5 points.
    func checkFrequency(_ count: Int, _ p: Double, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let observed = Double(count) / Double(draws)
        let ok = abs(observed - p) <= 0.015
        print("\(ok ? "OK    " : "NOT OK") \(label): \(count) of \(draws) = "
              + String(format: "%.2f %% (expected %.1f %%)", 100 * observed, 100 * p))
        XCTAssertTrue(ok, "\(label): \(observed) vs \(p)", file: file, line: line)
    }

    func testClassroomStageFrequencies() {
        var g = SeededGenerator(seed: 11)
        let pipeline = AugmentationPipeline.classroom
        var flips = 0, jitters = 0, greys = 0, blurs = 0
        for _ in 0 ..< draws {
            let p = pipeline.draw(height: 32, width: 32, using: &g)
            if p.flipped { flips += 1 }
            if p.jitter != nil { jitters += 1 }
            if p.grayscale { greys += 1 }
            if let sigma = p.blurSigma {
                blurs += 1
                XCTAssertTrue((0.1 ..< 2.0).contains(sigma), "sigma \(sigma) outside [0.1, 2)")
            }
        }
        checkFrequency(flips, 0.5, "flip")
        checkFrequency(jitters, 0.8, "colour jitter applied")
        checkFrequency(greys, 0.2, "grayscale")
        checkFrequency(blurs, 0.5, "blur (classroom p 0.5)")
    }

    func testWriteUpBlursAlways() {
        var g = SeededGenerator(seed: 12)
        let pipeline = AugmentationPipeline.writeUp()
        var blurs = 0
        for _ in 0 ..< draws where pipeline.draw(height: 300, width: 451, using: &g).blurSigma != nil { blurs += 1 }
        checkFrequency(blurs, 1.0, "blur (write-up, always)")
        XCTAssertEqual(pipeline.size, 256)
        XCTAssertEqual(pipeline.normalization, .imageNet)
    }

    func testCropAreaAndAspectStayInRange() {
        var g = SeededGenerator(seed: 13)
        let crop = RandomResizedCrop(size: 32)
        for (height, width) in [(32, 32), (300, 451), (29, 37)] {
            var fallbacks = 0, minFraction = 1.0, maxFraction = 0.0, minAspect = 10.0, maxAspect = 0.0
            for _ in 0 ..< draws {
                let d = crop.draw(height: height, width: width, using: &g)
                XCTAssertTrue(d.box.fits(height: height, width: width), "\(d.box) outside \(height)x\(width)")
                if d.usedFallback { fallbacks += 1; continue }
                let area = Double(height * width)
                let target = try! XCTUnwrap(d.targetArea), aspect = try! XCTUnwrap(d.aspectRatio)
                // What was drawn lies in the ranges...
                XCTAssertTrue((0.08 * area ... area).contains(target), "target area \(target / area)")
                XCTAssertTrue((0.75 ... 4.0 / 3.0).contains(aspect), "aspect \(aspect)")
                // ...and the box is its rounding (round half to even), so the realized
                // fraction can only leave [0.08, 1] by what rounding each side moves it.
                XCTAssertEqual(d.box.width, Int((target * aspect).squareRoot().rounded(.toNearestOrEven)))
                XCTAssertEqual(d.box.height, Int((target / aspect).squareRoot().rounded(.toNearestOrEven)))
                let realized = Double(d.box.width * d.box.height) / area
                let slack = (0.5 * Double(d.box.width + d.box.height) + 0.25) / area
                XCTAssertTrue(realized >= 0.08 - slack && realized <= 1, "area fraction \(realized)")
                minFraction = min(minFraction, target / area); maxFraction = max(maxFraction, target / area)
                minAspect = min(minAspect, aspect); maxAspect = max(maxAspect, aspect)
            }
            print("crop on \(height)x\(width): drawn area fraction in [\(String(format: "%.4f", minFraction)), "
                  + "\(String(format: "%.4f", maxFraction))], aspect in [\(String(format: "%.4f", minAspect)), "
                  + "\(String(format: "%.4f", maxAspect))], \(fallbacks) fallbacks in \(draws)")
            XCTAssertLessThan(minFraction, 0.09)
            XCTAssertLessThan(minAspect, 0.76)
            XCTAssertGreaterThan(maxAspect, 1.32)
        }
    }

    func testCropFallbackFollowsTorchvision() {
        var g = SeededGenerator(seed: 14)
        // No crop with aspect 30 ... 40 fits a square, so all 10 attempts fail:
        // torchvision clamps the ratio to 30 and centres a full-width box of height round(32 / 30) = 1.
        let thin = RandomResizedCrop(size: 32, ratio: 30 ... 40).draw(height: 32, width: 32, using: &g)
        XCTAssertTrue(thin.usedFallback)
        XCTAssertEqual(thin.attempts, 10)
        XCTAssertEqual(thin.box, CropBox(top: 15, left: 0, height: 1, width: 32))
        // A full-area crop of a 451x300 photo (aspect 1.5 > 4/3) never fits either:
        // the fallback is the full height and width round(300 x 4/3) = 400, centred.
        let full = RandomResizedCrop(size: 256, scale: 1 ... 1).draw(height: 300, width: 451, using: &g)
        XCTAssertTrue(full.usedFallback)
        XCTAssertEqual(full.box, CropBox(top: 0, left: 25, height: 300, width: 400))
        // Inside the ratio range the fallback is the whole image.
        XCTAssertEqual(RandomResizedCrop.fallbackBox(height: 30, width: 36, ratio: 0.75 ... 4.0 / 3.0),
                       CropBox(top: 0, left: 0, height: 30, width: 36))
        // A tall image with a wide-only range: full width, height round(20 / 2) = 10, centred.
        XCTAssertEqual(RandomResizedCrop.fallbackBox(height: 50, width: 20, ratio: 2 ... 3),
                       CropBox(top: 20, left: 0, height: 10, width: 20))
        print("OK     crop fallback: \(thin.box) on 32x32 with ratio 30-40, \(full.box) on 300x451 at scale 1")
    }

    func testJitterOrdersAndFactorRanges() {
        var g = SeededGenerator(seed: 15)
        let jitter = ColorJitter(probability: 1)
        var orders = [[JitterOperation]: Int]()
        var low: [Float] = [9, 9, 9, 9], high: [Float] = [-9, -9, -9, -9]
        for _ in 0 ..< draws {
            let p = try! XCTUnwrap(jitter.draw(using: &g))
            XCTAssertEqual(Set(p.order), Set(JitterOperation.allCases))
            XCTAssertEqual(p.order.count, 4)
            orders[p.order, default: 0] += 1
            for (k, f) in [p.brightness, p.contrast, p.saturation, p.hue].enumerated() {
                let f = try! XCTUnwrap(f)
                low[k] = min(low[k], f)
                high[k] = max(high[k], f)
            }
        }
        print("jitter: \(orders.count) distinct orders in \(draws) draws, each seen "
              + "\(orders.values.min() ?? 0) ... \(orders.values.max() ?? 0) times (uniform: \(draws / 24))")
        XCTAssertEqual(orders.count, 24, "all 4! orders occur")
        XCTAssertGreaterThan(orders.values.min() ?? 0, 300)
        for k in 0 ..< 3 {
            XCTAssertTrue(low[k] >= 0.6 && low[k] < 0.61 && high[k] <= 1.4 && high[k] > 1.39,
                          "factor \(k) in [\(low[k]), \(high[k])], expected [0.6, 1.4]")
        }
        XCTAssertTrue(low[3] >= -0.1 && low[3] < -0.099 && high[3] <= 0.1 && high[3] > 0.099,
                      "hue in [\(low[3]), \(high[3])], expected [-0.1, 0.1]")
        print("OK     jitter factors: b [\(low[0]), \(high[0])] c [\(low[1]), \(high[1])] "
              + "s [\(low[2]), \(high[2])] h [\(low[3]), \(high[3])]")
    }

    func testJitterStrengthRules() {
        XCTAssertEqual(ColorJitter.factorRange(strength: 0.4), 0.6 ... 1.4)
        XCTAssertEqual(ColorJitter.factorRange(strength: 1.5), 0 ... 2.5)
        var g = SeededGenerator(seed: 16)
        let p = try! XCTUnwrap(ColorJitter(brightness: 0, contrast: 0.4, saturation: 0, hue: 0, probability: 1)
            .draw(using: &g))
        XCTAssertNil(p.brightness)
        XCTAssertNil(p.saturation)
        XCTAssertNil(p.hue)
        XCTAssertNotNil(p.contrast)
    }
}
