/// A horizontal line across a plot at data value `y`, labelled at its right end, for
/// values to compare against such as the loss of guessing at chance.
public struct ReferenceLine: Sendable {
    public var y: Double
    public var label: String
    public var color: Color
    public var dash: DashPattern?

    /// - Parameters:
    ///   - y: the value in data units.
    ///   - label: drawn above the line at the right (below it when the line is near the top).
    ///   - color: line and label colour.
    ///   - dash: dash pattern; nil for a solid line.
    public init(y: Double, label: String, color: Color = Color(hex: 0x555555), dash: DashPattern? = .dashed) {
        self.y = y; self.label = label; self.color = color; self.dash = dash
    }

    func drawLine(in frame: CartesianFrame, on canvas: inout Canvas) {
        let py = frame.yPosition(y)
        canvas.line(from: Point(frame.plot.minX, py), to: Point(frame.plot.maxX, py), color, width: 1.5, dash: dash)
    }

    /// The label's box: above the line at the right end, or below it near the top.
    func labelBox(in frame: CartesianFrame) -> Rect {
        let font = Style.tickFont
        let w = font.width(of: label) + 8, h = Double(font.size) + 4
        let py = frame.yPosition(y)
        let above = py - h - 2 >= frame.plot.minY
        return Rect(x: frame.plot.maxX - w - 6, y: above ? py - h - 2 : py + 3, width: w, height: h)
    }

    func drawLabel(in frame: CartesianFrame, on canvas: inout Canvas) {
        let py = frame.yPosition(y)
        guard py.isFinite, py >= frame.plot.minY - 1, py <= frame.plot.maxY + 1 else { return }
        let box = labelBox(in: frame)
        canvas.fill(box, Color.white.opacity(0.85))
        canvas.text(label, at: Point(box.midX, box.midY), font: Style.tickFont, color: color.mixed(with: .black, 0.2),
                    align: .center, vertical: .middle)
    }
}
