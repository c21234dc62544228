import Foundation
import Imaging
import Plotting
import XCTest

/// Renders realistic lesson figures, checks them, and writes them as PNG files to the
/// folder named by the environment variable `PLOTTING_EXAMPLES` (when set) so that a
/// person can look at them: `PLOTTING_EXAMPLES=/tmp/plotting-examples swift test --filter Example`.
final class ExampleFiguresTests: XCTestCase {
    func save(_ canvas: Canvas, _ name: String) throws {
        guard let folder = ProcessInfo.processInfo.environment["PLOTTING_EXAMPLES"] else { return }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
        try canvas.write(to: url)
        print("wrote \(url.path) (\(canvas.pixelWidth)x\(canvas.pixelHeight))")
    }

    func testPrimitivesSheet() throws {
        var c = Canvas(width: 900, height: 520, scale: 1)
        var y = 10.0
        for font in [Font.body, .bodyBold, .label, Font(size: 20, bold: true), .title, Font(size: 24), .large] {
            c.text("\(font.size)\(font.bold ? "b" : "") The quick brown fox: 0.713 ± 0.02 × τ → ≤ ≥ ≈ ✓ ✗ 5° a·b ☃", at: Point(10, y), font: font)
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
        try save(c, "primitives.png")
        try save(Canvas(width: 10, height: 10, scale: 2), "tiny.png")
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
        let canvas = lossChart().render(width: 1200, height: 700)
        try save(canvas, "line-loss.png")
        try save(lossChart().render(width: 1200, height: 700, scale: 2), "line-loss@2x.png")
    }

    func probeBars() -> BarChart {
        var chart = BarChart(title: "Linear probe on CIFAR-10 test set: card vs ours", yLabel: "top-1 accuracy (%)",
                             categories: ["Random init (5,000 labels)", "SimCLR (5,000 labels)", "Supervised (50,000 labels)"])
        chart.valueFormat = "%.1f%%"
        chart.yMax = 100
        chart.add(series: "card (ResNet-18, 200 epochs)", values: [23.4, 78.6, 91.2])
        chart.add(series: "ours (width 16, 10 epochs)", values: [33.8, 41.9, nil])
        chart.addReferenceLine(y: 10, label: "chance 10%")
        return chart
    }

    func testProbeBars() throws {
        try save(probeBars().render(width: 1200, height: 700), "bar-probe.png")
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
