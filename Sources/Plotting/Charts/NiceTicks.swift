import Foundation

/// Tick positions at "nice" numbers (1, 2 or 5 times a power of ten), as a person would
/// label an axis, and their labels.
public enum NiceTicks {
    /// The smallest 1-2-5 step that puts at most `maxCount` ticks inside [lo, hi].
    ///
    /// - Parameters:
    ///   - lo: lower end of the axis.
    ///   - hi: upper end (> lo).
    ///   - maxCount: at most this many ticks (>= 2).
    public static func step(from lo: Double, to hi: Double, maxCount: Int) -> Double {
        let span = hi - lo
        guard span > 1e-250, span.isFinite else { return 1 }
        let maxCount = max(maxCount, 2)
        var exponent = (log10(span / Double(maxCount))).rounded(.down) - 1
        while true {
            let base = pow(10, exponent)
            for m in [1.0, 2, 5] {
                let step = m * base
                if count(from: lo, to: hi, step: step) <= maxCount { return step }
            }
            exponent += 1
        }
    }

    /// Ticks at multiples of a nice step inside [lo, hi] (both ends included when they are
    /// multiples), e.g. 0...0.87 -> 0, 0.2, 0.4, 0.6, 0.8 and 1...6.24 -> 1, 2, 3, 4, 5, 6.
    ///
    /// - Parameters:
    ///   - lo: lower end of the axis.
    ///   - hi: upper end; when equal to `lo` the range is widened around it.
    ///   - maxCount: at most this many ticks.
    /// - Returns: increasing tick values, exactly representable multiples of the step
    ///   (no 0.30000000000000004), empty for non-finite input.
    public static func ticks(from lo: Double, to hi: Double, maxCount: Int = 6) -> [Double] {
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite else { return [] }
        var (lo, hi) = (min(lo, hi), max(lo, hi))
        if hi - lo < 1e-12 * max(1, abs(lo)) { (lo, hi) = widened(lo) }
        let step = self.step(from: lo, to: hi, maxCount: maxCount)
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        let decimals = self.decimals(for: step)
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            // Round through the label's decimals so 3 * 0.1 is exactly 0.3.
            return v == 0 ? 0 : (Double(String(format: "%.\(decimals)f", v)) ?? v)
        }
    }

    /// Number of decimals that labels of ticks spaced by `step` need (0 for steps >= 1).
    public static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int((-log10(step) - 1e-9).rounded(.up)))
    }

    /// The label of tick value `v` on an axis whose ticks are `step` apart: fixed decimals
    /// (0.0, 0.2, 0.4), no "-0", exponent notation only for very large or small values.
    public static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let magnitude = max(abs(v), step)
        if magnitude >= 1e6 || step < 1e-4 { return compactExponent(v) }
        return String(format: "%.\(decimals(for: step))f", v)
    }

    /// Labels for a whole set of ticks (their spacing sets the decimals).
    public static func labels(_ ticks: [Double]) -> [String] {
        let step = ticks.count >= 2 ? ticks[1] - ticks[0] : (ticks.first.map { abs($0) > 0 ? abs($0) : 1 } ?? 1)
        return ticks.map { label($0, step: step) }
    }

    /// Ticks for a log10 axis over [lo, hi] (both > 0): the powers of ten inside, and when
    /// there are fewer than three of those, also 2x and 5x multiples.
    ///
    /// `minor` are the remaining integer multiples (2...9) x 10^k for light gridlines.
    public static func logTicks(from lo: Double, to hi: Double, maxCount: Int = 8) -> (major: [Double], minor: [Double]) {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return ([], []) }
        let e0 = Int(log10(lo).rounded(.down)), e1 = Int(log10(hi).rounded(.up))
        var decades = Array(e0 ... e1)
        // Very wide ranges: label every 2nd, 3rd ... decade.
        let stride = max(1, (decades.count + maxCount - 1) / maxCount)
        decades = decades.filter { ($0 - e0) % stride == 0 }
        let inside = { (v: Double) in v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) }
        var major = decades.map { pow(10, Double($0)) }.filter(inside)
        var multiples: [Double] = []
        if major.count < 3 {
            multiples = (e0 ... e1).flatMap { e in [2.0, 5].map { $0 * pow(10, Double(e)) } }.filter(inside)
            if major.count + multiples.count <= maxCount { major = (major + multiples).sorted() }
        }
        let minor = (e0 ... e1).flatMap { e in (2 ... 9).map { Double($0) * pow(10, Double(e)) } }
            .filter { inside($0) && !major.contains($0) }
        return (major, minor)
    }

    /// A label for a log-axis tick: plain digits between 0.001 and 99,999, else "1e-5".
    public static func logLabel(_ v: Double) -> String {
        if v >= 1e-3 && v < 1e5 {
            let decimals = max(0, Int((-log10(v) - 1e-9).rounded(.up)))
            return String(format: "%.\(decimals)f", v)
        }
        return compactExponent(v)
    }

    static func compactExponent(_ v: Double) -> String {
        let e = Int(log10(abs(v)).rounded(.down))
        let mantissa = v / pow(10, Double(e))
        let m = String(format: "%.1f", mantissa).replacingOccurrences(of: ".0", with: "")
        return "\(m)e\(e)"
    }

    static func count(from lo: Double, to hi: Double, step: Double) -> Int {
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        let n = last - first + 1
        return n.isFinite && n < 1e9 ? max(0, Int(n)) : Int.max
    }

    static func widened(_ v: Double) -> (Double, Double) {
        let d = v == 0 ? 1 : abs(v) * 0.1
        return (v - d, v + d)
    }
}
