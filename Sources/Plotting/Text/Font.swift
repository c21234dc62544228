import Foundation

/// A text style of the embedded bitmap font (converted from Terminus Font, SIL OFL 1.1):
/// a pixel height and a weight.
///
/// Every glyph is half as wide as it is tall, so text metrics are simple and identical
/// at every canvas scale.
public struct Font: Equatable, Hashable, Sendable {
    /// Sizes that render from native glyphs or exact integer multiples of them.
    public static let sizes = [16, 20, 24, 32, 40, 48, 64]

    /// Line height in logical pixels, one of `Font.sizes`.
    public let size: Int
    /// Thicker strokes (two device pixels at 16 px), for titles and emphasis.
    public var bold: Bool

    /// - Parameters:
    ///   - size: logical pixel height; snapped to the nearest entry of `Font.sizes`
    ///     (16 body text, 20 axis labels, 24-32 titles).
    ///   - bold: the bold weight.
    public init(size: Int, bold: Bool = false) {
        self.size = Font.sizes.min { abs($0 - size) < abs($1 - size) }!
        self.bold = bold
    }

    /// 16 px regular: tick labels, legends, captions, cell values.
    public static let body = Font(size: 16)
    /// 16 px bold.
    public static let bodyBold = Font(size: 16, bold: true)
    /// 20 px regular: axis labels.
    public static let label = Font(size: 20)
    /// 24 px bold: chart and panel titles.
    public static let title = Font(size: 24, bold: true)
    /// 32 px bold: figure titles.
    public static let large = Font(size: 32, bold: true)

    /// Horizontal advance of one character, in logical units.
    public var advance: Double { Double(size) / 2 }
    /// Distance between the tops of consecutive lines, in logical units.
    public var lineSpacing: Double { (Double(size) * 1.25).rounded() }

    /// The width of the longest line of `text` (lines split at "\n"), in logical units.
    public func width(of text: String) -> Double {
        Double(Font.lines(text).map(\.count).max() ?? 0) * advance
    }

    /// The height of `text` with all its lines, in logical units.
    public func height(of text: String) -> Double {
        Double(size) + Double(max(Font.lines(text).count - 1, 0)) * lineSpacing
    }

    /// Lines of `text`, split at "\n" (an empty string is one empty line).
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// `text` cut to at most `width` logical units, ending in "…" when shortened.
    public func truncate(_ text: String, toWidth width: Double) -> String {
        let fit = Int(width / advance)
        guard text.count > fit else { return text }
        guard fit >= 1 else { return "" }
        return String(text.prefix(fit - 1)) + "…"
    }

    /// Splits `text` at spaces into lines no wider than `width` (a single word longer
    /// than `width` keeps a line of its own).
    public func wrap(_ text: String, toWidth width: Double) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if self.width(of: candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

/// Where the anchor point sits along a line of text.
public enum HorizontalAlignment: Sendable {
    case left, center, right
}

/// Where the anchor point sits across a block of text.
public enum VerticalAlignment: Sendable {
    /// The top of the first line.
    case top
    /// The middle of the whole block.
    case middle
    /// The baseline of the first line.
    case baseline
    /// The bottom of the last line.
    case bottom
}

/// The reading direction of drawn text.
public enum TextDirection: Sendable {
    /// Left to right.
    case horizontal
    /// Rotated 90° counter-clockwise, read bottom to top (y-axis labels, column labels).
    case up
}
