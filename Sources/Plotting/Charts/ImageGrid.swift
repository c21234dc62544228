import Core
import Imaging

/// Images in rows and columns, each enlarged to the same display size.
///
/// Optional caption lines go under each image, row labels at the left, column labels on
/// top, and a title above. Used for augmented views of one picture, samples per class and
/// nearest neighbours.
///
/// ```swift
/// var grid = ImageGrid(title: "Eight augmented views", columns: 8)
/// grid.add(view, caption: ["crop 4,6 20x18", "flip", "jitter b1.12 c0.9"])
/// try grid.render(scale: 1).write(to: url)   // natural size
/// ```
public struct ImageGrid: Panel {
    /// One image with the caption lines under it.
    public struct Cell: Sendable {
        public var image: RGBImage?
        public var caption: [String]

        public init(image: RGBImage?, caption: [String] = []) {
            self.image = image
            self.caption = caption
        }
    }

    public var title: String?
    public var columns: Int
    /// Cells row by row; `nil` images leave an empty slot.
    public var cells: [Cell] = []
    /// Width and height each image is shown at (logical units); images keep their aspect
    /// ratio inside this box. Shrunk when the grid does not fit the rect it is drawn in.
    public var imageWidth = 96.0
    public var imageHeight = 96.0
    public var rowLabels: [String] = []
    public var columnLabels: [String] = []
    public var captionFont = Font.body
    /// Space between cells.
    public var spacing = 12.0

    /// - Parameters:
    ///   - title: above the grid.
    ///   - columns: images per row (>= 1).
    public init(title: String? = nil, columns: Int) {
        contract(columns >= 1, "ImageGrid needs at least one column")
        self.title = title
        self.columns = columns
    }

    /// Appends an image with optional caption lines (each drawn on its own line, centred).
    public mutating func add(_ image: RGBImage?, caption: [String] = []) {
        cells.append(Cell(image: image, caption: caption))
    }

    var rows: Int { max(1, (cells.count + columns - 1) / columns) }
    var captionLines: Int { cells.map(\.caption.count).max() ?? 0 }
    var labelFont: Font { Style.labelFont }

    /// Widths and heights that do not depend on the image size.
    func chrome() -> (top: Double, left: Double, captionWidth: Double, captionHeight: Double) {
        var top = title.map { Style.titleFont.height(of: $0) + Style.titleGap } ?? 0
        if !columnLabels.isEmpty { top += labelFont.height(of: "X") + Style.gap }
        let left = rowLabels.isEmpty ? 0 : (rowLabels.map { labelFont.width(of: $0) }.max() ?? 0) + 2 * Style.gap
        // Captions wider than the images get one character of air on each side.
        let captionWidth = (cells.flatMap(\.caption).map { captionFont.width(of: $0) }.max() ?? 0)
            + (captionLines > 0 ? 2 * captionFont.advance : 0)
        let lines = captionLines
        let captionHeight = lines == 0 ? 0 : Style.gap + Double(captionFont.size) + Double(lines - 1) * captionFont.lineSpacing
        return (top, left, captionWidth, captionHeight)
    }

    /// The logical size that shows every image at `imageWidth` x `imageHeight` with all
    /// captions and labels unclipped.
    public var naturalSize: (width: Int, height: Int) {
        let c = chrome()
        let cellW = max(imageWidth, c.captionWidth), cellH = imageHeight + c.captionHeight
        let w = 2 * Style.padding + c.left + Double(columns) * cellW + Double(columns - 1) * spacing
        let h = 2 * Style.padding + c.top + Double(rows) * cellH + Double(rows - 1) * spacing
        var width = w
        // A title wider than the grid gets twice the padding on each side, so it never meets the edge.
        if let title { width = max(width, Style.titleFont.width(of: title) + 4 * Style.padding) }
        return (Int(width.rounded(.up)), Int(h.rounded(.up)))
    }

    /// Renders at `naturalSize`.
    public func render(scale: Int = 1) -> Canvas {
        let size = naturalSize
        return render(width: size.width, height: size.height, scale: scale)
    }

    public func draw(in rect: Rect, on canvas: inout Canvas) {
        let inner = rect.inset(by: Style.padding)
        let c = chrome()
        // Shrink the images (never the text) until the grid fits.
        let availW = (inner.width - c.left - Double(columns - 1) * spacing) / Double(columns)
        let availH = (inner.height - c.top - Double(rows - 1) * spacing) / Double(rows) - c.captionHeight
        let shrink = min(1, availW / imageWidth, availH / imageHeight)
        let iw = max(imageWidth * shrink, 1), ih = max(imageHeight * shrink, 1)
        let cellW = max(iw, min(c.captionWidth, availW)), cellH = ih + c.captionHeight
        let gridW = c.left + Double(columns) * cellW + Double(columns - 1) * spacing
        let gridH = c.top + Double(rows) * cellH + Double(rows - 1) * spacing
        let origin = Point(inner.minX + max(0, (inner.width - gridW) / 2), inner.minY + max(0, (inner.height - gridH) / 2))
        let gridLeft = origin.x + c.left
        if let title {
            let cells = Rect(x: gridLeft, y: origin.y, width: gridW - c.left, height: gridH)
            // Centred over the images, unless it is wider than they are: then over the whole
            // figure, so that it keeps the same air on both sides.
            let wide = Style.titleFont.width(of: title) > cells.width
            let over = wide ? Rect(x: inner.minX, y: origin.y, width: inner.width, height: gridH) : cells
            CartesianFrame.drawTitle(title, over: over, within: inner, on: &canvas)
        }
        let cellsTop = origin.y + c.top
        for (j, label) in columnLabels.prefix(columns).enumerated() {
            let cx = gridLeft + Double(j) * (cellW + spacing) + cellW / 2
            canvas.text(labelFont.truncate(label, toWidth: cellW + spacing), at: Point(cx, cellsTop - Style.gap),
                        font: labelFont, align: .center, vertical: .bottom)
        }
        for (i, label) in rowLabels.prefix(rows).enumerated() {
            let cy = cellsTop + Double(i) * (cellH + spacing) + ih / 2
            canvas.text(label, at: Point(gridLeft - 2 * Style.gap, cy), font: labelFont, align: .right, vertical: .middle)
        }
        for (n, cell) in cells.enumerated() {
            let x = gridLeft + Double(n % columns) * (cellW + spacing)
            let y = cellsTop + Double(n / columns) * (cellH + spacing)
            if let image = cell.image {
                // Keep the aspect ratio inside the iw x ih box.
                let aspect = Double(image.width) / Double(image.height)
                let w = min(iw, ih * aspect), h = min(ih, iw / aspect)
                canvas.draw(image, in: Rect(x: x + (cellW - w) / 2, y: y + (ih - h) / 2, width: w, height: h))
            }
            for (k, line) in cell.caption.enumerated() {
                canvas.text(captionFont.truncate(line, toWidth: cellW + spacing),
                            at: Point(x + cellW / 2, y + ih + Style.gap + Double(k) * captionFont.lineSpacing),
                            font: captionFont, color: Color(hex: 0x333333), align: .center)
            }
        }
    }
}
