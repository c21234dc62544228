import Foundation
import Imaging
@testable import Plotting
import XCTest

/// Renders realistic lesson figures, checks them, and writes them as PNG files to the
/// folder named by the environment variable `PLOTTING_EXAMPLES` (when set) so that a
/// person can look at them: `PLOTTING_EXAMPLES=/tmp/plotting-examples swift test --filter Example`.
final class ExampleFiguresTests: XCTestCase {
    /// Checks what every slide figure needs (a scale-1 width of 1000-1800 px, a white
    /// background, ink) and writes the PNG when `PLOTTING_EXAMPLES` is set.
    func save(_ canvas: Canvas, _ name: String, slide: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        if slide {
            XCTAssertTrue((1000 ... 1800).contains(canvas.width), "\(name): \(canvas.width) px wide", file: file, line: line)
            XCTAssertEqual(canvas.pixel(x: 0, y: 0), .white, "\(name): white background", file: file, line: line)
        }
        let ink = Double(canvas.inkCount()) / Double(canvas.pixelWidth * canvas.pixelHeight)
        XCTAssertGreaterThan(ink, 0.01, "\(name): ink on \(String(format: "%.1f", 100 * ink))% of the pixels", file: file, line: line)
        print("OK \(name): \(canvas.pixelWidth)x\(canvas.pixelHeight), ink on \(String(format: "%.1f", 100 * ink))% of the pixels")
        guard let folder = ProcessInfo.processInfo.environment["PLOTTING_EXAMPLES"] else { return }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
        try canvas.write(to: url)
        print("wrote \(url.path)")
    }

    func testPrimitivesSheet() throws {
        var c = Canvas(width: 900, height: 520, scale: 1)
        var y = 10.0
        for font in [Font.body, .bodyBold, .label, Font(size: 20, bold: true), .title, Font(size: 24), .large] {
            let text = "\(font.size)\(font.bold ? "b" : "") The quick brown fox: 0.713 ± 0.02 × τ → ≤ ≥ ≈ ✓ ✗ 5° a·b ☃"
            c.text(text, at: Point(10, y), font: font)
            XCTAssertGreaterThan(c.inkCount(in: c.textBounds(text, at: Point(10, y), font: font)), 200)
            y += font.lineSpacing
        }
        c.text("ln(511) = 6.24 chance", at: Point(880, 300), font: .label, align: .right)
        c.text("y label up", at: Point(20, 480), font: .label, direction: .up)
        for (i, shape) in MarkerShape.cycle.enumerated() {
            c.marker(shape, at: Point(80 + Double(i) * 40, 300), size: 14, Palette.color(i))
            c.marker(shape, at: Point(80 + Double(i) * 40, 340), size: 10, Palette.color(i), edge: .white)
        }
        c.line(from: Point(60, 380), to: Point(400, 470), Palette.color(0), width: 2.5)
        c.line(from: Point(60, 470), to: Point(400, 380), Palette.color(3), width: 1.5, dash: .dashed)
        c.polyline([Point(420, 470), Point(480, 380), Point(540, 450), Point(600, 390)], Palette.color(2), width: 3)
        c.stroke(Rect(x: 640, y: 380, width: 100, height: 80), .frame)
        c.fill(Rect(x: 660, y: 400, width: 60, height: 40), Palette.color(1).opacity(0.5))
        try save(c, "primitives.png", slide: false)
    }

    /// NT-Xent loss over 10 epochs: noisy per-step values, per-epoch means, chance line.
    func lossChart() -> LineChart {
        var rng = SplitMix(seed: 7)
        var chart = LineChart(title: "NT-Xent loss per epoch (CIFAR-10, 10,000 images)", xLabel: "epoch", yLabel: "loss")
        var steps: [Point] = []
        for i in 0 ..< 390 {
            let epoch = Double(i) / 39 + 0.5
            steps.append(Point(epoch, 4.85 + 1.25 * exp(-Double(i) / 70) + 0.06 * (rng.unit() - 0.5)))
        }
        chart.add(series: "per step", points: steps, color: Palette.tab10[0].opacity(0.35), lineWidth: 1.2)
        let epochs = [5.95, 5.62, 5.41, 5.27, 5.16, 5.08, 5.01, 4.96, 4.93, 4.91]
        chart.add(series: "epoch mean (batch 256, τ 0.5)", x: (1 ... 10).map(Double.init), y: epochs,
                  color: Palette.tab10[0], marker: .circle)
        chart.add(series: "lr 0.03 (for comparison)", x: (1 ... 10).map(Double.init), y: epochs.map { $0 + 0.12 },
                  color: Palette.tab10[1], dash: .dashed, marker: .square)
        chart.addReferenceLine(y: 6.236, label: "chance: ln(511) = 6.24")
        return chart
    }

    func testLossCurve() throws {
        let chart = lossChart()
        let canvas = chart.render(width: 1200, height: 700)
        let layout = chart.layout(in: canvas.bounds)
        XCTAssertEqual(layout.frame.xTicks?.labels, (1 ... 10).map(String.init))
        XCTAssertTrue(layout.frame.plot.contains(Point(layout.legendRect!.minX, layout.legendRect!.minY)), "legend inside, in a free corner")
        try save(canvas, "line-loss.png")
        try save(lossChart().render(width: 1200, height: 700, scale: 2), "line-loss@2x.png")
    }

    func probeBars() -> BarChart {
        var chart = BarChart(title: "Linear probe on CIFAR-10 test set: card vs ours", yLabel: "top-1 accuracy (%)",
                             categories: ["Random init (5,000 labels)", "SimCLR (5,000 labels)", "Supervised (50,000 labels)"])
        chart.valueFormat = "%.1f%%"
        chart.yMax = 100
        chart.add(series: "card (ResNet-18)", values: [23.4, 78.6, 91.2])
        chart.add(series: "ours (width 16, 10 epochs)", values: [33.8, 41.9, nil])
        chart.addReferenceLine(y: 10, label: "chance 10%")
        return chart
    }

    func testProbeBars() throws {
        let chart = probeBars()
        let canvas = chart.render(width: 1200, height: 700)
        XCTAssertEqual(chart.barRects(chart.layout(in: canvas.bounds).frame).map(\.label),
                       ["23.4%", "33.8%", "78.6%", "41.9%", "91.2%", "n/a"])
        try save(canvas, "bar-probe.png")
    }

    /// Probe accuracy against labels per class on a log axis (made-up values for the chart test).
    func labelFractionChart() -> LineChart {
        var chart = LineChart(title: "Linear probe accuracy vs labels per class", xLabel: "labelled images per class (log scale)",
                              yLabel: "test accuracy (%)")
        chart.xScale = .log
        let labels: [Double] = [10, 25, 50, 100, 250, 500]
        chart.add(series: "SimCLR encoder (ours)", x: labels, y: [24.1, 29.8, 33.0, 36.2, 39.5, 41.9], marker: .circle)
        chart.add(series: "random-init encoder", x: labels, y: [17.2, 21.5, 24.8, 27.9, 31.6, 33.8], marker: .square)
        chart.add(series: "supervised on the same labels", x: labels, y: [14.0, 19.3, 24.9, 31.0, 39.8, 46.5], dash: .dashed, marker: .triangleUp)
        chart.addReferenceLine(y: 10, label: "chance 10%")
        return chart
    }

    func testLabelFraction() throws {
        let chart = labelFractionChart()
        let canvas = chart.render(width: 1200, height: 700)
        XCTAssertEqual(chart.layout(in: canvas.bounds).frame.xTicks?.labels, ["10", "20", "50", "100", "200", "500"])
        try save(canvas, "line-label-fraction.png")
    }

    func testPerClassBars() throws {
        var rng = SplitMix(seed: 9)
        var chart = BarChart(title: "Per-class test accuracy (linear probe, 5,000 labels)", xLabel: "class",
                             yLabel: "accuracy (%)", categories: Self.cifarClasses)
        for (name, base) in [("random init", 30.0), ("SimCLR (ours)", 42.0), ("supervised", 55.0)] {
            chart.add(series: name, values: Self.cifarClasses.map { _ in base + rng.normal() * 8 })
        }
        chart.valueFormat = "%.1f"
        let canvas = chart.render(width: 1600, height: 700)
        try save(canvas, "bar-per-class.png")
        // Narrower: the values no longer fit across the bars and turn upright.
        try save(chart.render(width: 1000, height: 600), "bar-per-class-narrow.png")
    }

    static let cifarClasses = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    /// 2,000 points in 10 classes; `separation` sets how far apart the class clusters sit.
    func embedding(separation: Double, seed: UInt64) -> (points: [Point], classes: [Int]) {
        var rng = SplitMix(seed: seed)
        let centers = (0 ..< 10).map { _ in Point(rng.normal() * 10, rng.normal() * 10) }
        var points: [Point] = [], classes: [Int] = []
        for i in 0 ..< 2000 {
            let k = i % 10
            points.append(Point(centers[k].x * separation + rng.normal() * 4, centers[k].y * separation + rng.normal() * 4))
            classes.append(k)
        }
        return (points, classes)
    }

    func tsneFigure() -> Figure {
        var figure = Figure(title: "t-SNE of 2,000 CIFAR-10 test images")
        for (name, separation, seed) in [("raw pixels", 0.15, 1 as UInt64), ("random encoder", 0.4, 2), ("SimCLR encoder", 1.2, 3)] {
            let e = embedding(separation: separation, seed: seed)
            var plot = ScatterPlot(title: name, points: e.points, classes: e.classes, classNames: Self.cifarClasses)
            plot.showTicks = false
            plot.legend = .none
            figure.add(plot)
        }
        figure.legend = ScatterPlot(classes: [], classNames: Self.cifarClasses).legendEntries
        return figure
    }

    func testTSNEScatter() throws {
        try save(tsneFigure().render(width: 1800, height: 720), "scatter-tsne.png")
        let e = embedding(separation: 0.8, seed: 4)
        var single = ScatterPlot(title: "SimCLR encoder, shapes per class", xLabel: "t-SNE 1", yLabel: "t-SNE 2",
                                 points: e.points, classes: e.classes, classNames: Self.cifarClasses)
        single.distinctShapes = true
        try save(single.render(width: 1200, height: 800), "scatter-single.png")
    }

    /// A 32x32 "CIFAR-sized" crop of the cat photo (or a synthetic gradient without it).
    static let photo: RGBImage? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../data/chelsea.png").standardized
        return try? ImageFile.read(url)
    }()

    static func catCrop(x: Int, y: Int, size: Int) -> RGBImage {
        guard let photo else {
            return RGBImage(width: 32, height: 32, pixels: (0 ..< 32 * 32 * 3).map { UInt8(($0 * 7 + x + y) % 256) })
        }
        var out = [UInt8](repeating: 0, count: 32 * 32 * 3)
        for oy in 0 ..< 32 {
            for ox in 0 ..< 32 {
                let sx = min(photo.width - 1, x + ox * size / 32), sy = min(photo.height - 1, y + oy * size / 32)
                let p = photo[sy, sx]
                out[(oy * 32 + ox) * 3] = p.r; out[(oy * 32 + ox) * 3 + 1] = p.g; out[(oy * 32 + ox) * 3 + 2] = p.b
            }
        }
        return RGBImage(width: 32, height: 32, pixels: out)
    }

    func augmentationGrid() -> ImageGrid {
        var rng = SplitMix(seed: 11)
        var grid = ImageGrid(title: "Two augmented views per image, as SimCLR sees them (32 px shown at 96 px)", columns: 8)
        grid.columnLabels = (1 ... 8).map { "view \($0)" }
        grid.rowLabels = (1 ... 6).map { "image \($0)" }
        for _ in 0 ..< 48 {
            let size = 60 + Int(rng.unit() * 200)
            let x = Int(rng.unit() * Double(451 - size)), y = Int(rng.unit() * Double(300 - size))
            var image = Self.catCrop(x: x, y: y, size: size)
            var caption = ["crop \(x),\(y) \(size)x\(size)"]
            if rng.unit() < 0.5 {
                caption.append("flip")
                var flipped = image.pixels
                for r in 0 ..< 32 { for c in 0 ..< 32 { for ch in 0 ..< 3 { flipped[(r * 32 + c) * 3 + ch] = image.pixels[(r * 32 + 31 - c) * 3 + ch] } } }
                image = RGBImage(width: 32, height: 32, pixels: flipped)
            } else {
                caption.append("no flip")
            }
            let b = 0.7 + rng.unit() * 0.6
            image.pixels = image.pixels.map { UInt8(min(255, Double($0) * b)) }
            caption.append(String(format: "jitter b%.2f c%.2f", b, 0.6 + rng.unit() * 0.8))
            grid.add(image, caption: caption)
        }
        return grid
    }

    func testAugmentationGrid() throws {
        let grid = augmentationGrid()
        XCTAssertEqual(grid.cells.count, 48)
        try save(grid.render(), "grid-augment.png")
    }

    func confusion() -> Heatmap {
        var rng = SplitMix(seed: 5)
        var counts: [[Double]] = []
        for r in 0 ..< 10 {
            var row = (0 ..< 10).map { _ in rng.unit() * 40 }
            row[r] = 0
            row[(r + (r % 2 == 0 ? 1 : 9)) % 10] += 80  // a typical confusion: cat/dog, automobile/truck
            let off = row.reduce(0, +)
            row[r] = 1000 - off
            counts.append(row.map { $0.rounded() })
        }
        var map = Heatmap(title: "Linear probe confusion matrix (CIFAR-10 test, 1,000 per class)", values: counts,
                          rowLabels: Self.cifarClasses, columnLabels: Self.cifarClasses)
        map.xLabel = "predicted class"
        map.yLabel = "true class"
        return map
    }

    func testConfusionHeatmap() throws {
        try save(confusion().render(width: 1200, height: 1000), "heatmap-confusion.png")
        // Small cells: the column names must turn upright.
        var figure = Figure(title: "Confusion matrices side by side")
        figure.add(confusion())
        var normalized = confusion()
        normalized.title = "row-normalised"
        normalized.values = normalized.values.map { row in row.map { $0 / 1000 } }
        normalized.valueFormat = "%.2f"
        normalized.colormap = .viridis
        figure.add(normalized)
        try save(figure.render(width: 1600, height: 800), "heatmap-pair.png")
    }

    func testThumbnailMap() throws {
        let e = embedding(separation: 1.2, seed: 3)
        var images: [RGBImage] = []
        for i in 0 ..< e.points.count {
            images.append(Self.catCrop(x: (i * 37) % 380, y: (i * 53) % 230, size: 64))
        }
        let map = ThumbnailMap(title: "t-SNE thumbnails (SimCLR encoder)", positions: e.points, images: images,
                               classes: e.classes, classNames: Self.cifarClasses)
        try save(map.render(width: 1400, height: 1000), "thumbnails-tsne.png")
    }
}

/// A tiny deterministic generator for test data (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
