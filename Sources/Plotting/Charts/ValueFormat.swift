import Core
import Foundation

/// A printf-style format for one number, such as `"%.1f"` or `"%.1f%%"` (prints "78.6%").
///
/// Checked when created, so a format that would read a missing argument (`%s`, two
/// conversions) is caught as a programmer error instead of crashing inside `String(format:)`.
public struct ValueFormat: Sendable, ExpressibleByStringLiteral {
    public let format: String

    /// - Parameter format: text with exactly one `%[flags][width][.precision]` conversion of
    ///   type f, e, g (or F, E, G); write `%%` for a literal percent sign.
    public init(_ format: String) {
        contract(ValueFormat.isValid(format),
                 "ValueFormat \"\(format)\": needs exactly one %f, %e or %g conversion (write %% for a percent sign)")
        self.format = format
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The number formatted; NaN and infinities print as "n/a".
    public func string(_ v: Double) -> String {
        v.isFinite ? String(format: format, v) : "n/a"
    }

    static func isValid(_ format: String) -> Bool {
        var conversions = 0
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { continue }
            if chars.first == "%" { chars.removeFirst(); continue }
            while let f = chars.first, "-+ #0".contains(f) { chars.removeFirst() }
            while let d = chars.first, d.isNumber { chars.removeFirst() }
            if chars.first == "." {
                chars.removeFirst()
                while let d = chars.first, d.isNumber { chars.removeFirst() }
            }
            guard let type = chars.popFirst(), "feEgGF".contains(type) else { return false }
            conversions += 1
        }
        return conversions == 1
    }
}
