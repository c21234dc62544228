import Foundation

/// The code of one lesson step, cut from the lesson's own source: the prose comment right
/// above the step's `report.step(…)` call, the call, and what follows it up to the next step
/// or the end of the block it sits in. Pages and notebooks show it above the step's outputs,
/// read from the source the lesson was built from when the page is written, so what a reader
/// sees is the code that ran.
public struct SourceExcerpt: Codable, Equatable, Sendable {
    /// The file, relative to the project (e.g. "Lessons/Lesson4-Training/LossFacts.swift").
    public let file: String
    /// The 1-based line of the excerpt's first line in `file`.
    public let line: Int
    /// The lines, with their common indentation removed.
    public let code: String

    public init(file: String, line: Int, code: String) {
        self.file = file
        self.line = line
        self.code = code
    }

    /// - Parameters:
    ///   - path: the source file (`#filePath` at the step call).
    ///   - callLine: the 1-based line of the `report.step(…)` call.
    /// - Returns: nil when the file cannot be read (a binary run away from its sources) or the
    ///   line does not hold a step call.
    public init?(path: String, line callLine: Int) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.components(separatedBy: "\n")
        guard callLine >= 1, callLine <= lines.count, lines[callLine - 1].contains("report.step(") else { return nil }
        var start = callLine - 1
        while start > 0, lines[start - 1].trimmingCharacters(in: .whitespaces).hasPrefix("//") { start -= 1 }
        var end = callLine - 1, depth = 0, inString = false, inMultiline = false, stoppedAtStep = false
        scan: for i in (callLine - 1) ..< lines.count {
            if i > callLine - 1, depth == 0, lines[i].contains("report.step(") { stoppedAtStep = true; break }
            let chars = Array(lines[i])
            var j = 0
            while j < chars.count {
                if chars[j...].starts(with: "\"\"\"") { inMultiline.toggle(); j += 3; continue }
                let c = chars[j]
                if inMultiline || inString {
                    if c == "\\" { j += 2; continue }
                    if c == "\"" && !inMultiline { inString = false }
                } else if c == "\"" {
                    inString = true
                } else if c == "/" && j + 1 < chars.count && chars[j + 1] == "/" {
                    break
                } else if c == "{" {
                    depth += 1
                } else if c == "}" {
                    depth -= 1
                    if depth < 0 { break scan }  // the end of the block the step sits in
                }
                j += 1
            }
            inString = false  // a single-line string never runs past its line
            end = i
        }
        // Comments and blank lines right before the next step are that step's prose.
        while end > callLine - 1 {
            let t = lines[end].trimmingCharacters(in: .whitespaces)
            guard t.isEmpty || (stoppedAtStep && t.hasPrefix("//")) else { break }
            end -= 1
        }
        let kept = Array(lines[start ... end])
        let indent = kept.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        code = kept.map { $0.count >= indent ? String($0.dropFirst(indent)) : $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n")
        line = start + 1
        file = Self.projectRelative(path)
    }

    /// The step's prose: the comment lines above its `report.step(…)` call, without the `//`,
    /// as one paragraph per blank comment line (empty when the step has no comment).
    public var prose: [String] {
        var paragraphs: [String] = [], current: [String] = []
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("//") else { break }
            let text = t.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")); current = [] }
            } else {
                current.append(text)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs
    }

    /// The number of comment lines the excerpt opens with: the step's prose.
    var proseLineCount: Int {
        code.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.count
    }

    /// The step's code without its prose: the excerpt from the `report.step(…)` call on, as the
    /// page's code block and the notebook's code cell show it under the prose.
    public var statements: String {
        code.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(proseLineCount).joined(separator: "\n")
    }

    /// The 1-based line of `statements`' first line in `file`.
    public var statementsLine: Int { line + proseLineCount }

    /// `path` from its `Lessons/`, `Sources/` or `Tools/` folder on, else its file name.
    static func projectRelative(_ path: String) -> String {
        for folder in ["/Lessons/", "/Sources/", "/Tools/"] {
            if let range = path.range(of: folder, options: .backwards) { return String(path[path.index(after: range.lowerBound)...]) }
        }
        return (path as NSString).lastPathComponent
    }
}
