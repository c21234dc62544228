import Foundation

/// A lesson run as a Jupyter notebook (nbformat 4.5) in Swift: for each step a markdown cell
/// with its title, then a code cell holding the step's code as it stands in the lesson's
/// source, with what the run printed attached as its outputs (prose, values and checks as
/// markdown, figures as PNG), so the notebook opens in Jupyter, VS Code and on GitHub with
/// everything visible without a Swift kernel. Rendered from the same `ReportFile` as the page.
public struct LessonNotebook {
    public let report: ReportFile
    /// The PNG bytes of each figure, by file name.
    public let images: [String: Data]

    public init(report: ReportFile, images: [String: Data]) {
        self.report = report
        self.images = images
    }

    struct Notebook: Encodable {
        let cells: [Cell]
        let metadata = Metadata()
        let nbformat = 4
        let nbformat_minor = 5
    }

    struct Metadata: Encodable {
        struct KernelSpec: Encodable { let name = "swift", display_name = "Swift", language = "swift" }
        struct LanguageInfo: Encodable { let name = "swift", file_extension = ".swift" }
        let kernelspec = KernelSpec()
        let language_info = LanguageInfo()
    }

    struct Output: Encodable {
        let output_type = "display_data"
        let data: [String: String]
        let metadata: [String: String] = [:]
    }

    struct Cell: Encodable {
        let cell_type: String
        let id: String
        let metadata: [String: String] = [:]
        let source: String
        /// Code cells only (nil fields are left out of the JSON).
        let execution_count: Int?
        let outputs: [Output]?

        func encode(to encoder: Encoder) throws {
            enum Key: String, CodingKey { case cell_type, id, metadata, source, execution_count, outputs }
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(cell_type, forKey: .cell_type)
            try c.encode(id, forKey: .id)
            try c.encode(metadata, forKey: .metadata)
            try c.encode(source, forKey: .source)
            if cell_type == "code" {
                try c.encode(execution_count, forKey: .execution_count)
                try c.encode(outputs ?? [], forKey: .outputs)
            }
        }
    }

    /// The notebook as JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Notebook(cells: cells))
    }

    var cells: [Cell] {
        var cells: [Cell] = []
        var markdown: [String] = ["# " + Markdown.escape(report.title)]
        if !report.summary.isEmpty { markdown.append(Markdown.escape(report.summary)) }
        if report.isQuick {
            markdown.append("> **A quick run (`--quick`)**: little data and few steps, to show the lesson works. "
                            + "Its numbers are not the lesson's results.")
        }
        markdown.append("**" + Markdown.escape(LessonPage.tally(report)) + "**")
        func flush() {
            guard !markdown.isEmpty else { return }
            cells.append(Cell(cell_type: "markdown", id: "cell-\(cells.count)", source: markdown.joined(separator: "\n\n"),
                              execution_count: nil, outputs: nil))
            markdown = []
        }
        var executed = 0
        for section in ReportSection.sections(of: report) {
            if let title = section.title { markdown.append("## " + Markdown.escape(title)) }
            if let code = section.code {
                markdown += code.prose.map(Markdown.escape)
                markdown.append("*The code of this step: `\(code.file)`, from line \(code.statementsLine). What it printed is its output.*")
                flush()
                executed += 1
                cells.append(Cell(cell_type: "code", id: "cell-\(cells.count)", source: code.statements, execution_count: executed,
                                  outputs: outputs(section.blocks)))
                continue
            }
            for block in section.blocks {
                if case .figure(let file, let description) = block {
                    flush()
                    cells.append(figureCell(file: file, description: description, id: "cell-\(cells.count)"))
                } else {
                    markdown.append(Markdown.block(block))
                }
            }
        }
        markdown.append("## This run")
        if let command = report.settings.first(where: { $0.name == "command" })?.value {
            markdown.append("To reproduce it, from the project's folder:\n\n```sh\n\(command)\n```")
        }
        let rows = report.settings.filter { $0.name != "command" }.map { (name: $0.name, value: $0.value) }
            + [(name: "time taken", value: LessonPage.duration(report.seconds))]
        markdown.append(Markdown.block(.values(rows)))
        flush()
        return cells
    }

    /// A step's printed output, in order: runs of prose, values and checks as one markdown
    /// output each, every figure as a PNG output.
    private func outputs(_ blocks: [ReportSection.Block]) -> [Output] {
        var outputs: [Output] = [], text: [String] = []
        func flush() {
            guard !text.isEmpty else { return }
            outputs.append(Output(data: ["text/markdown": text.joined(separator: "\n\n")]))
            text = []
        }
        for block in blocks {
            if case .figure(let file, let description) = block {
                flush()
                if let png = images[file] {
                    outputs.append(Output(data: ["image/png": png.base64EncodedString(), "text/plain": description]))
                } else {
                    text.append(Markdown.escape("Figure \(file) was not written: \(description)"))
                }
            } else {
                text.append(Markdown.block(block))
            }
        }
        flush()
        return outputs
    }

    private func figureCell(file: String, description: String, id: String) -> Cell {
        let source = "// \(description): \(file)"
        guard let png = images[file] else {
            return Cell(cell_type: "code", id: id, source: source, execution_count: nil, outputs: [])
        }
        return Cell(cell_type: "code", id: id, source: source, execution_count: nil,
                    outputs: [Output(data: ["image/png": png.base64EncodedString(), "text/plain": description])])
    }
}

/// Markdown for the notebook cells: text escaped so lesson output never turns into markup.
public enum Markdown {
    /// Backslash before every ASCII character Markdown could read as syntax.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\`*_[]<>|#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func block(_ block: ReportSection.Block) -> String {
        switch block {
        case .prose(let lines):
            return escape(lines.joined(separator: " "))
        case .aligned(let lines):
            return "```text\n" + lines.joined(separator: "\n").replacingOccurrences(of: "```", with: "'''") + "\n```"
        case .values(let pairs):
            return pairs.map { "- \(escape($0.name)): **\(escape(VerdictText.measured($0.value)))**" }.joined(separator: "\n")
        case .table(let data):
            return table(data.columns, data.rows.map { $0.map(VerdictText.measured) })
        case .checks(let checks):
            return table(["check", "document", "ours", "verdict"], checks.map { c in
                [c.name, "\(VerdictText.source(c.source)): \(VerdictText.measured(c.document))", VerdictText.measured(c.ours),
                 VerdictText.label(c.verdict) + (c.note.map { " — " + $0 } ?? "")]
            })
        case .explanations(let explanations):
            return table(["arithmetic on a document's numbers", "document", "worked out"], explanations.map { e in
                [e.name, "\(VerdictText.source(e.source)): \(e.document)", "\(e.arithmetic) = \(e.result)"]
            })
        case .figure(let file, let description):
            return escape("\(description) (\(file))")
        case .page(let file, let description):
            return "Open [\(escape(description))](\(file)) (\(escape(file)), beside this notebook)."
        }
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let line = { (cells: [String]) in "| " + cells.map { escape($0.replacingOccurrences(of: "\n", with: " ")) }.joined(separator: " | ") + " |" }
        return ([line(header), "|" + String(repeating: " --- |", count: header.count)] + rows.map(line))
            .joined(separator: "\n")
    }
}
