/// Where a chart's plot area and legend go: the legend sits in a free corner of the plot
/// when asked to (or when `.auto` finds one), otherwise in a column right of the plot,
/// which then gets narrower.
struct ChartLayout {
    var frame: CartesianFrame
    var legend: Legend?
    var legendOrigin = Point(0, 0)

    /// The legend's box in logical coordinates, if there is a legend.
    var legendRect: Rect? {
        legend.map { Rect(x: legendOrigin.x, y: legendOrigin.y, width: $0.size.width, height: $0.size.height) }
    }

    /// - Parameters:
    ///   - entries: legend entries; fewer than `minimumEntries` under `.auto` means no legend.
    ///   - placement: the requested placement.
    ///   - makeFrame: the frame for a given room to the right of the plot.
    ///   - obstacles: what the legend must not cover inside a frame's plot (logical rects).
    init(entries: [LegendEntry], placement: LegendPlacement, minimumEntries: Int = 1,
         makeFrame: (Double) -> CartesianFrame, obstacles: (CartesianFrame) -> [Rect]) {
        let wanted = placement != .none && entries.count >= (placement == .auto ? minimumEntries : 1)
        frame = makeFrame(0)
        guard wanted else { return }
        let box = Legend(entries: entries)
        var where_ = placement
        if placement == .auto {
            where_ = Legend.freeCorner(size: box.size, in: frame.plot, avoiding: obstacles(frame)) ?? .outsideRight
        }
        if where_ == .outsideRight {
            frame = makeFrame(box.size.width + 16)
            legendOrigin = Point(frame.plot.maxX + 16, frame.plot.minY)
        } else {
            legendOrigin = Legend.origin(where_, size: box.size, in: frame.plot)
        }
        legend = box
    }

    func drawLegend(on canvas: inout Canvas) {
        legend?.draw(at: legendOrigin, on: &canvas)
    }
}
