/// The axes of a chart with numeric y (and numeric or categorical x): computes where the
/// plot area goes inside a panel so that the title, tick labels and axis labels fit, and
/// draws gridlines, spines, ticks and labels.
struct CartesianFrame {
    var title: String?
    var xLabel: String?
    var yLabel: String?
    var x: AxisScale
    var y: AxisScale
    /// The panel minus the padding.
    var inner: Rect
    /// Where data go.
    var plot: Rect
    /// Tick values and labels; `nil` hides that axis's ticks (e.g. t-SNE coordinates).
    var xTicks: (major: [Double], minor: [Double], labels: [String])?
    var yTicks: (major: [Double], minor: [Double], labels: [String])?

    /// Lays out a frame in `rect`.
    /// - Parameters:
    ///   - showXTicks / showYTicks: numeric tick labels on that axis.
    ///   - extraBottom: room under the plot for labels drawn by the chart (bar categories).
    ///   - extraRight: room right of the plot (a legend placed outside).
    init(in rect: Rect, title: String?, xLabel: String?, yLabel: String?, x: AxisScale, y: AxisScale,
         showXTicks: Bool = true, showYTicks: Bool = true, extraBottom: Double = 0, extraRight: Double = 0) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.x = x; self.y = y
        inner = rect.inset(by: Style.padding)
        let tf = Style.tickFont
        let top = title.map { Style.titleFont.height(of: $0) + Style.titleGap } ?? 4
        var bottom = extraBottom
        if showXTicks { bottom += Style.tickLength + Style.gap + tf.height(of: "0") }
        if let xLabel { bottom += Style.gap + 2 + Style.labelFont.height(of: xLabel) }
        let plotHeight = max(inner.height - top - bottom, 10)

        if showYTicks {
            yTicks = y.ticks(length: plotHeight, spacing: 3.2 * Double(tf.size))
        }
        var left = yLabel.map { Style.labelFont.height(of: $0) + Style.gap + 4 } ?? 0
        if let yTicks {
            left += (yTicks.labels.map { tf.width(of: $0) }.max() ?? 0) + Style.gap + Style.tickLength
        }
        var right = max(extraRight, 4)
        var plotWidth = max(inner.width - left - right, 10)
        if showXTicks {
            // Labels need their own width plus three characters of air between neighbours.
            var guess = 6.0
            for _ in 0 ..< 3 {
                let t = x.ticks(length: plotWidth, spacing: (guess + 3) * tf.advance)
                xTicks = t
                let widest = Double(t.labels.map(\.count).max() ?? 0)
                if widest <= guess { break }
                guess = widest
            }
            // The last label is centred on the right edge: keep its right half inside.
            if let last = xTicks?.labels.last, extraRight < tf.width(of: last) / 2 {
                right = max(right, tf.width(of: last) / 2)
                plotWidth = max(inner.width - left - right, 10)
            }
        }
        plot = Rect(x: inner.minX + left, y: inner.minY + top, width: plotWidth, height: plotHeight)
    }

    /// The logical position of data point (`dx`, `dy`); NaN where a log axis cannot show it.
    func position(_ dx: Double, _ dy: Double) -> Point {
        Point(plot.minX + x.fraction(dx) * plot.width, plot.maxY - y.fraction(dy) * plot.height)
    }

    func xPosition(_ v: Double) -> Double { plot.minX + x.fraction(v) * plot.width }
    func yPosition(_ v: Double) -> Double { plot.maxY - y.fraction(v) * plot.height }

    /// Gridlines under the data.
    func drawGrid(on canvas: inout Canvas) {
        if let yTicks {
            for v in yTicks.minor { canvas.horizontalLine(y: yPosition(v), from: plot.minX, to: plot.maxX, Style.minorGrid) }
            for v in yTicks.major { canvas.horizontalLine(y: yPosition(v), from: plot.minX, to: plot.maxX, .grid) }
        }
        if let xTicks {
            for v in xTicks.minor { canvas.verticalLine(x: xPosition(v), from: plot.minY, to: plot.maxY, Style.minorGrid) }
            for v in xTicks.major { canvas.verticalLine(x: xPosition(v), from: plot.minY, to: plot.maxY, .grid) }
        }
    }

    /// Spines, ticks, tick labels, axis labels and the title, over the data.
    /// - Parameter box: draw all four spines (scatter plots) instead of left and bottom.
    func drawAxes(on canvas: inout Canvas, box: Bool = false) {
        let tf = Style.tickFont
        canvas.verticalLine(x: plot.minX, from: plot.minY, to: plot.maxY + 0.5, Style.spine)
        canvas.horizontalLine(y: plot.maxY, from: plot.minX - 0.5, to: plot.maxX, Style.spine)
        if box {
            canvas.verticalLine(x: plot.maxX, from: plot.minY, to: plot.maxY, Style.spine)
            canvas.horizontalLine(y: plot.minY, from: plot.minX, to: plot.maxX, Style.spine)
        }
        if let yTicks {
            for (v, label) in zip(yTicks.major, yTicks.labels) {
                let py = yPosition(v)
                canvas.horizontalLine(y: py, from: plot.minX - Style.tickLength, to: plot.minX, Style.spine)
                canvas.text(label, at: Point(plot.minX - Style.tickLength - Style.gap, py), font: tf,
                            align: .right, vertical: .middle)
            }
        }
        if let xTicks {
            for (v, label) in zip(xTicks.major, xTicks.labels) {
                let px = xPosition(v)
                canvas.verticalLine(x: px, from: plot.maxY, to: plot.maxY + Style.tickLength, Style.spine)
                canvas.text(label, at: Point(px, plot.maxY + Style.tickLength + Style.gap), font: tf, align: .center)
            }
        }
        if let xLabel {
            canvas.text(xLabel, at: Point(plot.midX, inner.maxY), font: Style.labelFont, align: .center, vertical: .bottom)
        }
        if let yLabel {
            canvas.text(Style.labelFont.truncate(yLabel, toWidth: inner.height), at: Point(inner.minX, plot.midY),
                        font: Style.labelFont, align: .center, vertical: .top, direction: .up)
        }
        if let title { CartesianFrame.drawTitle(title, over: plot, within: inner, on: &canvas) }
    }

    /// A title centred over `plot`, shifted (and at worst truncated) to stay inside `inner`.
    static func drawTitle(_ title: String, over plot: Rect, within inner: Rect, on canvas: inout Canvas) {
        let font = Style.titleFont
        let lines = Font.lines(title).map { font.truncate(String($0), toWidth: inner.width) }
        for (i, line) in lines.enumerated() {
            let w = font.width(of: line)
            let cx = min(max(plot.midX, inner.minX + w / 2), inner.maxX - w / 2)
            canvas.text(line, at: Point(cx, inner.minY + Double(i) * font.lineSpacing), font: font, align: .center)
        }
    }
}
