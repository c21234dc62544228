import Core
import Foundation
import Imaging

/// torchvision's RGB <-> HSV conversions on tensors (`_rgb2hsv`, `_hsv2rgb` in
/// `_functional_tensor.py`), one pixel at a time; all components in [0, 1].
public enum HSV {
    /// RGB to (hue, saturation, value). Grey pixels (max = min) get hue 0 and
    /// saturation 0 without dividing by zero, as torchvision arranges.
    public static func fromRGB(_ r: Float, _ g: Float, _ b: Float) -> (h: Float, s: Float, v: Float) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        let grey = maxc == minc
        let chroma = maxc - minc
        let s = chroma / (grey ? 1 : maxc)
        let divisor = grey ? 1 : chroma
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        // Which channel is the maximum picks the 120-degree sector; ties go to red, then green.
        let h: Float
        if maxc == r {
            h = bc - gc
        } else if maxc == g {
            h = 2 + rc - bc
        } else {
            h = 4 + gc - rc
        }
        return (fmodf(h / 6 + 1, 1), s, maxc)
    }

    /// (hue, saturation, value) back to RGB; p, q, t are clamped to [0, 1] as in torchvision.
    public static func toRGB(_ h: Float, _ s: Float, _ v: Float) -> (r: Float, g: Float, b: Float) {
        let i = (h * 6).rounded(.down)
        let f = h * 6 - i
        let p = min(max(v * (1 - s), 0), 1)
        let q = min(max(v * (1 - s * f), 0), 1)
        let t = min(max(v * (1 - s * (1 - f)), 0), 1)
        switch Int(i) % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }

    /// torch's `remainder(x, 1)` for a float: the result takes the divisor's sign, so a
    /// hue pushed below 0 wraps to just under 1.
    @inline(__always)
    static func wrap(_ x: Float) -> Float {
        var m = fmodf(x, 1)
        if m != 0 && m < 0 { m += 1 }
        return m
    }
}

extension PlanarImage {
    /// torchvision's `adjust_hue`: to HSV, rotate the hue by `shift` turns, back to RGB.
    /// - Parameter shift: in [-0.5, 0.5]; 0.5 swaps every colour for its complement.
    public func hueAdjusted(_ shift: Float) -> PlanarImage {
        contract(channels == 3, "hueAdjusted needs an RGB image")
        contract(abs(shift) <= 0.5, "hueAdjusted: shift \(shift) is outside [-0.5, 0.5]")
        var out = self
        for y in 0 ..< height {
            for x in 0 ..< width {
                let hsv = HSV.fromRGB(self[0, y, x], self[1, y, x], self[2, y, x])
                let rgb = HSV.toRGB(HSV.wrap(hsv.h + shift), hsv.s, hsv.v)
                out[0, y, x] = rgb.r
                out[1, y, x] = rgb.g
                out[2, y, x] = rgb.b
            }
        }
        return out
    }
}
