import Foundation
@testable import Plotting
import TestSupport
import XCTest

/// Holds the bitmap font's rendering to a recorded fixture, pixel for pixel.
///
/// Every glyph the font has (and the box drawn for a character it lacks) is drawn on one
/// line at every size of `Font.sizes`, regular and bold, and each canvas's RGBA bytes are
/// hashed (64-bit FNV-1a). `Tests/Fixtures/font_render_hashes.txt` keeps the hashes; any
/// changed pixel of any glyph changes its line. After a deliberate change to the font,
/// `FONT_FIXTURE_RECORD=1 swift test --filter FontFixtureTests` writes the file anew.
final class FontFixtureTests: XCTestCase {
    /// The 139 characters the font has, in the glyph tables' order, then one it lacks (☃).
    static let text = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        + "abcdefghijklmnopqrstuvwxyz{|}~±×·°✓✗≈τ→≤≥−–—…µ²³¹½αβγδεηθλμπσφωΔΣ←↑↓≠∞√•‰é☃"

    static let fixture = Fixture.folder.appendingPathComponent("font_render_hashes.txt")

    /// One line per size and weight: `size weight width height ink-pixels fnv1a64`.
    static func render() -> [String] {
        var lines: [String] = []
        for size in Font.sizes {
            for bold in [false, true] {
                let font = Font(size: size, bold: bold)
                var canvas = Canvas(width: Int(font.width(of: text)), height: size)
                canvas.text(text, at: Point(0, 0), font: font)
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var ink = 0
                for i in stride(from: 0, to: canvas.pixels.count, by: 4) {
                    if canvas.pixels[i] != 255 || canvas.pixels[i + 1] != 255 || canvas.pixels[i + 2] != 255 { ink += 1 }
                    for b in 0 ..< 4 { hash = (hash ^ UInt64(canvas.pixels[i + b])) &* 0x100_0000_01b3 }
                }
                let hex = String(hash, radix: 16)
                lines.append("\(size) \(bold ? "bold" : "regular") \(canvas.pixelWidth) \(canvas.pixelHeight) \(ink) "
                    + String(repeating: "0", count: 16 - hex.count) + hex)
            }
        }
        return lines
    }

    func testEveryGlyphAtEverySizeRendersAsRecorded() throws {
        XCTAssertEqual(Self.text.count, 140)
        for size in [16, 20, 24, 32] {
            for bold in [false, true] {
                let set = GlyphSet.resolve(devicePixels: size, bold: bold).set
                XCTAssertEqual(Self.text.filter { !set.covers($0) }, ["☃"], "size \(size) bold \(bold)")
                XCTAssertEqual(set.glyphs.count, 139, "size \(size) bold \(bold): no glyph beyond the text's")
            }
        }
        let rendered = Self.render()
        if ProcessInfo.processInfo.environment["FONT_FIXTURE_RECORD"] == "1" {
            let header = """
                # The font rendered by FontFixtureTests: every glyph (and the box for a missing character)
                # on one line at each of Font.sizes, regular and bold, in Color.ink on white at scale 1.
                # size weight width height ink-pixels fnv1a64-of-the-RGBA-bytes
                """
            try (header + "\n" + rendered.joined(separator: "\n") + "\n").write(to: Self.fixture, atomically: true, encoding: .utf8)
            print("wrote \(Self.fixture.path)")
            return
        }
        let recorded = try String(contentsOf: Self.fixture, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        XCTAssertEqual(recorded.count, Font.sizes.count * 2)
        for (got, want) in zip(rendered, recorded) {
            XCTAssertEqual(got, want, "rendering differs from the recorded fixture")
        }
        print("OK \(rendered.count) renderings (\(Font.sizes.map(String.init).joined(separator: "/")) px, regular and bold) "
            + "match \(Self.fixture.lastPathComponent)")
    }
}
