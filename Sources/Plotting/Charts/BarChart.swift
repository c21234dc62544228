/// A grouped bar chart: categories along x, one bar per series in each group, the value
/// printed above each bar, a y axis starting at zero, and a legend.
///
/// Missing values leave no bar and print "n/a".
///
/// ```swift
/// var chart = BarChart(title: "Linear probe accuracy", yLabel: "top-1 accuracy (%)",
///                      categories: ["Random init", "SimCLR", "Supervised"])
/// chart.valueFormat = "%.1f%%"
/// chart.add(series: "card", values: [23.4, 78.6, 91.2])
/// chart.add(series: "ours", values: [31.0, 42.7, nil])
/// ```
public struct BarChart: Panel {
    /// One set of bars, one value per category (nil: missing).
    public struct Series: Sendable {
        public var name: String
        public var values: [Double?]
        public var color: Color

        public init(name: String, values: [Double?], color: Color) {
            self.name = name; self.values = values; self.color = color
        }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Group names under the x axis; long names wrap onto several lines.
    public var categories: [String]
    public var series: [Series] = []
    /// How the value above each bar is printed, e.g. "%.1f%%" for "78.6%".
    public var valueFormat: ValueFormat = "%.1f"
    /// Print values above bars.
    public var showValues = true
    /// The top of the y axis; nil fits the tallest bar and its label.
    public var yMax: Double?
    public var referenceLines: [ReferenceLine] = []
    public var legend: LegendPlacement = .auto

    /// - Parameters:
    ///   - title: above the plot.
    ///   - xLabel: under the category names.
    ///   - yLabel: beside the y axis.
    ///   - categories: one group of bars per entry.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, categories: [String]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.categories = categories
    }

    /// Adds a series; without a colour it takes the next tab10 colour.
    ///
    /// - Parameters:
    ///   - name: legend text.
    ///   - values: one value per category (nil for missing); shorter arrays count as missing at the end.
    public mutating func add(series name: String, values: [Double?], color: Color? = nil) {
        series.append(Series(name: name, values: values, color: color ?? Palette.color(series.count)))
    }

    /// Adds a horizontal reference line (e.g. chance accuracy 10 %).
    public mutating func addReferenceLine(y: Double, label: String, color: Color = Color(hex: 0x555555),
                                          dash: DashPattern? = .dashed) {
        referenceLines.append(ReferenceLine(y: y, label: label, color: color, dash: dash))
    }

    public var legendEntries: [LegendEntry] {
        series.filter { !$0.name.isEmpty }.map { LegendEntry(label: $0.name, color: $0.color, swatch: .box) }
    }

    func value(_ s: Int, _ c: Int) -> Double? {
        let v = series[s].values.count > c ? series[s].values[c] : nil
        return v.flatMap { $0.isFinite ? $0 : nil }
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let layout = self.layout(in: rect)
        let frame = layout.frame
        frame.drawGrid(on: &canvas)
        let font = Style.tickFont
        let bars = barRects(frame)
        let rotateValues = uprightValues(bars)
        canvas.withClip(frame.plot.inset(top: -40, left: 0, bottom: 0, right: 0)) { c in
            for bar in bars {
                if let v = bar.value {
                    c.fill(bar.rect, series[bar.series].color)
                    guard showValues else { continue }
                    let top = v >= 0 ? bar.rect.minY : bar.rect.maxY
                    if rotateValues {
                        c.text(bar.label, at: Point(bar.rect.midX, top - 4), font: font, align: .left, vertical: .middle, direction: .up)
                    } else {
                        c.text(bar.label, at: Point(bar.rect.midX, v >= 0 ? top - 4 : top + 4), font: font,
                               align: .center, vertical: v >= 0 ? .bottom : .top)
                    }
                } else {
                    c.text("n/a", at: Point(bar.rect.midX, frame.yPosition(0) - 4), font: font, color: .gray,
                           align: rotateValues ? .left : .center, vertical: rotateValues ? .middle : .bottom,
                           direction: rotateValues ? .up : .horizontal)
                }
            }
            for line in referenceLines { line.drawLine(in: frame, on: &c) }
        }
        for line in referenceLines { line.drawLabel(in: frame, on: &canvas) }
        if frame.y.lower < 0 { canvas.horizontalLine(y: frame.yPosition(0), from: frame.plot.minX, to: frame.plot.maxX, Style.spine) }
        let groupWidth = frame.plot.width / Double(max(categories.count, 1))
        let style = categoryStyle(groupWidth: groupWidth)
        for (c, lines) in style.lines.enumerated() {
            let at = Point(frame.plot.minX + (Double(c) + 0.5) * groupWidth, frame.plot.maxY + Style.gap + 2)
            if style.upright {
                canvas.text(lines.joined(separator: " "), at: at, font: style.font, align: .right, vertical: .middle, direction: .up)
            } else {
                canvas.text(lines.joined(separator: "\n"), at: at, font: style.font, align: .center)
            }
        }
        frame.drawAxes(on: &canvas)
        layout.drawLegend(on: &canvas)
    }

    /// A single series needs no legend unless one is asked for by position.
    func layout(in rect: Rect) -> ChartLayout {
        ChartLayout(entries: legendEntries, placement: legend, minimumEntries: 2,
                    makeFrame: { frame(in: rect, extraRight: $0) }, obstacles: obstacles)
    }

    /// The frame with room under the plot for the (wrapped) category names.
    func frame(in rect: Rect, extraRight: Double) -> CartesianFrame {
        let values = series.indices.flatMap { s in categories.indices.compactMap { value(s, $0) } } + referenceLines.map(\.y)
        let hi = max(values.max() ?? 1, 0), lo = min(values.min() ?? 0, 0)
        let span = hi - lo > 0 ? hi - lo : 1
        // Headroom for the value labels above the tallest bar.
        let y = AxisScale(lower: lo < 0 ? lo - 0.12 * span : 0, upper: yMax ?? (hi + 0.12 * span), kind: .linear)
        // Two passes: the plot's width (which the bottom margin does not change) decides how
        // the category names are set, which decides the bottom margin.
        func frame(labelHeight: Double) -> CartesianFrame {
            CartesianFrame(in: rect, title: title, xLabel: xLabel, yLabel: yLabel,
                           x: AxisScale(lower: 0, upper: 1, kind: .linear), y: y,
                           showXTicks: false, extraBottom: Style.gap + 6 + labelHeight, extraRight: extraRight)
        }
        let first = frame(labelHeight: Double(Style.categoryFont.size))
        let style = categoryStyle(groupWidth: first.plot.width / Double(max(categories.count, 1)))
        return style.height == Double(Style.categoryFont.size) ? first : frame(labelHeight: style.height)
    }

    /// How category names are set under groups `groupWidth` wide: at 20 px, wrapped at
    /// spaces onto up to three lines, if every word fits; else the same at 16 px; else
    /// upright at 16 px (truncated beyond 200 px), so that no name is cut short while
    /// there is any way to show it whole.
    func categoryStyle(groupWidth: Double) -> (font: Font, upright: Bool, lines: [[String]], height: Double) {
        for font in [Style.categoryFont, Style.tickFont] {
            let wrapped = categories.map { font.wrap($0, toWidth: groupWidth - 8) }
            let fits = wrapped.allSatisfy { $0.count <= 3 && $0.allSatisfy { font.width(of: $0) <= groupWidth - 4 } }
            if fits {
                let lines = wrapped.map(\.count).max() ?? 1
                return (font, false, wrapped, font.height(of: String(repeating: "\n", count: lines - 1)))
            }
        }
        let font = Style.tickFont
        let names = categories.map { [font.truncate($0, toWidth: 200)] }
        return (font, true, names, names.map { font.width(of: $0[0]) }.max() ?? 0)
    }

    /// Whether value labels must stand upright because some are wider than their bars.
    func uprightValues(_ bars: [Bar]) -> Bool {
        bars.contains { $0.rect.width + 4 < Style.tickFont.width(of: $0.label) }
    }

    struct Bar {
        var series: Int
        var category: Int
        var value: Double?
        var rect: Rect
        var label: String
    }

    /// Bars fill 80 % of each group; a missing value keeps its slot (a zero-height rect).
    func barRects(_ frame: CartesianFrame) -> [Bar] {
        let n = Double(max(series.count, 1))
        let groupWidth = frame.plot.width / Double(max(categories.count, 1))
        let slot = groupWidth * 0.8 / n
        let gap = min(4, slot * 0.1)
        let base = frame.yPosition(0)
        var bars: [Bar] = []
        for c in categories.indices {
            for s in series.indices {
                let x = frame.plot.minX + Double(c) * groupWidth + groupWidth * 0.1 + Double(s) * slot + gap / 2
                let v = value(s, c)
                let top = v.map { frame.yPosition($0) } ?? base
                bars.append(Bar(series: s, category: c, value: v,
                                rect: Rect(x: x, y: min(top, base), width: slot - gap, height: abs(base - top)),
                                label: v.map(valueFormat.string) ?? "n/a"))
            }
        }
        return bars
    }

    /// Bars and their value labels, for legend placement.
    func obstacles(_ frame: CartesianFrame) -> [Rect] {
        let bars = barRects(frame)
        let upright = uprightValues(bars)
        let font = Style.tickFont
        return bars.map { bar in
            let labelHeight = (upright ? font.width(of: bar.label) : Double(font.size)) + 6
            let w = upright ? max(bar.rect.width, Double(font.size)) : max(bar.rect.width, font.width(of: bar.label))
            return Rect(x: bar.rect.midX - w / 2, y: bar.rect.minY - labelHeight, width: w, height: bar.rect.height + labelHeight)
        } + referenceLines.map { $0.labelBox(in: frame) }
    }
}
