/// One row of a legend: a swatch showing how the series is drawn, and its name.
public struct LegendEntry: Sendable {
    /// How the swatch looks.
    public enum Swatch: Sendable {
        /// A short line, optionally dashed and with a marker in its middle.
        case line(width: Double, dash: DashPattern?, marker: MarkerShape?)
        /// A filled box (bars, heatmap classes).
        case box
        /// A single marker (scatter classes).
        case marker(MarkerShape)
    }

    public var label: String
    public var color: Color
    public var swatch: Swatch

    public init(label: String, color: Color, swatch: Swatch) {
        self.label = label
        self.color = color
        self.swatch = swatch
    }
}

/// Where a chart puts its legend.
public enum LegendPlacement: Sendable {
    /// Inside the plot, in the first corner (upper right, upper left, lower right, lower
    /// left, ...) that covers no data; outside to the right when every corner would.
    case auto
    case upperRight, upperLeft, lowerRight, lowerLeft
    /// In a column right of the plot area.
    case outsideRight
    /// No legend.
    case none
}

/// Measuring and drawing a legend box: entries in a grid of `columns` columns.
struct Legend {
    var entries: [LegendEntry]
    var columns: Int = 1
    var font = Style.legendFont

    static let padding = 10.0
    static let swatchWidth = 30.0
    static let swatchGap = 8.0
    static let columnGap = 24.0

    var rows: Int { (entries.count + columns - 1) / max(columns, 1) }
    var rowHeight: Double { max(font.lineSpacing, 22) }
    /// Each column as wide as its own longest label (entries fill columns top to bottom).
    var columnWidths: [Double] {
        let rows = max(self.rows, 1)
        return stride(from: 0, to: entries.count, by: rows).map { start in
            let labels = entries[start ..< min(start + rows, entries.count)].map { font.width(of: $0.label) }
            return Legend.swatchWidth + Legend.swatchGap + (labels.max() ?? 0)
        }
    }

    /// The size of the whole box, frame included.
    var size: (width: Double, height: Double) {
        let widths = columnWidths
        return (2 * Legend.padding + widths.reduce(0, +) + Double(max(widths.count - 1, 0)) * Legend.columnGap,
                2 * Legend.padding + Double(rows) * rowHeight - (rowHeight - Double(font.size)))
    }

    /// The most columns (at least one) whose box fits in `width`.
    static func fitting(_ entries: [LegendEntry], width: Double, font: Font = Style.legendFont) -> Legend {
        var legend = Legend(entries: entries, columns: max(entries.count, 1), font: font)
        while legend.columns > 1 && legend.size.width > width { legend.columns -= 1 }
        // Balance the rows: 10 entries in 4 columns become 5 + 5 rather than 4 + 4 + 2 in 3 rows.
        let rows = legend.rows
        while legend.columns > 1 && (entries.count + legend.columns - 2) / (legend.columns - 1) == rows {
            legend.columns -= 1
        }
        return legend
    }

    /// Draws the box with its top-left corner at `origin`.
    /// - Parameter framed: a white, slightly translucent box with a grey edge (inside a plot);
    ///   without it only the entries are drawn.
    func draw(at origin: Point, on canvas: inout Canvas, framed: Bool = true) {
        let (w, h) = size
        if framed {
            let box = Rect(x: origin.x, y: origin.y, width: w, height: h)
            canvas.fill(box, Color.white.opacity(0.88))
            canvas.stroke(box, Color(hex: 0xCCCCCC))
        }
        let widths = columnWidths
        for (i, entry) in entries.enumerated() {
            let col = i / rows, row = i % rows
            let x = origin.x + Legend.padding + widths[..<col].reduce(0, +) + Double(col) * Legend.columnGap
            let top = origin.y + Legend.padding + Double(row) * rowHeight
            let cy = top + Double(font.size) / 2
            let sx = x + Legend.swatchWidth / 2
            switch entry.swatch {
            case let .line(width, dash, marker):
                canvas.line(from: Point(x + 1, cy), to: Point(x + Legend.swatchWidth - 1, cy), entry.color,
                            width: width, dash: dash.map { DashPattern($0.lengths.map { min($0, 6) }) })
                if let marker { canvas.marker(marker, at: Point(sx, cy), size: 9, entry.color) }
            case .box:
                canvas.fill(Rect(x: x + 4, y: cy - 7, width: Legend.swatchWidth - 8, height: 14), entry.color)
            case let .marker(shape):
                canvas.marker(shape, at: Point(sx, cy), size: 12, entry.color)
            }
            canvas.text(entry.label, at: Point(x + Legend.swatchWidth + Legend.swatchGap, top), font: font)
        }
    }

    /// The top-left corner for a legend of `size` at a corner of `plot`, inset by a margin.
    static func origin(_ placement: LegendPlacement, size: (width: Double, height: Double), in plot: Rect) -> Point {
        let m = 10.0
        let left = plot.minX + m, right = plot.maxX - m - size.width
        let top = plot.minY + m, bottom = plot.maxY - m - size.height
        switch placement {
        case .upperLeft: return Point(left, top)
        case .lowerRight: return Point(right, bottom)
        case .lowerLeft: return Point(left, bottom)
        default: return Point(right, top)
        }
    }

    /// The first inside corner whose box meets none of `obstacles` (data in logical
    /// coordinates), or nil when all of them would cover data.
    static func freeCorner(size: (width: Double, height: Double), in plot: Rect, avoiding obstacles: [Rect]) -> LegendPlacement? {
        guard size.width < plot.width - 20, size.height < plot.height - 20 else { return nil }
        for corner in [LegendPlacement.upperRight, .upperLeft, .lowerRight, .lowerLeft] {
            let o = origin(corner, size: size, in: plot)
            let box = Rect(x: o.x, y: o.y, width: size.width, height: size.height).inset(by: -4)
            if !obstacles.contains(where: { $0.intersects(box) }) { return corner }
        }
        return nil
    }
}
