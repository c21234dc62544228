import Core

/// A line chart: several named series over a numeric x axis.
///
/// It has nice ticks and gridlines, an optional log-scale y axis, a legend that avoids the
/// data, and optional labelled horizontal reference lines (such as the loss of a chance
/// guess).
///
/// ```swift
/// var chart = LineChart(title: "NT-Xent loss per epoch", xLabel: "epoch", yLabel: "loss")
/// chart.add(series: "ours (batch 256, τ 0.5)", points: losses, color: Palette.tab10[0])
/// chart.addReferenceLine(y: 6.236, label: "chance ln(511)")
/// try chart.render(width: 1200, height: 700, scale: 1).write(to: url)
/// ```
public struct LineChart: Panel {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        /// Data points in data coordinates (x, y); non-finite values leave a gap.
        public var points: [Point]
        public var color: Color
        public var dash: DashPattern?
        /// A marker at every point (nil: none).
        public var marker: MarkerShape?
        /// Stroke width in logical units.
        public var lineWidth: Double

        public init(name: String, points: [Point], color: Color, dash: DashPattern? = nil,
                    marker: MarkerShape? = nil, lineWidth: Double = 2.5) {
            self.name = name; self.points = points; self.color = color
            self.dash = dash; self.marker = marker; self.lineWidth = lineWidth
        }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series] = []
    public var referenceLines: [ReferenceLine] = []
    /// Logarithmic axes skip points whose value on that axis is <= 0.
    public var xScale: ScaleKind = .linear
    public var yScale: ScaleKind = .linear
    public var legend: LegendPlacement = .auto
    /// Fixed axis ranges; nil fits the data (and reference lines) with a small margin.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    /// - Parameters:
    ///   - title: shown above the plot.
    ///   - xLabel: under the x axis.
    ///   - yLabel: beside the y axis, rotated.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Adds a series.
    ///
    /// Without a colour it takes the next tab10 colour.
    ///
    /// - Parameters:
    ///   - name: legend text.
    ///   - points: (x, y) in data units, in drawing order.
    ///   - color: line colour.
    ///   - dash: dash pattern, e.g. `.dashed`.
    ///   - marker: a marker at each point.
    ///   - lineWidth: in logical units.
    public mutating func add(series name: String, points: [Point], color: Color? = nil, dash: DashPattern? = nil,
                             marker: MarkerShape? = nil, lineWidth: Double = 2.5) {
        series.append(Series(name: name, points: points, color: color ?? Palette.color(series.count),
                             dash: dash, marker: marker, lineWidth: lineWidth))
    }

    /// Adds a series from parallel arrays of x and y values.
    ///
    /// - Parameters:
    ///   - x: x values; `x.count == y.count`.
    ///   - y: y values.
    public mutating func add(series name: String, x: [Double], y: [Double], color: Color? = nil, dash: DashPattern? = nil,
                             marker: MarkerShape? = nil, lineWidth: Double = 2.5) {
        contract(x.count == y.count, "LineChart.add: \(x.count) x values for \(y.count) y values")
        add(series: name, points: zip(x, y).map { Point($0, $1) }, color: color, dash: dash, marker: marker, lineWidth: lineWidth)
    }

    /// Adds a labelled horizontal reference line, e.g. the loss of guessing at chance.
    public mutating func addReferenceLine(y: Double, label: String, color: Color = Color(hex: 0x555555),
                                          dash: DashPattern? = .dashed) {
        referenceLines.append(ReferenceLine(y: y, label: label, color: color, dash: dash))
    }

    /// The legend's entries, one per named series.
    public var legendEntries: [LegendEntry] {
        series.filter { !$0.name.isEmpty }.map {
            LegendEntry(label: $0.name, color: $0.color, swatch: .line(width: $0.lineWidth, dash: $0.dash, marker: $0.marker))
        }
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let layout = self.layout(in: rect)
        let frame = layout.frame
        frame.drawGrid(on: &canvas)
        canvas.withClip(frame.plot.inset(by: -1)) { c in
            for line in referenceLines { line.drawLine(in: frame, on: &c) }
            for s in series {
                let pts = s.points.map { frame.position($0.x, $0.y) }
                c.polyline(pts, s.color, width: s.lineWidth, dash: s.dash)
                if let m = s.marker {
                    for p in pts { c.marker(m, at: p, size: max(8, s.lineWidth * 3.2), s.color, edge: .white) }
                }
            }
        }
        var taken = seriesObstacles(frame)
        for line in referenceLines {
            line.drawLabel(in: frame, on: &canvas, avoiding: taken)
            taken.append(line.labelBox(in: frame, avoiding: taken))
        }
        frame.drawAxes(on: &canvas)
        layout.drawLegend(on: &canvas)
    }

    func layout(in rect: Rect) -> ChartLayout {
        let (xs, ys) = scales()
        return ChartLayout(entries: legendEntries, placement: legend, makeFrame: { extra in
            CartesianFrame(in: rect, title: title, xLabel: xLabel, yLabel: yLabel, x: xs, y: ys, extraRight: extra)
        }, obstacles: obstacles)
    }

    /// The x and y axes: fixed ranges, or the data's extent with a margin.
    func scales() -> (AxisScale, AxisScale) {
        let pts = series.flatMap(\.points).filter {
            $0.x.isFinite && $0.y.isFinite && (xScale == .linear || $0.x > 0) && (yScale == .linear || $0.y > 0)
        }
        let xs = pts.map(\.x)
        let ys = pts.map(\.y) + referenceLines.map(\.y).filter { yScale == .linear || $0 > 0 }
        let x = xRange.map { AxisScale(lower: $0.lowerBound, upper: $0.upperBound, kind: xScale) }
            ?? AxisScale.fitting(xs.min() ?? 0, xs.max() ?? 1, kind: xScale, margin: 0.03)
        let y = yRange.map { AxisScale(lower: $0.lowerBound, upper: $0.upperBound, kind: yScale) }
            ?? AxisScale.fitting(ys.min() ?? 0, ys.max() ?? 1, kind: yScale, margin: 0.06)
        return (x, y)
    }

    /// Where data (samples along every line) and reference labels are, for legend placement.
    func obstacles(_ frame: CartesianFrame) -> [Rect] {
        var taken = seriesObstacles(frame)
        var out = taken
        for line in referenceLines {
            let py = frame.yPosition(line.y)
            out.append(Rect(x: frame.plot.minX, y: py - 2, width: frame.plot.width, height: 4))
            let box = line.labelBox(in: frame, avoiding: taken)
            taken.append(box)
            out.append(box)
        }
        return out
    }

    /// Small boxes along every series' polyline (and around a lone point), in canvas
    /// coordinates: what a legend or a reference line's label must not cover (each label also
    /// keeps off the labels placed before it).
    func seriesObstacles(_ frame: CartesianFrame) -> [Rect] {
        var out: [Rect] = []
        for s in series {
            let pts = s.points.map { frame.position($0.x, $0.y) }.filter { $0.x.isFinite && $0.y.isFinite }
            if pts.count == 1 { out.append(Rect(x: pts[0].x - 3, y: pts[0].y - 3, width: 6, height: 6)) }
            for (a, b) in zip(pts, pts.dropFirst()) {
                let n = min(2000, max(1, Int(min(abs(b.x - a.x) + abs(b.y - a.y), 1e6) / 4)))
                for k in 0 ... n {
                    let t = Double(k) / Double(n)
                    out.append(Rect(x: a.x + (b.x - a.x) * t - 2, y: a.y + (b.y - a.y) * t - 2, width: 4, height: 4))
                }
            }
        }
        return out
    }
}
