import Core

/// One embedded bitmap font size: fixed-width glyph cells of `width` x `height` pixels.
///
/// The glyph tables (GlyphData16/20/24/32.swift, converted from Terminus Font under the
/// SIL Open Font License 1.1) store one line per glyph, `XXXX:rows`, where `XXXX` is the
/// Unicode code point in hex and each row is 1 byte (cells up to 8 wide) or 2 bytes of
/// hex, most significant bit leftmost. They are parsed once, on first use.
struct GlyphSet: Sendable {
    let width: Int
    let height: Int
    /// Rows from the top of the cell to the baseline.
    let ascent: Int
    /// Rows of each glyph, left-aligned in 16 bits: pixel x is bit `15 - x`.
    let glyphs: [UInt32: [UInt16]]
    /// The glyph drawn for characters the font lacks: an outlined box, never a crash.
    let missing: [UInt16]

    init(width: Int, height: Int, ascent: Int, table: String) {
        contract(width <= 16, "GlyphSet: cells up to 16 pixels wide")
        self.width = width
        self.height = height
        self.ascent = ascent
        let bytesPerRow = (width + 7) / 8
        var glyphs: [UInt32: [UInt16]] = [:]
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2, let code = UInt32(parts[0], radix: 16) else { continue }
            let hex = Array(parts[1].utf8)
            let digitsPerRow = 2 * bytesPerRow
            guard hex.count == digitsPerRow * height else { continue }
            var rows = [UInt16](repeating: 0, count: height)
            for r in 0 ..< height {
                var v: UInt16 = 0
                for d in 0 ..< digitsPerRow { v = v << 4 | UInt16(GlyphSet.nibble(hex[r * digitsPerRow + d])) }
                rows[r] = bytesPerRow == 1 ? v << 8 : v
            }
            glyphs[code] = rows
        }
        self.glyphs = glyphs
        self.missing = GlyphSet.box(width: width, height: height, ascent: ascent)
    }

    /// The rows of the glyph for `character`, or the box glyph if the font lacks it.
    func rows(for character: Character) -> [UInt16] {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first else { return missing }
        if scalar.value == 0xA0 { return glyphs[0x20] ?? missing }  // no-break space
        return glyphs[scalar.value] ?? missing
    }

    /// Whether the font has a glyph for `character` (otherwise it renders as a box).
    func covers(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        return scalars.count == 1 && glyphs[scalars.first!.value] != nil
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 48 ... 57: return c - 48
        case 65 ... 70: return c - 55
        case 97 ... 102: return c - 87
        default: return 0
        }
    }

    /// An outlined rectangle from cap height to the baseline, with a one-pixel side gap.
    private static func box(width: Int, height: Int, ascent: Int) -> [UInt16] {
        let stroke = max(1, width / 8)
        let top = max(1, height / 8), bottom = ascent - 1
        let left = 1, right = width - 2
        var rows = [UInt16](repeating: 0, count: height)
        for y in top ... bottom {
            for x in left ... right {
                let edge = y < top + stroke || y > bottom - stroke || x < left + stroke || x > right - stroke
                if edge { rows[y] |= 0x8000 >> UInt16(x) }
            }
        }
        return rows
    }

    /// The native glyph set and integer multiplier that render text `devicePixels` tall:
    /// the largest native height that divides it exactly, else the nearest smaller fit.
    static func resolve(devicePixels: Int, bold: Bool) -> (set: GlyphSet, multiplier: Int) {
        let natives: [(Int, GlyphSet)] = bold
            ? [(32, bold32), (24, bold24), (20, bold20), (16, bold16)]
            : [(32, regular32), (24, regular24), (20, regular20), (16, regular16)]
        for (h, set) in natives where devicePixels % h == 0 { return (set, devicePixels / h) }
        for (h, set) in natives where devicePixels >= h { return (set, devicePixels / h) }
        return (natives[natives.count - 1].1, 1)
    }
}
