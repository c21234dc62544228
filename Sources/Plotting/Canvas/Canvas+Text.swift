extension Canvas {
    /// Draws text with the embedded bitmap font.
    ///
    /// Lines are separated by "\n"; characters the font lacks are drawn as an outlined
    /// box.
    ///
    /// - Parameters:
    ///   - text: the string.
    ///   - point: the anchor (logical); the text is placed around it by `align` and `vertical`
    ///     in its own reading frame, then rotated about it when `direction` is `.up`.
    ///   - font: size and weight.
    ///   - color: text colour.
    ///   - align: which point of each line's width the anchor marks.
    ///   - vertical: which height of the block the anchor marks.
    ///   - direction: `.up` turns the text 90° counter-clockwise.
    public mutating func text(_ text: String, at point: Point, font: Font = .body, color: Color = .ink,
                              align: HorizontalAlignment = .left, vertical: VerticalAlignment = .top,
                              direction: TextDirection = .horizontal) {
        let (glyphs, k) = GlyphSet.resolve(devicePixels: font.size * scale, bold: font.bold)
        let advance = glyphs.width * k
        let spacing = Int(font.lineSpacing) * scale
        let lines = Font.lines(text)
        let blockHeight = glyphs.height * k + (lines.count - 1) * spacing
        let ax = PixelBox.coordinate(point.x * Double(scale)), ay = PixelBox.coordinate(point.y * Double(scale))
        let top: Int
        switch vertical {
        case .top: top = 0
        case .middle: top = -blockHeight / 2
        case .baseline: top = -glyphs.ascent * k
        case .bottom: top = -blockHeight
        }
        for (n, line) in lines.enumerated() {
            let lineWidth = line.count * advance
            let left: Int
            switch align {
            case .left: left = 0
            case .center: left = -lineWidth / 2
            case .right: left = -lineWidth
            }
            for (i, ch) in line.enumerated() {
                let rows = glyphs.rows(for: ch)
                let u0 = left + i * advance, v0 = top + n * spacing
                for gy in 0 ..< glyphs.height where rows[gy] != 0 {
                    for gx in 0 ..< glyphs.width where rows[gy] & (0x8000 >> UInt16(gx)) != 0 {
                        let u = u0 + gx * k, v = v0 + gy * k
                        // In the reading frame a k x k block at (u, v); `.up` maps (u, v) -> (v, -u).
                        let box = direction == .horizontal
                            ? PixelBox(x0: ax + u, y0: ay + v, x1: ax + u + k, y1: ay + v + k)
                            : PixelBox(x0: ax + v, y0: ay - u - k, x1: ax + v + k, y1: ay - u)
                        fill(box, color)
                    }
                }
            }
        }
    }

    /// The logical rectangle that `text(_:at:...)` with the same arguments would cover.
    public func textBounds(_ text: String, at point: Point, font: Font = .body, align: HorizontalAlignment = .left,
                           vertical: VerticalAlignment = .top, direction: TextDirection = .horizontal) -> Rect {
        TextLayout.bounds(text, at: point, font: font, align: align, vertical: vertical, direction: direction)
    }
}

/// Text geometry without a canvas, for chart layout.
public enum TextLayout {
    /// The logical rectangle covered by `text` anchored at `point` (see `Canvas.text`).
    public static func bounds(_ text: String, at point: Point, font: Font = .body, align: HorizontalAlignment = .left,
                              vertical: VerticalAlignment = .top, direction: TextDirection = .horizontal) -> Rect {
        let w = font.width(of: text), h = font.height(of: text)
        let left: Double
        switch align {
        case .left: left = 0
        case .center: left = -w / 2
        case .right: left = -w
        }
        let top: Double
        switch vertical {
        case .top: top = 0
        case .middle: top = -h / 2
        case .baseline: top = -Double(font.size) * 0.78
        case .bottom: top = -h
        }
        switch direction {
        case .horizontal: return Rect(x: point.x + left, y: point.y + top, width: w, height: h)
        case .up: return Rect(x: point.x + top, y: point.y - left - w, width: h, height: w)
        }
    }
}
