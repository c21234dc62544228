import Foundation

/// A report's entries grouped the way a reader takes them in: one section per numbered
/// step, and inside it runs of prose, aligned text, named values, checks, explanations and
/// figures, in the order the lesson printed them. The page and the notebook both draw these.
public struct ReportSection {
    public enum Block {
        /// Narrative lines that form one paragraph.
        case prose([String])
        /// Lines aligned in columns by spaces (a table the lesson printed): kept as they are.
        case aligned([String])
        /// Named values and texts, as printed.
        case values([(name: String, value: String)])
        case checks([Report.Check])
        case explanations([Report.Explanation])
        /// A table the lesson printed with `Report.table`.
        case table(Report.Table)
        /// A figure file and what it shows.
        case figure(file: String, description: String)
        /// A companion page beside the figures, and what it holds.
        case page(file: String, description: String)
    }

    /// "Step N · title", or nil for what the lesson printed before its first step.
    public let title: String?
    /// The step's code, cut from the lesson's source.
    public let code: SourceExcerpt?
    public let blocks: [Block]

    /// The report's entries as sections.
    public static func sections(of report: ReportFile) -> [ReportSection] {
        var sections: [ReportSection] = []
        var title: String?
        var code: SourceExcerpt?
        var blocks: [Block] = []
        var step = 0
        func close() {
            if title != nil || !blocks.isEmpty { sections.append(ReportSection(title: title, code: code, blocks: blocks)) }
            blocks = []
        }
        for entry in report.entries {
            switch entry.kind {
            case .step:
                close()
                step += 1
                title = "Step \(step) · \(entry.text)"
                code = entry.code
            case .say:
                let line = entry.text.trimmingCharacters(in: .whitespaces)
                if isAligned(entry.text) {
                    if case .aligned(let lines)? = blocks.last { blocks[blocks.count - 1] = .aligned(lines + [entry.text]) }
                    else { blocks.append(.aligned([entry.text])) }
                } else if case .prose(let lines)? = blocks.last {
                    blocks[blocks.count - 1] = .prose(lines + [line])
                } else {
                    blocks.append(.prose([line]))
                }
            case .value, .text:
                let pair = (name: entry.text, value: entry.detail ?? "")
                if case .values(let pairs)? = blocks.last { blocks[blocks.count - 1] = .values(pairs + [pair]) }
                else { blocks.append(.values([pair])) }
            case .check:
                guard let i = entry.index, report.checks.indices.contains(i) else { continue }
                if case .checks(let run)? = blocks.last { blocks[blocks.count - 1] = .checks(run + [report.checks[i]]) }
                else { blocks.append(.checks([report.checks[i]])) }
            case .explanation:
                guard let i = entry.index, report.explanations.indices.contains(i) else { continue }
                let e = report.explanations[i]
                if case .explanations(let run)? = blocks.last { blocks[blocks.count - 1] = .explanations(run + [e]) }
                else { blocks.append(.explanations([e])) }
            case .table:
                guard let i = entry.index, report.tables.indices.contains(i) else { continue }
                blocks.append(.table(report.tables[i]))
            case .figure:
                blocks.append(.figure(file: entry.detail ?? "", description: entry.text))
            case .page:
                blocks.append(.page(file: entry.detail ?? "", description: entry.text))
            }
        }
        close()
        return sections
    }

    /// A line laid out in columns (two spaces inside it), indented under the line before it
    /// (a list the lesson printed), or drawn with box characters: its layout carries meaning.
    static func isAligned(_ line: String) -> Bool {
        let body = line.trimmingCharacters(in: .whitespaces)
        return line.hasPrefix("  ") || body.contains("  ") || body.contains { "│┼─═▕▏█".contains($0) }
    }
}

/// How the pages and notebooks show a verdict code from the report.
public enum VerdictText {
    /// "✓ agrees", "✗ differs", "⚠ document inconsistent", "≠ different setup".
    public static func label(_ code: String) -> String {
        switch code {
        case "agrees": "✓ agrees"
        case "differs": "✗ differs"
        case "document-inconsistent": "⚠ document inconsistent"
        case "different-setup": "≠ different setup"
        default: code
        }
    }

    /// The document's name as the lessons print it ("card", "write-up", "bhtsne/sklearn", …).
    public static func source(_ raw: String) -> String {
        Source(rawValue: raw)?.label ?? raw
    }

    /// A printed number, or what it means when the run could not measure it.
    public static func measured(_ printed: String) -> String {
        let plain = printed.trimmingCharacters(in: .whitespaces).lowercased()
        return plain.hasPrefix("nan") || plain.hasPrefix("-nan") ? "NaN (could not be measured)" : printed
    }
}
