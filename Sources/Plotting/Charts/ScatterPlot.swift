import Core

/// A scatter plot of labelled points: each class gets a tab10 colour (and optionally its
/// own marker shape), with the class names in a legend.
///
/// Used for t-SNE maps, where the coordinates carry no units and `showTicks` is usually
/// off.
///
/// ```swift
/// var plot = ScatterPlot(title: "SimCLR encoder", points: xy, classes: labels,
///                        classNames: ["airplane", "automobile", ...])
/// plot.showTicks = false
/// ```
public struct ScatterPlot: Panel {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Positions in data units.
    public var points: [Point]
    /// The class of each point (`classes.count == points.count`); it picks colour and shape.
    public var classes: [Int]
    /// Legend names by class index; missing names read "class k".
    public var classNames: [String]
    /// Colours by class index (cycled).
    public var colors: [Color] = Palette.tab10
    /// Give every class its own marker shape as well as its colour.
    public var distinctShapes = false
    /// Marker diameter in logical units.
    public var pointSize = 7.0
    /// Marker opacity; below 1, dense regions stay readable.
    public var opacity = 0.75
    /// Numeric ticks and gridlines; off for embeddings whose axes mean nothing.
    public var showTicks = true
    public var legend: LegendPlacement = .outsideRight

    /// - Parameters:
    ///   - title: above the plot.
    ///   - points: positions in data units.
    ///   - classes: class index per point, same count as `points`.
    ///   - classNames: legend names per class index.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                points: [Point] = [], classes: [Int] = [], classNames: [String] = []) {
        contract(points.count == classes.count, "ScatterPlot: \(points.count) points but \(classes.count) classes")
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.points = points; self.classes = classes; self.classNames = classNames
    }

    func color(of k: Int) -> Color { k < 0 ? .gray : colors[k % colors.count] }
    func shape(of k: Int) -> MarkerShape { distinctShapes ? MarkerShape.shape(k) : .circle }

    /// One entry per class present (or named), in class order.
    public var legendEntries: [LegendEntry] {
        let shown = Set(0 ..< classNames.count).union(classes.filter { $0 >= 0 }).sorted()
        return shown.map { k in
            LegendEntry(label: k < classNames.count ? classNames[k] : "class \(k)", color: color(of: k), swatch: .marker(shape(of: k)))
        }
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let layout = self.layout(in: rect)
        let f = layout.frame
        if showTicks { f.drawGrid(on: &canvas) }
        canvas.withClip(f.plot) { c in
            for (p, k) in zip(points, classes) {
                c.marker(shape(of: k), at: f.position(p.x, p.y), size: pointSize, color(of: k).opacity(opacity))
            }
        }
        f.drawAxes(on: &canvas, box: true)
        layout.drawLegend(on: &canvas)
    }

    func layout(in rect: Rect) -> ChartLayout {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = AxisScale.fitting(finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1, kind: .linear, margin: 0.04)
        let ys = AxisScale.fitting(finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1, kind: .linear, margin: 0.04)
        return ChartLayout(entries: legendEntries, placement: legend, makeFrame: { extra in
            CartesianFrame(in: rect, title: title, xLabel: xLabel, yLabel: yLabel, x: xs, y: ys,
                           showXTicks: showTicks, showYTicks: showTicks, extraRight: extra)
        }, obstacles: { f in
            points.map { f.position($0.x, $0.y) }.map { Rect(x: $0.x - 3, y: $0.y - 3, width: 6, height: 6) }
        })
    }
}
