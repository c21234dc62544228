import Foundation

/// A plain-text table with aligned columns, for terminals and for pasting into notes.
struct TextTable {
    enum Alignment { case left, right }

    private let titles: [String]
    private let alignments: [Alignment]
    /// `nil` marks a separator line.
    private var rows: [[String]?] = []

    /// - Parameter columns: title and alignment of each column (numbers align right).
    init(_ columns: [(String, Alignment)]) {
        titles = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    /// Appends a row; it must have one cell per column.
    mutating func add(_ cells: [String]) {
        precondition(cells.count == titles.count, "TextTable: \(cells.count) cells for \(titles.count) columns")
        rows.append(cells)
    }

    /// Appends a horizontal rule (between groups of rows).
    mutating func addSeparator() {
        rows.append(nil)
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The table as lines, indented by two spaces.
    func render() -> String {
        var widths = titles.map(\.count)
        for case let row? in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return alignments[i] == .left ? cell + pad : pad + cell
            }
            return "  " + padded.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "",
                                                                              options: .regularExpression)
        }
        let rule = "  " + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        var lines = [line(titles), rule]
        for row in rows { lines.append(row.map(line) ?? rule) }
        return lines.joined(separator: "\n")
    }
}
