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

/// Number formats shared by the sections.
enum Format {
    /// A rate with about three significant digits: 1234, 123, 12.3, 1.23.
    static func rate(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        switch abs(v) {
        case 1000...: return grouped(v)
        case 100...: return String(format: "%.0f", v)
        case 10...: return String(format: "%.1f", v)
        default: return String(format: "%.2f", v)
        }
    }

    /// A ratio such as `0.83x` or `41x`; "—" when either side is missing.
    static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0, numerator.isFinite else { return "—" }
        let r = numerator / denominator
        return (r >= 9.995 ? String(format: "%.0f", r) : String(format: "%.2f", r)) + "x"
    }

    /// Milliseconds with three significant digits.
    static func milliseconds(_ seconds: Double) -> String {
        rate(seconds * 1000)
    }

    /// The spread of repeated runs as "±4%" (half the slowest-to-fastest range).
    static func spread(_ t: Timing) -> String {
        t.samples.count < 2 ? "1 run" : String(format: "±%.0f%%", 50 * t.spread)
    }

    /// "1 thread", "2 threads".
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// An integer with thousands separators: 1,048,576.
    static func grouped(_ v: Double) -> String {
        let digits = String(format: "%.0f", abs(v))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + out
    }
}
