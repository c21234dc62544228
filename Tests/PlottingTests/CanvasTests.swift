import Foundation
import Imaging
@testable import Plotting
import XCTest

final class CanvasTests: XCTestCase {
    func testNewCanvasIsWhiteAndScaled() {
        let c = Canvas(width: 30, height: 20, scale: 2)
        XCTAssertEqual(c.pixelWidth, 60)
        XCTAssertEqual(c.pixelHeight, 40)
        XCTAssertEqual(c.pixels.count, 60 * 40 * 4)
        XCTAssertEqual(c.inkCount(), 0)
        print("OK canvas 30x20 at scale 2 is 60x40 device pixels, all white")
    }

    func testFilledRectCoversExactlyItsPixels() {
        for scale in [1, 2] {
            var c = Canvas(width: 40, height: 30, scale: scale)
            c.fill(Rect(x: 5, y: 7, width: 10, height: 4), .black)
            XCTAssertEqual(c.count(of: .black), 10 * 4 * scale * scale)
            XCTAssertEqual(c.inkBounds(), PixelBox(x0: 5 * scale, y0: 7 * scale, x1: 15 * scale, y1: 11 * scale))
            print("OK fill 10x4 at scale \(scale): \(c.count(of: .black)) pixels, box \(c.inkBounds()!)")
        }
    }

    func testStrokedRectLiesInsideItsRect() {
        var c = Canvas(width: 40, height: 30)
        c.stroke(Rect(x: 5, y: 5, width: 20, height: 10), .black, lineWidth: 2)
        XCTAssertEqual(c.inkBounds(), PixelBox(x0: 5, y0: 5, x1: 25, y1: 15))
        XCTAssertEqual(c.count(of: .black), 20 * 10 - 16 * 6)
        XCTAssertEqual(c.pixel(x: 15, y: 10), .white, "the inside stays empty")
    }

    func testAlphaBlendsOverWhite() {
        var c = Canvas(width: 4, height: 4)
        c.fill(Rect(x: 0, y: 0, width: 4, height: 4), Color(r: 255, g: 0, b: 0).opacity(0.5))
        let p = c.pixel(x: 1, y: 1)
        XCTAssertEqual(p, Color(r: 255, g: 127, b: 127))
        print("OK 50% red over white = \(p)")
    }

    func testLineTouchesBothEndpointsAndNothingFarAway() {
        for scale in [1, 2] {
            var c = Canvas(width: 60, height: 40, scale: scale)
            let a = Point(5.5, 5.5), b = Point(50.5, 30.5)
            c.line(from: a, to: b, .black, width: 2)
            let s = Double(scale)
            XCTAssertNotEqual(c.pixel(x: Int(a.x * s), y: Int(a.y * s)), .white, "start point inked")
            XCTAssertNotEqual(c.pixel(x: Int(b.x * s), y: Int(b.y * s)), .white, "end point inked")
            XCTAssertNotEqual(c.pixel(x: Int(28 * s), y: Int(18 * s)), .white, "middle inked")
            let bounds = c.inkBounds()!
            XCTAssertGreaterThanOrEqual(bounds.x0, Int(3 * s)); XCTAssertLessThanOrEqual(bounds.x1, Int(53 * s))
            XCTAssertEqual(c.pixel(x: Int(50 * s), y: Int(6 * s)), .white, "far corner empty")
            print("OK line at scale \(scale): endpoints inked, ink box \(bounds)")
        }
    }

    func testDashedLineHasGaps() {
        var solid = Canvas(width: 200, height: 10), dashed = solid
        solid.line(from: Point(0, 5), to: Point(200, 5), .black, width: 2)
        dashed.line(from: Point(0, 5), to: Point(200, 5), .black, width: 2, dash: DashPattern([10, 10]))
        let ratio = Double(dashed.inkCount()) / Double(solid.inkCount())
        XCTAssertEqual(ratio, 0.5, accuracy: 0.08)
        XCTAssertEqual(dashed.pixel(x: 15, y: 5), .white, "inside the first gap")
        XCTAssertNotEqual(dashed.pixel(x: 25, y: 5), .white, "second dash")
        print("OK dashed/solid ink ratio \(String(format: "%.3f", ratio)) for a 10-on 10-off pattern")
    }

    func testPolylineSkipsNonFinitePointsAndSinglePoints() {
        var c = Canvas(width: 50, height: 20)
        c.polyline([Point(2, 10), Point(20, 10), Point(.nan, 10), Point(30, 10), Point(48, 10)], .black, width: 2)
        XCTAssertEqual(c.pixel(x: 25, y: 10), .white, "gap where the NaN was")
        XCTAssertNotEqual(c.pixel(x: 10, y: 10), .white)
        XCTAssertNotEqual(c.pixel(x: 40, y: 10), .white)
        var d = Canvas(width: 10, height: 10)
        d.polyline([Point(5, 5)], .black)
        d.polyline([], .black)
        XCTAssertEqual(d.inkCount(), 0)
    }

    func testClippingHolds() {
        var c = Canvas(width: 60, height: 60)
        let clip = Rect(x: 10, y: 10, width: 20, height: 20)
        c.withClip(clip) { c in
            c.fill(.black)
            c.line(from: Point(0, 0), to: Point(60, 60), .black, width: 5)
            c.text("clipped text", at: Point(0, 20), font: .large)
            c.marker(.circle, at: Point(30, 30), size: 30, .black)
            c.draw(RGBImage(width: 2, height: 2, fill: (0, 0, 0)), in: Rect(x: 0, y: 0, width: 60, height: 60))
        }
        XCTAssertEqual(c.inkBounds(), PixelBox(x0: 10, y0: 10, x1: 30, y1: 30))
        c.fill(Rect(x: 40, y: 40, width: 5, height: 5), .black)
        XCTAssertEqual(c.count(of: .black), 400 + 25, "the clip is restored afterwards")
        print("OK drawing inside withClip stays in \(clip)")
    }

    func testImageIsEnlargedByNearestNeighbour() {
        let image = RGBImage(width: 2, height: 2, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
        var c = Canvas(width: 10, height: 10)
        c.draw(image, in: Rect(x: 2, y: 2, width: 6, height: 6))
        XCTAssertEqual(c.pixel(x: 2, y: 2), Color(r: 255, g: 0, b: 0))
        XCTAssertEqual(c.pixel(x: 4, y: 4), Color(r: 255, g: 0, b: 0))
        XCTAssertEqual(c.pixel(x: 5, y: 4), Color(r: 0, g: 255, b: 0))
        XCTAssertEqual(c.pixel(x: 4, y: 5), Color(r: 0, g: 0, b: 255))
        XCTAssertEqual(c.pixel(x: 7, y: 7), Color(r: 10, g: 20, b: 30))
        XCTAssertEqual(c.inkBounds(), PixelBox(x0: 2, y0: 2, x1: 8, y1: 8))
    }

    func testImageIsShrunkByAveraging() {
        // A 4x4 checkerboard of black and white shown at 2x2 turns mid-grey everywhere.
        let pixels = (0 ..< 16).flatMap { i -> [UInt8] in ((i % 4) + (i / 4)) % 2 == 0 ? [0, 0, 0] : [255, 255, 255] }
        var c = Canvas(width: 2, height: 2)
        c.draw(RGBImage(width: 4, height: 4, pixels: pixels), in: Rect(x: 0, y: 0, width: 2, height: 2))
        XCTAssertEqual(c.pixel(x: 0, y: 0), Color(r: 128, g: 128, b: 128))
        XCTAssertEqual(c.pixel(x: 1, y: 1), Color(r: 128, g: 128, b: 128))
    }

    func testEveryMarkerShapeHasInkAtItsCentreOnly() {
        for shape in MarkerShape.allCases {
            var c = Canvas(width: 40, height: 40)
            c.marker(shape, at: Point(20, 20), size: 12, .black)
            XCTAssertNotEqual(c.pixel(x: 20, y: 20), .white, "\(shape) centre")
            let b = c.inkBounds()!
            XCTAssertGreaterThanOrEqual(b.x0, 8, "\(shape)"); XCTAssertLessThanOrEqual(b.x1, 32, "\(shape)")
            XCTAssertGreaterThanOrEqual(b.y0, 8, "\(shape)"); XCTAssertLessThanOrEqual(b.y1, 32, "\(shape)")
        }
        // Shapes must differ from each other, or classes could not be told apart.
        let images = MarkerShape.allCases.map { shape -> [UInt8] in
            var c = Canvas(width: 30, height: 30)
            c.marker(shape, at: Point(15, 15), size: 16, .black)
            return c.pixels
        }
        XCTAssertEqual(Set(images).count, MarkerShape.allCases.count)
        print("OK \(MarkerShape.allCases.count) marker shapes, all distinct and centred")
    }

    func testPNGRoundTripEqualsCanvasOverWhite() throws {
        var c = Canvas(width: 40, height: 30, scale: 2)
        c.fill(Rect(x: 0, y: 0, width: 20, height: 30), Palette.tab10[0])
        c.fill(Rect(x: 10, y: 5, width: 25, height: 10), Color(r: 200, g: 30, b: 40).opacity(0.4))
        c.line(from: Point(0, 29), to: Point(39, 0), .black, width: 1.5)
        c.text("PNG ±", at: Point(2, 16), font: .body, color: .white)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plotting-roundtrip-\(getpid()).png")
        defer { try? FileManager.default.removeItem(at: url) }
        try c.write(to: url)
        let decoded = try PNG.decode(try Data(contentsOf: url))
        XCTAssertEqual(decoded.width, 80)
        XCTAssertEqual(decoded.height, 60)
        XCTAssertEqual(decoded, c.rgbImage())
        // Over white by hand for one translucent pixel (straight alpha, rounded).
        let p = c.pixel(x: 60, y: 20), a = Double(p.a) / 255
        let expected = UInt8((Double(p.r) * a + 255 * (1 - a)).rounded())
        XCTAssertEqual(decoded[20, 60].r, expected)
        print("OK PNG round trip: \(decoded.width)x\(decoded.height) decoded pixels equal the canvas over white")
    }

    func testWriteReplacesFileAndReportsUnwritablePath() throws {
        let c = Canvas(width: 4, height: 4)
        XCTAssertThrowsError(try c.write(to: URL(fileURLWithPath: "/proc/plotting-cannot-write/x.png"))) { error in
            print("expected error: \(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testScaleTwoIsTwiceTheSameFigure() {
        let one = Canvas(width: 300, height: 200, scale: 1), two = Canvas(width: 300, height: 200, scale: 2)
        XCTAssertEqual(two.pixelWidth, 2 * one.pixelWidth)
        XCTAssertEqual(two.pixelHeight, 2 * one.pixelHeight)
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y")
        chart.add(series: "a", points: [Point(0, 0), Point(1, 1)])
        let a = chart.render(width: 300, height: 200, scale: 1), b = chart.render(width: 300, height: 200, scale: 2)
        XCTAssertEqual(b.pixelWidth, 600)
        XCTAssertEqual(b.pixelHeight, 400)
        // Same layout: the ink of the scale-2 copy spans twice the box (within a pixel or two).
        let ba = a.inkBounds()!, bb = b.inkBounds()!
        for (p, q) in [(ba.x0, bb.x0), (ba.y0, bb.y0), (ba.x1, bb.x1), (ba.y1, bb.y1)] {
            XCTAssertEqual(Double(q), Double(2 * p), accuracy: 3)
        }
        print("OK scale 2: \(b.pixelWidth)x\(b.pixelHeight), ink box \(bb) vs 2 x \(ba)")
    }
}
