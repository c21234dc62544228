import SimCLR

extension RGBImage {
    /// The image enlarged `factor` times (each pixel a `factor` x `factor` block, as a
    /// projector should show a 32 px image), with the outline of each box drawn over it.
    /// - Parameters:
    ///   - factor: integer enlargement, >= 1.
    ///   - boxes: crop boxes in source pixels, each with its outline colour; later boxes draw over earlier ones.
    ///   - lineWidth: outline thickness in output pixels, drawn inside the box's edge.
    /// - Returns: `factor * height` x `factor * width`.
    func enlarged(by factor: Int, outlining boxes: [(box: CropBox, color: Color)] = [], lineWidth: Int = 3) -> RGBImage {
        precondition(factor >= 1 && lineWidth >= 1, "enlarged: factor and line width must be positive")
        let w = width * factor, h = height * factor
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0 ..< h {
            for x in 0 ..< w {
                let s = ((y / factor) * width + x / factor) * 3, d = (y * w + x) * 3
                out[d] = pixels[s]; out[d + 1] = pixels[s + 1]; out[d + 2] = pixels[s + 2]
            }
        }
        for (box, color) in boxes {
            let x0 = box.left * factor, y0 = box.top * factor
            let x1 = (box.left + box.width) * factor, y1 = (box.top + box.height) * factor
            for y in y0 ..< y1 {
                for x in x0 ..< x1 where x < x0 + lineWidth || x >= x1 - lineWidth || y < y0 + lineWidth || y >= y1 - lineWidth {
                    let d = (y * w + x) * 3
                    out[d] = color.r; out[d + 1] = color.g; out[d + 2] = color.b
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}

/// Short caption lines for a view's draws, one per stage, for figures.
enum ViewCaption {
    /// e.g. `["crop (4, 6) 20x18, 35 % of area", "flip: yes", "jitter b 1.12 c 0.93 s 1.30 h +0.04",
    /// "order h → b → s → c", "grey: no", "blur σ 1.21"]`.
    static func lines(_ p: ViewParameters) -> [String] {
        let area = 100 * Double(p.crop.height * p.crop.width) / Double(p.sourceHeight * p.sourceWidth)
        var lines = [crop(p) + ", " + String(format: "%.0f %% of area", area)]
        lines.append("flip: " + (p.flipped ? "yes" : "no"))
        if let j = p.jitter {
            lines.append("jitter " + ViewParameters.factorsText(j))
            lines.append("order " + j.order.map(\.letter).joined(separator: " → "))
        } else {
            lines.append("jitter: not applied")
            lines.append(" ")
        }
        lines.append("grey: " + (p.grayscale ? "yes" : "no"))
        lines.append(p.blurSigma.map { String(format: "blur σ %.2f", $0) } ?? "blur: not applied")
        return lines
    }

    /// `crop (top, left) HxW`, with the fallback noted.
    static func crop(_ p: ViewParameters) -> String {
        "crop (\(p.crop.top), \(p.crop.left)) \(p.crop.height)x\(p.crop.width)" + (p.cropUsedFallback ? " centre" : "")
    }
}
