import Foundation
import SimCLR

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
}
