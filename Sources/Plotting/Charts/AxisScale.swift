import Foundation

/// How data values map to positions along an axis.
public enum ScaleKind: Sendable {
    case linear
    /// Base-10 logarithmic; values <= 0 cannot be shown and are skipped.
    case log
}

/// The visible data interval of one axis and how it maps onto a pixel interval.
struct AxisScale: Sendable {
    var lower: Double
    var upper: Double
    var kind: ScaleKind

    /// Where `v` falls between `lower` (0) and `upper` (1); NaN for values a log axis cannot show.
    func fraction(_ v: Double) -> Double {
        switch kind {
        case .linear:
            return (v - lower) / (upper - lower)
        case .log:
            guard v > 0 else { return .nan }
            return (log10(v) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// An axis around data in [lo, hi], with `margin` (a fraction of the span) added on both
    /// sides, and a usable span around a single value.
    static func fitting(_ lo: Double, _ hi: Double, kind: ScaleKind, margin: Double) -> AxisScale {
        switch kind {
        case .linear:
            guard lo.isFinite, hi.isFinite else { return AxisScale(lower: 0, upper: 1, kind: .linear) }
            var (a, b) = (lo, hi)
            if b - a < 1e-12 * max(1, abs(a)) { (a, b) = NiceTicks.widened(a) }
            let pad = (b - a) * margin
            // As matplotlib: the margin may cross zero, so points at 0 stay off the spine.
            return AxisScale(lower: a - pad, upper: b + pad, kind: .linear)
        case .log:
            guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else { return AxisScale(lower: 1, upper: 10, kind: .log) }
            var (a, b) = (log10(lo), log10(hi))
            if b - a < 1e-9 { a -= 0.5; b += 0.5 }
            let pad = (b - a) * margin
            return AxisScale(lower: pow(10, a - pad), upper: pow(10, b + pad), kind: .log)
        }
    }

    /// Ticks and labels for an axis `length` logical units long whose labels need about
    /// `spacing` units each.
    func ticks(length: Double, spacing: Double) -> (major: [Double], minor: [Double], labels: [String]) {
        let maxCount = max(2, min(10, Int(length / spacing)))
        switch kind {
        case .linear:
            let t = NiceTicks.ticks(from: lower, to: upper, maxCount: maxCount)
            return (t, [], NiceTicks.labels(t))
        case .log:
            let t = NiceTicks.logTicks(from: lower, to: upper, maxCount: maxCount)
            return (t.major, t.minor, t.major.map(NiceTicks.logLabel))
        }
    }
}
