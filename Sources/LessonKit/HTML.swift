import Foundation

/// A minimal HTML tree for the lesson pages: elements, escaped text and raw CSS.
///
/// Why not a package: the listed HTML DSL (JohnSundell/Plot 0.14) writes attribute values
/// unescaped and passes text that looks like an entity (`&lt;`) through as markup. Every
/// string on these pages comes from lesson output (figure descriptions with quotes, check
/// names with `<` or `&`), so escaping must be total; a Mustache template would escape, but
/// the page's structure (steps, runs of checks grouped into tables) would still be built in
/// code. Forty lines that escape everything are easier to trust and to read.
public indirect enum HTML {
    /// An element with attributes (written in the given order) and children.
    case element(String, [(String, String)], [HTML])
    /// Text, escaped.
    case text(String)
    /// Markup written as is: only for constant strings of this file's callers (CSS, doctype).
    case raw(String)

    /// `<name attributes>children</name>`; void elements (img, meta) have no closing tag.
    public static func el(_ name: String, _ attributes: [(String, String)] = [], _ children: [HTML] = []) -> HTML {
        .element(name, attributes, children)
    }

    /// An element holding one piece of text.
    public static func el(_ name: String, _ attributes: [(String, String)] = [], text: String) -> HTML {
        .element(name, attributes, [.text(text)])
    }

    private static let void: Set<String> = ["img", "meta", "br", "hr", "link"]

    /// The markup.
    public var rendered: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .text(let s):
            out += HTML.escape(s)
        case .raw(let s):
            out += s
        case .element(let name, let attributes, let children):
            out += "<" + name
            for (key, value) in attributes { out += " \(key)=\"\(HTML.escape(value))\"" }
            out += ">"
            guard !HTML.void.contains(name) else { return }
            for child in children { child.write(into: &out) }
            out += "</\(name)>"
            if ["p", "div", "section", "table", "tr", "figure", "h1", "h2", "h3", "pre", "ul", "li", "head", "body"].contains(name) {
                out += "\n"
            }
        }
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in quoted attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
