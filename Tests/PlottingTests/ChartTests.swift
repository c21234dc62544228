import Imaging
@testable import Plotting
import XCTest

final class ChartTests: XCTestCase {
    let rect = Rect(x: 0, y: 0, width: 900, height: 560)

    /// Ink of `color` (exact) inside `r`, in device pixels.
    func count(_ color: Color, in r: Rect, _ canvas: Canvas) -> Int {
        let b = canvas.pixelBox(r)
        var n = 0
        for y in max(b.y0, 0) ..< min(b.y1, canvas.pixelHeight) {
            for x in max(b.x0, 0) ..< min(b.x1, canvas.pixelWidth) where canvas.pixel(x: x, y: y) == color { n += 1 }
        }
        return n
    }

    /// A reference line's label keeps off the data: with a series running just above the line at
    /// its right end (Lesson 4's contrastive accuracy over the kNN chance line), the label moves
    /// below the line or to the left; with the data far away it stays above the line at the right.
    func testReferenceLineLabelKeepsOffTheData() {
        var chart = LineChart(title: "monitor", xLabel: "epoch", yLabel: "accuracy (%)")
        chart.add(series: "kNN", x: Array(1 ... 10).map(Double.init), y: [24, 27, 30, 30, 31, 33, 34, 34, 35, 36],
                  color: Palette.tab10[0])
        chart.add(series: "contrastive", x: Array(1 ... 10).map(Double.init), y: [4, 6, 7, 9, 11, 12, 13, 13.5, 14.4, 14.3],
                  color: Palette.tab10[1])
        chart.yRange = 0 ... 100
        chart.addReferenceLine(y: 10, label: "kNN chance: 1 in 10 classes")
        let frame = chart.layout(in: rect).frame
        let data = chart.seriesObstacles(frame)
        let line = chart.referenceLines[0]
        let box = line.labelBox(in: frame, avoiding: data)
        XCTAssertFalse(data.contains { $0.intersects(box) }, "the label \(box) covers the data")
        XCTAssertTrue(data.contains { $0.intersects(line.labelBox(in: frame)) }, "the default place would cover it")
        var far = chart
        far.series.removeLast()
        let farFrame = far.layout(in: rect).frame
        XCTAssertEqual(far.referenceLines[0].labelBox(in: farFrame, avoiding: far.seriesObstacles(farFrame)),
                       far.referenceLines[0].labelBox(in: farFrame), "with nothing in the way it stays at the right, above")
    }

    func testLineChartDrawsDataInPlotAndLegendInItsBox() {
        var chart = LineChart(title: "NT-Xent loss", xLabel: "epoch", yLabel: "loss")
        chart.add(series: "ours", x: [1, 2, 3, 4, 5], y: [6, 5.5, 5.2, 5.0, 4.9], color: Palette.tab10[0])
        chart.add(series: "card", x: [1, 2, 3, 4, 5], y: [5.8, 5.1, 4.7, 4.5, 4.4], color: Palette.tab10[1], dash: .dashed)
        chart.addReferenceLine(y: 6.236, label: "chance ln(511)")
        let canvas = chart.render(width: 900, height: 560)
        let layout = chart.layout(in: rect)
        let legend = try! XCTUnwrap(layout.legendRect)
        let plot = layout.frame.plot
        XCTAssertTrue(plot.inset(by: -1).contains(Point(legend.minX, legend.minY)), "legend placed inside the plot")
        let dataOutsideLegend = count(Palette.tab10[0], in: plot, canvas) - count(Palette.tab10[0], in: legend, canvas)
        XCTAssertGreaterThan(dataOutsideLegend, 300, "the blue line is drawn in the plot")
        XCTAssertGreaterThan(count(Palette.tab10[0], in: legend, canvas), 20, "blue swatch in the legend")
        XCTAssertGreaterThan(count(Palette.tab10[1], in: legend, canvas), 10, "orange swatch in the legend")
        XCTAssertGreaterThan(canvas.inkCount(in: legend.inset(left: 40)), 100, "legend labels have ink")
        // Legend avoids the data: no sample of either line lies in its box.
        XCTAssertFalse(chart.obstacles(layout.frame).prefix(200).contains { $0.intersects(legend) })
        // Title, axis labels and ticks live outside the plot area.
        XCTAssertGreaterThan(canvas.inkCount(in: Rect(x: 0, y: 0, width: 900, height: plot.minY - 2)), 100, "title")
        XCTAssertGreaterThan(canvas.inkCount(in: Rect(x: 0, y: plot.maxY + 2, width: 900, height: 560 - plot.maxY - 2)), 100, "x ticks")
        XCTAssertGreaterThan(canvas.inkCount(in: Rect(x: 0, y: 0, width: plot.minX - 2, height: 560)), 100, "y ticks")
        print("OK line chart: plot \(plot), legend \(legend), \(dataOutsideLegend) blue data pixels")
    }

    func testLegendGoesOutsideWhenEveryCornerHasData() {
        var chart = LineChart(title: "busy")
        // Four lines along the edges of the data: every inside corner is taken.
        chart.add(series: "a", x: [0, 10], y: [0, 0])
        chart.add(series: "b", x: [0, 10], y: [10, 10])
        chart.add(series: "c", x: [0, 0], y: [0, 10])
        chart.add(series: "d", x: [10, 10], y: [0, 10])
        let layout = chart.layout(in: rect)
        let legend = try! XCTUnwrap(layout.legendRect)
        XCTAssertGreaterThan(legend.minX, layout.frame.plot.maxX, "legend right of the plot")
        XCTAssertLessThanOrEqual(legend.maxX, rect.maxX, "and still on the canvas")
        let canvas = chart.render(width: 900, height: 560)
        XCTAssertGreaterThan(canvas.inkCount(in: legend), 200)
    }

    func testLogScaleAndDegenerateLineCharts() {
        var log = LineChart(title: "log")
        log.yScale = .log
        log.add(series: "lr", x: [0, 1, 2, 3], y: [0.1, 0.01, 0.001, 0])  // 0 cannot be shown: skipped
        let layout = log.layout(in: rect)
        XCTAssertEqual(layout.frame.yTicks?.labels, ["0.001", "0.01", "0.1"])
        XCTAssertGreaterThan(log.render(width: 900, height: 560).inkCount(in: layout.frame.plot), 100)

        var empty = LineChart(title: "empty", xLabel: "x", yLabel: "y")
        empty.add(series: "nothing", points: [])
        var single = LineChart(title: "one point")
        single.add(series: "p", points: [Point(3, 3)], marker: .circle)
        var flat = LineChart()
        flat.add(series: "flat", x: [1, 2, 3], y: [2, 2, 2])
        var nan = LineChart()
        nan.add(series: "nan", x: [1, 2, 3], y: [.nan, .infinity, 1])
        for chart in [empty, single, flat, nan, LineChart()] {
            let c = chart.render(width: 300, height: 200)
            XCTAssertGreaterThan(c.inkCount(), 0, "axes are still drawn")
        }
        let dot = single.render(width: 900, height: 560)
        XCTAssertGreaterThan(count(Palette.tab10[0], in: single.layout(in: rect).frame.plot, dot), 10, "the single point shows")
        print("OK log axis labels \(layout.frame.yTicks!.labels); empty, single-point, flat and NaN series render")
    }

    func testBarChartBarsValuesAndMissing() {
        var chart = BarChart(title: "probe", yLabel: "accuracy (%)", categories: ["Random init", "SimCLR", "Supervised"])
        chart.valueFormat = "%.1f%%"
        chart.add(series: "card", values: [23.4, 78.6, 91.2], color: Palette.tab10[0])
        chart.add(series: "ours", values: [30.1, nil], color: Palette.tab10[1])
        let layout = chart.layout(in: rect)
        let bars = chart.barRects(layout.frame)
        XCTAssertEqual(bars.count, 6)
        XCTAssertEqual(bars.map(\.label), ["23.4%", "30.1%", "78.6%", "n/a", "91.2%", "n/a"])
        let canvas = chart.render(width: 900, height: 560)
        // A bar's interior is exactly its colour; missing bars have none.
        let card = bars[2].rect
        XCTAssertEqual(canvas.pixel(x: Int(card.midX), y: Int(card.midY)), Palette.tab10[0])
        XCTAssertEqual(layout.frame.y.lower, 0, "y axis starts at zero")
        XCTAssertGreaterThan(canvas.inkCount(in: Rect(x: card.minX, y: card.minY - 22, width: card.width, height: 20)), 20,
                             "value printed above the bar")
        XCTAssertEqual(bars[3].rect.height, 0)
        let legend = try! XCTUnwrap(layout.legendRect)
        XCTAssertGreaterThan(count(Palette.tab10[1], in: legend, canvas), 50)
        XCTAssertFalse(chart.obstacles(layout.frame).contains { $0.intersects(legend) }, "legend covers no bar or label")
        // Bars stay inside the plot, ordered by category.
        for bar in bars { XCTAssertTrue(layout.frame.plot.inset(by: -0.5).contains(Point(bar.rect.minX, bar.rect.maxY - 0.5))) }
        XCTAssertLessThan(bars[1].rect.maxX, bars[2].rect.minX)
        print("OK bar chart: \(bars.count) bars, labels \(bars.map(\.label)), legend \(legend)")
    }

    func testBarChartEdgeCases() {
        var negative = BarChart(categories: ["a", "b"])
        negative.add(series: "s", values: [-2, 3])
        XCTAssertLessThan(negative.layout(in: rect).frame.y.lower, -2)
        var many = BarChart(categories: (0 ..< 12).map { "category number \($0)" })
        for s in 0 ..< 3 { many.add(series: "s\(s)", values: (0 ..< 12).map { Double($0 * 7 + s) }) }
        for chart in [negative, many, BarChart(categories: []), BarChart(categories: ["only"])] {
            XCTAssertGreaterThan(chart.render(width: 600, height: 400).inkCount(), 0)
        }
    }

    func testScatterPlotColoursClassesAndLegend() {
        var points: [Point] = [], classes: [Int] = []
        for i in 0 ..< 200 { points.append(Point(Double(i % 10) * 10 + Double(i % 7), Double(i / 10))); classes.append(i % 10) }
        var plot = ScatterPlot(title: "t-SNE", points: points, classes: classes,
                               classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"])
        plot.opacity = 1
        plot.showTicks = false
        let canvas = plot.render(width: 900, height: 560)
        let layout = plot.layout(in: rect)
        let legend = try! XCTUnwrap(layout.legendRect)
        XCTAssertGreaterThan(legend.minX, layout.frame.plot.maxX, "outside right by default")
        XCTAssertLessThanOrEqual(legend.maxX, 900 - 8, "\"automobile\" fits on the canvas")
        for k in 0 ..< 10 {
            XCTAssertGreaterThan(count(Palette.tab10[k], in: layout.frame.plot, canvas), 20, "class \(k) points")
            XCTAssertGreaterThan(count(Palette.tab10[k], in: legend, canvas), 10, "class \(k) swatch")
        }
        XCTAssertNil(layout.frame.yTicks)
        for empty in [ScatterPlot(), ScatterPlot(points: [Point(1, 1)], classes: [42])] {
            XCTAssertGreaterThan(empty.render(width: 300, height: 200).inkCount(), 0)
        }
        print("OK scatter: 10 classes in plot and legend at \(legend)")
    }

    func testThumbnailMapPlacesImagesWithoutOverlap() {
        let red = RGBImage(width: 8, height: 8, fill: (255, 0, 0))
        let positions = [Point(0, 0), Point(0.001, 0), Point(1, 1)]  // the first two share a cell
        var map = ThumbnailMap(positions: positions, images: [red, red, red])
        map.thumbnailSize = 40
        let canvas = map.render(width: 400, height: 300)
        let redPixels = canvas.count(of: Color(r: 255, g: 0, b: 0))
        XCTAssertEqual(redPixels, 2 * 38 * 38, "two thumbnails: the second point's cell was taken")
        XCTAssertGreaterThan(ThumbnailMap(positions: [], images: []).render(width: 200, height: 200).inkCount(), 0)
    }

    func testImageGridNaturalSizeFitsCaptionsAndLabels() {
        var grid = ImageGrid(title: "views", columns: 3)
        grid.rowLabels = ["image 1", "image 2"]
        grid.columnLabels = ["a", "b", "c"]
        let image = RGBImage(width: 32, height: 32, fill: (0, 128, 255))
        for i in 0 ..< 5 { grid.add(image, caption: ["crop 4,6 20x18", i % 2 == 0 ? "flip" : "no flip"]) }
        grid.add(nil)
        let size = grid.naturalSize
        let canvas = grid.render()
        XCTAssertEqual(canvas.width, size.width)
        // Each image is shown at exactly 96 x 96 device pixels.
        XCTAssertEqual(canvas.count(of: Color(r: 0, g: 128, b: 255)), 5 * 96 * 96)
        // Captions wider than the images widen the columns: nothing is truncated.
        XCTAssertGreaterThanOrEqual(Double(size.width), 3 * Font.body.width(of: "crop 4,6 20x18") + Font.label.width(of: "image 2"))
        let twice = grid.render(scale: 2)
        XCTAssertEqual(twice.pixelWidth, 2 * canvas.pixelWidth)
        XCTAssertEqual(twice.count(of: Color(r: 0, g: 128, b: 255)), 5 * 192 * 192)
        // Squeezed into a small rect the images shrink instead of spilling out.
        let small = grid.render(width: 400, height: 300)
        XCTAssertEqual(small.inkCount(x0: 0, y0: 0, x1: 400, y1: 300), small.inkCount())
        XCTAssertGreaterThan(ImageGrid(columns: 4).render().inkCount(), -1)
        print("OK image grid natural size \(size), 5 images at 96x96")
    }

    func testHeatmapCellsValuesAndContrast() {
        let values: [[Double]] = [[90, 5, 5], [10, 80, 10], [0, 30, 70]]
        var map = Heatmap(title: "confusion", values: values, rowLabels: ["cat", "dog", "automobile"],
                          columnLabels: ["cat", "dog", "automobile"])
        map.xLabel = "predicted"; map.yLabel = "true"
        let canvas = map.render(width: 700, height: 600)
        // The darkest colour of the scale is used for the largest value.
        let darkest = Colormap.blues.color(at: 1)
        XCTAssertGreaterThan(canvas.count(of: darkest), 1000)
        XCTAssertGreaterThan(canvas.count(of: .white), 0)
        XCTAssertEqual(Colormap.blues.color(at: 1).contrastingText, .white)
        XCTAssertEqual(Colormap.blues.color(at: 0).contrastingText, .black)
        let ragged = Heatmap(values: [[1, 2], [3]], rowLabels: [], columnLabels: [])
        for m in [ragged, Heatmap(values: []), Heatmap(values: [[5]])] {
            XCTAssertGreaterThan(m.render(width: 300, height: 300).inkCount(), 0)
        }
    }

    func testFigurePlacesPanelsSideBySide() {
        var figure = Figure(title: "three panels")
        for k in 0 ..< 3 {
            var p = ScatterPlot(title: "panel \(k)", points: [Point(0, 0), Point(1, 1)], classes: [k, k])
            p.legend = .none
            p.opacity = 1
            figure.add(p)
        }
        figure.legend = [LegendEntry(label: "class", color: .black, swatch: .box)]
        let canvas = figure.render(width: 1500, height: 600)
        for k in 0 ..< 3 {
            let third = Rect(x: Double(k) * 500, y: 0, width: 500, height: 600)
            XCTAssertGreaterThan(count(Palette.tab10[k], in: third, canvas), 20, "panel \(k) in its third")
            for other in 0 ..< 3 where other != k { XCTAssertEqual(count(Palette.tab10[other], in: third, canvas), 0) }
        }
        XCTAssertGreaterThan(Figure().render(width: 200, height: 100).inkCount(), -1)
        print("OK figure: three panels each in its own third")
    }

    func testTickLabelsNeverOverlap() {
        let ranges: [(Double, Double, ScaleKind)] = [(0, 50_000, .linear), (0.0012, 0.0031, .linear), (1, 200, .linear),
                                                     (-1234.5, 987.6, .linear), (1, 1e6, .log), (0.001, 0.5, .log)]
        var checked = 0
        for width in [260.0, 500, 1200] {
            for (lo, hi, kind) in ranges {
                let frame = CartesianFrame(in: Rect(x: 0, y: 0, width: width, height: 300), title: nil, xLabel: "x", yLabel: "y",
                                           x: AxisScale(lower: lo, upper: hi, kind: kind), y: AxisScale(lower: lo, upper: hi, kind: kind))
                let font = Style.tickFont
                let x = frame.xTicks!
                let boxes = zip(x.major, x.labels).map { TextLayout.bounds($1, at: Point(frame.xPosition($0), 0), font: font, align: .center) }
                for (a, b) in zip(boxes, boxes.dropFirst()) {
                    XCTAssertLessThanOrEqual(a.maxX + font.advance, b.minX, "x labels \(x.labels) at width \(width)")
                }
                XCTAssertGreaterThanOrEqual(x.major.count, 2, "\(lo)...\(hi) at width \(width)")
                let y = frame.yTicks!
                let ys = y.major.map(frame.yPosition)
                for (a, b) in zip(ys, ys.dropFirst()) { XCTAssertGreaterThan(a - b, Double(font.size) + 4) }
                for box in boxes { XCTAssertLessThanOrEqual(box.maxX, width, "last x label inside the panel") }
                checked += 1
            }
        }
        print("OK tick labels apart on \(checked) axes (3 widths x 6 ranges, linear and log)")
    }

    func testExtremeValuesNeverTrap() {
        var c = Canvas(width: 50, height: 50)
        c.line(from: Point(10, 10), to: Point(1e20, 1e20), .black, width: 2)
        c.line(from: Point(-1e9, 25), to: Point(1e9, 25), .black)
        c.line(from: Point(-1e300, 40), to: Point(1e300, 40), .black)  // only must not trap
        c.text("nan", at: Point(.nan, .nan))
        c.fill(Rect(x: -1e300, y: 0, width: .infinity, height: 5), .black)
        c.marker(.circle, at: Point(1e30, 1e30), size: 1e30, .black)
        XCTAssertNotEqual(c.pixel(x: 30, y: 30), .white, "the clipped part of the far-reaching line is drawn")
        XCTAssertNotEqual(c.pixel(x: 5, y: 25), .white)

        var line = LineChart(title: "outlier")
        line.yRange = 0 ... 1
        line.add(series: "s", x: [0, 1, 2, 3], y: [0.5, 1e300, -.infinity, 0.2])
        var wide = LineChart()
        wide.add(series: "w", x: [-1e308, 1e308], y: [-1e308, 1e308])
        var bars = BarChart(categories: ["a"])
        bars.add(series: "huge", values: [1e300])
        let scatter = ScatterPlot(points: [Point(1e300, -1e300), Point(0, 0)], classes: [0, 1])
        let panels: [any Panel] = [line, wide, bars, scatter, Heatmap(values: [[1e300, -1e300], [.nan, 0]])]
        for panel in panels { XCTAssertGreaterThan(panel.render(width: 300, height: 200).inkCount(), 0) }
        XCTAssertEqual(NiceTicks.ticks(from: -1e308, to: 1e308), [])
        XCTAssertEqual(NiceTicks.step(from: 0, to: 1e-300, maxCount: 5), 1)
        print("OK lines to 1e20, NaN text, 1e300 data and +-1e308 ranges render without trapping")
    }
}
