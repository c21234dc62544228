import SimCLR

/// A panel that holds a short message instead of a chart, drawn where a chart is missing
/// (the SimCLR map without a checkpoint), so the gap on the slide explains itself.
struct NotePanel: Panel {
    var title: String
    /// Lines, each centred (and wrapped if wider than the panel); "" leaves a blank line.
    var message: [String]
    /// Lines of `message` drawn bold in ink rather than grey (a command to type).
    var emphasized: Set<String> = []

    func draw(in rect: Rect, on canvas: inout Canvas) {
        let inner = rect.inset(by: 16)
        canvas.text(title, at: Point(inner.midX, inner.minY), font: .title, align: .center)
        // The same top and bottom as a scatter panel's plot area beside it (title above,
        // one line of caption below).
        let box = inner.inset(top: Font.title.height(of: title) + 14, left: 4,
                              bottom: Font.label.height(of: "caption") + 8, right: 4)
        let edge = Color(hex: 0xAAAAAA)
        let corners = [Point(box.minX, box.minY), Point(box.maxX, box.minY), Point(box.maxX, box.maxY),
                       Point(box.minX, box.maxY), Point(box.minX, box.minY)]
        canvas.polyline(corners, edge, width: 1.5, dash: .dashed)
        let font = Font.label
        let lines = message.flatMap { $0.isEmpty ? [""] : font.wrap($0, toWidth: box.width - 48) }
        let height = Double(lines.count) * font.lineSpacing
        var y = box.midY - height / 2
        for line in lines {
            let strong = emphasized.contains(line)
            canvas.text(line, at: Point(box.midX, y), font: strong ? Font(size: font.size, bold: true) : font,
                        color: strong ? .ink : .gray, align: .center)
            y += font.lineSpacing
        }
    }
}
