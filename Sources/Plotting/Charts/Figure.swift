/// Several panels in one picture.
///
/// It has a title, the panels in a grid of equal cells, and an optional legend shared by
/// all panels underneath (e.g. three t-SNE maps side by side with one list of class colours).
///
/// ```swift
/// var figure = Figure(title: "t-SNE of CIFAR-10 test images")
/// figure.add(rawPixels); figure.add(randomEncoder); figure.add(simclr)
/// figure.legend = simclr.legendEntries
/// try figure.render(width: 1800, height: 700).write(to: url)
/// ```
public struct Figure: Panel {
    public var title: String?
    /// Panels per row; nil puts all of them in one row.
    public var columns: Int?
    public var panels: [any Panel] = []
    /// Entries of a legend shared by all panels, drawn in rows under them (20 px text).
    public var legend: [LegendEntry] = []

    /// - Parameters:
    ///   - title: the figure title, larger than panel titles.
    ///   - columns: panels per row (nil: one row).
    public init(title: String? = nil, columns: Int? = nil) {
        self.title = title
        self.columns = columns
    }

    /// Appends a panel; panels fill the grid row by row.
    public mutating func add(_ panel: any Panel) {
        panels.append(panel)
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        var area = rect
        if let title {
            let font = Font.large
            let line = font.truncate(title, toWidth: rect.width - 2 * Style.padding)
            canvas.text(line, at: Point(rect.midX, rect.minY + Style.padding), font: font, align: .center)
            area = area.inset(top: Style.padding + font.height(of: line))
        }
        if !legend.isEmpty {
            let box = Legend.fitting(legend, width: rect.width - 2 * Style.padding, font: Style.labelFont)
            let size = box.size
            box.draw(at: Point(rect.midX - size.width / 2, rect.maxY - Style.padding - size.height), on: &canvas, framed: false)
            area = area.inset(bottom: size.height + Style.padding)
        }
        guard !panels.isEmpty else { return }
        let cols = max(1, min(columns ?? panels.count, panels.count))
        let rows = (panels.count + cols - 1) / cols
        let w = area.width / Double(cols), h = area.height / Double(rows)
        for (i, panel) in panels.enumerated() {
            let cell = Rect(x: area.minX + Double(i % cols) * w, y: area.minY + Double(i / cols) * h, width: w, height: h)
            canvas.withClip(cell) { panel.draw(in: cell, on: &$0) }
        }
    }
}
