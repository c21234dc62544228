/// Something that draws itself into a rectangle of a canvas: every chart type, so that a
/// `Figure` can place several side by side, or render one alone.
public protocol Panel {
    /// Draws the panel (title, axes, data, legend) inside `rect` of `canvas`.
    /// - Parameters:
    ///   - rect: the panel's area in logical coordinates; nothing is drawn outside it.
    ///   - canvas: the canvas to draw on.
    func draw(in rect: Rect, on canvas: inout Canvas)
}

extension Panel {
    /// A white canvas of the given logical size with this panel drawn over all of it.
    ///
    /// - Parameters:
    ///   - width: logical width (about 1000-1800 for a slide).
    ///   - height: logical height.
    ///   - scale: 1, or 2 for a high-resolution copy (twice the pixels, same layout).
    public func render(width: Int, height: Int, scale: Int = 1) -> Canvas {
        var canvas = Canvas(width: width, height: height, scale: scale)
        canvas.withClip(canvas.bounds) { draw(in: $0.bounds, on: &$0) }
        return canvas
    }
}

/// Sizes, fonts and colours shared by all charts, so that panels in one figure match.
enum Style {
    /// Space between a panel's edge and anything drawn in it.
    static let padding = 16.0
    static let titleFont = Font.title
    static let labelFont = Font.label
    static let tickFont = Font.body
    /// Category names under bar groups: larger than tick numbers, they carry the meaning.
    static let categoryFont = Font.label
    static let legendFont = Font.body
    static let tickLength = 6.0
    /// Gap between a tick and its label, and between stacked layout elements.
    static let gap = 6.0
    /// Space under a title.
    static let titleGap = 14.0
    static let spine = Color(hex: 0x444444)
    static let minorGrid = Color(hex: 0xF1F1F1)
    static let lineWidth = 2.5
}
