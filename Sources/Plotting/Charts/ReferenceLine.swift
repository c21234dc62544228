/// A horizontal line across a plot at data value `y`, labelled at its right end, for
/// values to compare against such as the loss of guessing at chance.
public struct ReferenceLine: Sendable {
    public var y: Double
    public var label: String
    public var color: Color
    public var dash: DashPattern?

    /// - Parameters:
    ///   - y: the value in data units.
    ///   - label: drawn above the line at the right (below it when the line is near the top),
    ///     or at the first other place, below it or at the left end, that keeps it off the data.
    ///   - color: line and label colour.
    ///   - dash: dash pattern; nil for a solid line.
    public init(y: Double, label: String, color: Color = Color(hex: 0x555555), dash: DashPattern? = .dashed) {
        self.y = y; self.label = label; self.color = color; self.dash = dash
    }

    func drawLine(in frame: CartesianFrame, on canvas: inout Canvas) {
        let py = frame.yPosition(y)
        canvas.line(from: Point(frame.plot.minX, py), to: Point(frame.plot.maxX, py), color, width: 1.5, dash: dash)
    }

    /// The label's box: above the line at the right end (below it near the top), or, when that
    /// box would cover any of `avoiding` (the plotted data), the first of below it at the right,
    /// above and below it at the left that covers none; the first if every one does.
    func labelBox(in frame: CartesianFrame, avoiding data: [Rect] = []) -> Rect {
        let font = Style.tickFont
        let w = font.width(of: label) + 8, h = Double(font.size) + 4
        let py = frame.yPosition(y)
        let aboveY = py - h - 2, belowY = py + 3
        let fitsAbove = aboveY >= frame.plot.minY, fitsBelow = belowY + h <= frame.plot.maxY
        let right = frame.plot.maxX - w - 6, left = frame.plot.minX + 6
        var candidates: [Rect] = []
        for x in [right, left] {
            if fitsAbove { candidates.append(Rect(x: x, y: aboveY, width: w, height: h)) }
            if fitsBelow || !fitsAbove { candidates.append(Rect(x: x, y: belowY, width: w, height: h)) }
        }
        return candidates.first { box in !data.contains { $0.intersects(box) } } ?? candidates[0]
    }

    func drawLabel(in frame: CartesianFrame, on canvas: inout Canvas, avoiding data: [Rect] = []) {
        let py = frame.yPosition(y)
        guard py.isFinite, py >= frame.plot.minY - 1, py <= frame.plot.maxY + 1 else { return }
        let box = labelBox(in: frame, avoiding: data)
        canvas.fill(box, Color.white.opacity(0.85))
        canvas.text(label, at: Point(box.midX, box.midY), font: Style.tickFont, color: color.mixed(with: .black, 0.2),
                    align: .center, vertical: .middle)
    }
}
