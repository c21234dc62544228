import Core

/// Categorical colours for series and classes.
public enum Palette {
    /// matplotlib's default "tab10" cycle (Tableau 10).
    ///
    /// Its ten hues stay apart for the common kinds of colour blindness better than a
    /// rainbow; pair it with marker shapes (`MarkerShape.cycle`) when every class must be
    /// told apart without colour.
    public static let tab10: [Color] = [
        Color(hex: 0x1F77B4), Color(hex: 0xFF7F0E), Color(hex: 0x2CA02C), Color(hex: 0xD62728),
        Color(hex: 0x9467BD), Color(hex: 0x8C564B), Color(hex: 0xE377C2), Color(hex: 0x7F7F7F),
        Color(hex: 0xBCBD22), Color(hex: 0x17BECF),
    ]

    /// The Okabe–Ito palette (Okabe & Ito 2008), designed to be distinguishable under
    /// every common colour-vision deficiency; good for two to four series.
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xE69F00), Color(hex: 0x009E73), Color(hex: 0xD55E00),
        Color(hex: 0xCC79A7), Color(hex: 0x56B4E9), Color(hex: 0xF0E442), Color(hex: 0x000000),
    ]

    /// The `index`-th tab10 colour, cycling for more than ten.
    public static func color(_ index: Int) -> Color {
        tab10[((index % tab10.count) + tab10.count) % tab10.count]
    }
}

/// A continuous colour scale: `color(at: t)` for t in [0, 1], linear between anchors.
public struct Colormap: Sendable {
    /// Colours at evenly spaced positions from t = 0 to t = 1.
    public var anchors: [Color]

    public init(anchors: [Color]) {
        contract(anchors.count >= 2, "Colormap needs at least two anchors")
        self.anchors = anchors
    }

    /// The colour at `t` (clamped to [0, 1]; NaN gives the first colour).
    public func color(at t: Double) -> Color {
        let t = t.isNaN ? 0 : min(max(t, 0), 1)
        let f = t * Double(anchors.count - 1)
        let i = min(Int(f), anchors.count - 2)
        return anchors[i].mixed(with: anchors[i + 1], f - Double(i))
    }

    /// ColorBrewer "Blues" (9 classes), white to dark blue: the usual confusion-matrix scale.
    public static let blues = Colormap(anchors: [
        Color(hex: 0xF7FBFF), Color(hex: 0xDEEBF7), Color(hex: 0xC6DBEF), Color(hex: 0x9ECAE1),
        Color(hex: 0x6BAED6), Color(hex: 0x4292C6), Color(hex: 0x2171B5), Color(hex: 0x08519C),
        Color(hex: 0x08306B),
    ])

    /// matplotlib's perceptually uniform, colour-blind-safe "viridis", sampled at 10 points.
    public static let viridis = Colormap(anchors: [
        Color(hex: 0x440154), Color(hex: 0x482878), Color(hex: 0x3E4989), Color(hex: 0x31688E),
        Color(hex: 0x26828E), Color(hex: 0x1F9E89), Color(hex: 0x35B779), Color(hex: 0x6ECE58),
        Color(hex: 0xB5DE2B), Color(hex: 0xFDE725),
    ])
}
