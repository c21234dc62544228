/// A matrix shown as coloured cells with the number printed in each, row and column labels,
/// and a colour bar.
///
/// Each number is printed in black or white, whichever reads better on the cell. Used for a
/// confusion matrix, with true classes as rows and predicted classes as columns.
///
/// ```swift
/// var map = Heatmap(title: "Confusion matrix", values: counts, rowLabels: names, columnLabels: names)
/// map.xLabel = "predicted"; map.yLabel = "true"
/// ```
public struct Heatmap: Panel {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Rows of values; short rows and NaN show as empty grey cells.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var colormap: Colormap = .blues
    /// How each cell's number is printed; nil prints none.
    public var valueFormat: ValueFormat? = "%.0f"
    /// The values mapped to the two ends of the colour scale; nil uses the data's range.
    public var range: ClosedRange<Double>?
    public var showColorBar = true

    /// - Parameters:
    ///   - title: above the matrix.
    ///   - values: `rows x columns` values.
    ///   - rowLabels: one per row (left).
    ///   - columnLabels: one per column (bottom; turned upright when they do not fit).
    public init(title: String? = nil, values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = []) {
        self.title = title; self.values = values
        self.rowLabels = rowLabels; self.columnLabels = columnLabels
    }

    var rowCount: Int { max(values.count, rowLabels.count, 1) }
    var columnCount: Int { max(values.map(\.count).max() ?? 0, columnLabels.count, 1) }

    func value(_ r: Int, _ c: Int) -> Double {
        r < values.count && c < values[r].count ? values[r][c] : .nan
    }

    var valueRange: (Double, Double) {
        if let range { return (range.lowerBound, range.upperBound) }
        let finite = values.joined().filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        return hi > lo ? (min(lo, 0), hi) : NiceTicks.widened(lo)
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let inner = rect.inset(by: Style.padding)
        let labelFont = Style.tickFont, axisFont = Style.labelFont
        let (lo, hi) = valueRange
        let barTicks = NiceTicks.ticks(from: lo, to: hi, maxCount: 6)
        let barLabels = NiceTicks.labels(barTicks)
        let barWidth = showColorBar ? 24 + 12 + Style.tickLength + Style.gap + (barLabels.map { labelFont.width(of: $0) }.max() ?? 0) + 20 : 0
        let top = title.map { Style.titleFont.height(of: $0) + Style.titleGap } ?? 0
        let rowLabelWidth = rowLabels.map { labelFont.width(of: $0) }.max() ?? 0
        let left = (yLabel.map { axisFont.height(of: $0) + 2 * Style.gap } ?? 0) + rowLabelWidth + Style.gap
        let columnLabelWidth = columnLabels.map { labelFont.width(of: $0) }.max() ?? 0
        let xLabelHeight = xLabel.map { axisFont.height(of: $0) + Style.gap } ?? 0
        func cellSize(labelHeight: Double) -> Double {
            let w = (inner.width - left - barWidth) / Double(columnCount)
            let h = (inner.height - top - Style.gap - labelHeight - xLabelHeight) / Double(rowCount)
            return max(min(w, h), 2)
        }
        var cell = cellSize(labelHeight: Double(labelFont.size))
        let upright = columnLabelWidth > cell - 10  // neighbouring labels need air between them
        if upright { cell = cellSize(labelHeight: columnLabelWidth) }
        let gridW = cell * Double(columnCount), gridH = cell * Double(rowCount)
        let x0 = inner.minX + left + max(0, (inner.width - left - barWidth - gridW) / 2)
        let y0 = inner.minY + top
        let grid = Rect(x: x0, y: y0, width: gridW, height: gridH)

        if let title { CartesianFrame.drawTitle(title, over: grid, within: inner, on: &canvas) }
        let cellFont = cell >= 84 ? Font(size: 20) : Font.body
        for r in 0 ..< rowCount {
            for c in 0 ..< columnCount {
                let box = Rect(x: x0 + Double(c) * cell, y: y0 + Double(r) * cell, width: cell, height: cell)
                let v = value(r, c)
                guard v.isFinite else { canvas.fill(box, Color(hex: 0xEEEEEE)); continue }
                let color = colormap.color(at: (v - lo) / (hi - lo))
                canvas.fill(box, color)
                if let valueFormat {
                    let text = valueFormat.string(v)
                    if cellFont.width(of: text) <= cell - 2 {
                        canvas.text(text, at: box.center, font: cellFont, color: color.contrastingText, align: .center, vertical: .middle)
                    }
                }
            }
        }
        canvas.stroke(grid.inset(by: -1), Style.spine)
        for (r, label) in rowLabels.prefix(rowCount).enumerated() {
            canvas.text(label, at: Point(x0 - Style.gap, y0 + (Double(r) + 0.5) * cell), font: labelFont, align: .right, vertical: .middle)
        }
        for (c, label) in columnLabels.prefix(columnCount).enumerated() {
            let cx = x0 + (Double(c) + 0.5) * cell
            if upright {
                canvas.text(label, at: Point(cx, grid.maxY + Style.gap), font: labelFont, align: .right, vertical: .middle, direction: .up)
            } else {
                canvas.text(label, at: Point(cx, grid.maxY + Style.gap), font: labelFont, align: .center)
            }
        }
        if let xLabel {
            let below = grid.maxY + Style.gap + (upright ? columnLabelWidth : Double(labelFont.size)) + Style.gap
            canvas.text(xLabel, at: Point(grid.midX, below), font: axisFont, align: .center)
        }
        if let yLabel {
            canvas.text(yLabel, at: Point(inner.minX, grid.midY), font: axisFont, align: .center, direction: .up)
        }
        if showColorBar { drawColorBar(Rect(x: grid.maxX + 24, y: y0, width: 24, height: gridH), lo, hi, barTicks, barLabels, on: &canvas) }
    }

    func drawColorBar(_ bar: Rect, _ lo: Double, _ hi: Double, _ ticks: [Double], _ labels: [String], on canvas: inout Canvas) {
        let steps = max(1, Int(bar.height))
        for i in 0 ..< steps {
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            canvas.fill(Rect(x: bar.minX, y: bar.minY + Double(i), width: bar.width, height: 1), colormap.color(at: t))
        }
        canvas.stroke(bar, Style.spine)
        for (v, label) in zip(ticks, labels) {
            let y = bar.maxY - (v - lo) / (hi - lo) * bar.height
            canvas.horizontalLine(y: y, from: bar.maxX, to: bar.maxX + Style.tickLength, Style.spine)
            canvas.text(label, at: Point(bar.maxX + Style.tickLength + Style.gap, y), font: Style.tickFont, align: .left, vertical: .middle)
        }
    }
}
