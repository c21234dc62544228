@testable import Plotting
import XCTest

final class TextTests: XCTestCase {
    func testMeasurement() {
        XCTAssertEqual(Font.body.width(of: "abc"), 24)
        XCTAssertEqual(Font.body.height(of: "abc"), 16)
        XCTAssertEqual(Font.title.width(of: "loss"), 48)
        XCTAssertEqual(Font.body.width(of: "±×·°✓✗≈τ→≤≥"), 11 * 8, "symbols are one cell each")
        XCTAssertEqual(Font.body.width(of: "ab\nlonger"), 48, "the longest line")
        XCTAssertEqual(Font.body.height(of: "a\nb\nc"), 16 + 2 * 20)
        XCTAssertEqual(Font.body.width(of: ""), 0)
        XCTAssertEqual(Font(size: 17).size, 16, "sizes snap to the embedded ones")
        XCTAssertEqual(Font(size: 30).size, 32)
        print("OK widths: \"abc\" 24 px at 16 px, \"loss\" 48 px at 24 px; 3 lines 56 px tall")
    }

    func testEverySymbolTheLessonsPrintIsInTheFont() {
        let required = (0x20 ... 0x7E).map { Character(Unicode.Scalar($0)!) } + Array("±×·°✓✗≈τ→≤≥")
        for size in [16, 20, 24, 32] {
            for bold in [false, true] {
                let (set, k) = GlyphSet.resolve(devicePixels: size, bold: bold)
                XCTAssertEqual(k, 1)
                XCTAssertEqual(set.height, size)
                let missing = required.filter { !set.covers($0) }
                XCTAssertEqual(missing, [], "size \(size) bold \(bold)")
            }
        }
        print("OK all \(required.count) required characters present in 16/20/24/32 px, regular and bold")
    }

    func testLargeSizesUseExactMultiples() {
        let cases = [(32, 32, 1), (40, 20, 2), (48, 24, 2), (64, 32, 2), (96, 32, 3), (128, 32, 4)]
        for (device, native, k) in cases {
            let r = GlyphSet.resolve(devicePixels: device, bold: true)
            XCTAssertEqual(r.set.height, native, "\(device) px")
            XCTAssertEqual(r.multiplier, k, "\(device) px")
        }
    }

    func testRenderedTextHasInkOnlyInsideItsBounds() {
        for scale in [1, 2] {
            for direction in [TextDirection.horizontal, .up] {
                var c = Canvas(width: 200, height: 200, scale: scale)
                let at = Point(100, 100)
                let text = "Epoch 10 ✓"
                c.text(text, at: at, font: .label, align: .center, vertical: .middle, direction: direction)
                let r = c.textBounds(text, at: at, font: .label, align: .center, vertical: .middle, direction: direction)
                let inside = c.inkCount(in: r), total = c.inkCount()
                XCTAssertGreaterThan(inside, 100, "\(direction) at scale \(scale)")
                XCTAssertEqual(inside, total, "no ink outside the bounds, \(direction) at scale \(scale)")
                if direction == .horizontal {
                    XCTAssertEqual(r.width, 100); XCTAssertEqual(r.height, 20)
                } else {
                    XCTAssertEqual(r.width, 20); XCTAssertEqual(r.height, 100)
                }
                print("OK \"\(text)\" \(direction) at scale \(scale): \(total) ink pixels, all inside \(r)")
            }
        }
    }

    func testAlignmentMovesTheInk() {
        var left = Canvas(width: 100, height: 20), right = left
        left.text("abc", at: Point(50, 0), align: .left)
        right.text("abc", at: Point(50, 0), align: .right)
        XCTAssertEqual(left.inkCount(x0: 0, x1: 50), 0)
        XCTAssertEqual(right.inkCount(x0: 50, x1: 100), 0)
        XCTAssertEqual(left.inkCount(), right.inkCount())
    }

    func testUpwardTextReadsBottomToTop() {
        // "l" then "." : the dot is the second character, so it must sit above the l.
        var c = Canvas(width: 40, height: 40)
        c.text("._", at: Point(10, 30), direction: .up)
        // The underscore is at the bottom of its cell (the right side when rotated), the
        // dot second along the text, so higher up on the canvas.
        let firstCell = c.inkCount(x0: 10, y0: 22, x1: 26, y1: 30)
        let secondCell = c.inkCount(x0: 10, y0: 14, x1: 26, y1: 22)
        XCTAssertGreaterThan(firstCell, 0)
        XCTAssertGreaterThan(secondCell, firstCell, "the underscore (second) has more ink than the dot (first)")
    }

    func testUnknownCharactersRenderAsABox() {
        var c = Canvas(width: 40, height: 20)
        c.text("☃", at: Point(0, 0))
        XCTAssertGreaterThan(c.inkCount(), 10)
        var d = Canvas(width: 40, height: 20)
        d.text("\u{1F600}e\u{301}\t", at: Point(0, 0))  // emoji, decomposed é, tab: boxes
        XCTAssertGreaterThan(d.inkCount(), 30)
        var e = Canvas(width: 40, height: 20)
        e.text("", at: Point(0, 0))
        e.text("far away", at: Point(-500, -500))
        XCTAssertEqual(e.inkCount(), 0)
    }

    func testTruncateAndWrap() {
        let f = Font.body
        XCTAssertEqual(f.truncate("automobile", toWidth: 80), "automobile")
        XCTAssertEqual(f.truncate("automobile", toWidth: 48), "autom…")
        XCTAssertEqual(f.wrap("Random init (5,000 labels)", toWidth: 100), ["Random init", "(5,000", "labels)"])
        XCTAssertEqual(f.wrap("short", toWidth: 100), ["short"])
    }
}
