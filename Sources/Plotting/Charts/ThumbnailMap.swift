import Core
import Imaging

/// Small images drawn at 2-D positions, e.g. CIFAR test images at their t-SNE coordinates,
/// so that a viewer sees which pictures the encoder put together.
///
/// The plot area is divided into cells one thumbnail wide; going through the points in
/// order, each image takes the cell its position falls in unless an earlier image took
/// it. The map stays readable however many points there are.
public struct ThumbnailMap: Panel {
    public var title: String?
    /// Positions in data units, one per image.
    public var positions: [Point]
    public var images: [RGBImage]
    /// Optional class per image: drawn as a coloured frame around the thumbnail.
    public var classes: [Int]?
    public var classNames: [String] = []
    public var colors: [Color] = Palette.tab10
    /// Thumbnail edge length in logical units.
    public var thumbnailSize = 32.0
    public var legend: LegendPlacement = .auto

    /// - Parameters:
    ///   - title: above the map.
    ///   - positions: one 2-D position per image.
    ///   - images: the pictures (any size; shrunk by averaging, enlarged by repetition).
    ///   - classes: optional class per image for coloured frames and a legend.
    public init(title: String? = nil, positions: [Point], images: [RGBImage], classes: [Int]? = nil, classNames: [String] = []) {
        contract(positions.count == images.count, "ThumbnailMap: \(positions.count) positions for \(images.count) images")
        contract(classes.map { $0.count == images.count } ?? true, "ThumbnailMap: one class per image")
        self.title = title; self.positions = positions; self.images = images
        self.classes = classes; self.classNames = classNames
    }

    public var legendEntries: [LegendEntry] {
        guard let classes else { return [] }
        let shown = Set(0 ..< classNames.count).union(classes.filter { $0 >= 0 }).sorted()
        return shown.map { k in
            LegendEntry(label: k < classNames.count ? classNames[k] : "class \(k)", color: colors[k % colors.count], swatch: .box)
        }
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let finite = positions.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = AxisScale.fitting(finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1, kind: .linear, margin: 0)
        let ys = AxisScale.fitting(finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1, kind: .linear, margin: 0)
        // `.auto` treats the whole map as data, so the legend goes to the right of it.
        let layout = ChartLayout(entries: legendEntries, placement: legend, makeFrame: { extra in
            CartesianFrame(in: rect, title: title, xLabel: nil, yLabel: nil, x: xs, y: ys,
                           showXTicks: false, showYTicks: false, extraRight: extra)
        }, obstacles: { [$0.plot] })
        let frame = layout.frame
        let area = frame.plot.inset(by: 4)
        let cols = max(1, Int(area.width / thumbnailSize)), rows = max(1, Int(area.height / thumbnailSize))
        let cellW = area.width / Double(cols), cellH = area.height / Double(rows)
        var taken = Set<Int>()
        canvas.withClip(frame.plot) { c in
            for (i, p) in positions.enumerated() where p.x.isFinite && p.y.isFinite {
                let cx = min(cols - 1, max(0, Int(xs.fraction(p.x) * Double(cols))))
                let cy = min(rows - 1, max(0, Int((1 - ys.fraction(p.y)) * Double(rows))))
                guard taken.insert(cy * cols + cx).inserted else { continue }
                let cell = Rect(x: area.minX + Double(cx) * cellW, y: area.minY + Double(cy) * cellH, width: cellW, height: cellH)
                let box = Rect(x: cell.midX - thumbnailSize / 2 + 1, y: cell.midY - thumbnailSize / 2 + 1,
                               width: thumbnailSize - 2, height: thumbnailSize - 2)
                if let classes {
                    c.fill(box, colors[max(classes[i], 0) % colors.count])
                    c.draw(images[i], in: box.inset(by: 2))
                } else {
                    c.draw(images[i], in: box)
                }
            }
        }
        frame.drawAxes(on: &canvas, box: true)
        layout.drawLegend(on: &canvas)
    }
}
