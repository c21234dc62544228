import Foundation

extension ViewParameters: CustomStringConvertible {
    /// One line, e.g.
    /// `crop (4, 6, 20x18), flip, jitter b 1.12 c 0.93 s 1.30 h +0.04 order [h, b, s, c], no grey, blur σ 1.21`.
    public var summary: String {
        var parts = ["crop \(crop)\(cropUsedFallback ? " fallback" : "")"]
        parts.append(flipped ? "flip" : "no flip")
        if let jitter {
            parts.append("jitter \(Self.factorsText(jitter)) order [\(jitter.order.map(\.letter).joined(separator: ", "))]")
        } else {
            parts.append("no jitter")
        }
        parts.append(grayscale ? "grey" : "no grey")
        parts.append(blurSigma.map { "blur σ " + String(format: "%.2f", $0) } ?? "no blur")
        return parts.joined(separator: ", ")
    }

    public var description: String { summary }

    /// One line per transform, aligned, for a lesson's step-by-step printout:
    ///
    /// ```
    /// crop       top 4, left 6, 20x18 of 32x32 (35.2 % of the area, aspect 0.90)
    /// flip       yes
    /// jitter     b 1.12 c 0.93 s 1.30 h +0.04, in the order h, b, s, c
    /// grayscale  no
    /// blur       sigma 1.21
    /// ```
    public var lines: [String] {
        let area = 100 * Double(crop.height * crop.width) / Double(sourceHeight * sourceWidth)
        let aspect = Double(crop.width) / Double(crop.height)
        var cropLine = "crop       top \(crop.top), left \(crop.left), \(crop.height)x\(crop.width) of "
            + "\(sourceHeight)x\(sourceWidth) (" + String(format: "%.1f %% of the area, aspect %.2f", area, aspect) + ")"
        if cropUsedFallback { cropLine += ", centre-crop fallback" }
        let jitterLine = jitter.map {
            "jitter     \(Self.factorsText($0)), in the order \($0.order.map(\.letter).joined(separator: ", "))"
        } ?? "jitter     not applied"
        return [
            cropLine,
            "flip       \(flipped ? "yes" : "no")",
            jitterLine,
            "grayscale  \(grayscale ? "yes" : "no")",
            "blur       " + (blurSigma.map { String(format: "sigma %.2f", $0) } ?? "not applied"),
        ]
    }

    /// `b 1.12 c 0.93 s 1.30 h +0.04`, leaving out factors that were not drawn.
    public static func factorsText(_ j: JitterParameters) -> String {
        var parts = [String]()
        if let b = j.brightness { parts.append(String(format: "b %.2f", b)) }
        if let c = j.contrast { parts.append(String(format: "c %.2f", c)) }
        if let s = j.saturation { parts.append(String(format: "s %.2f", s)) }
        if let h = j.hue { parts.append(String(format: "h %+.2f", h)) }
        return parts.joined(separator: " ")
    }
}
