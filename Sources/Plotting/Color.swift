import Foundation

/// An 8-bit RGBA colour with straight (not premultiplied) alpha.
public struct Color: Equatable, Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public var a: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
        self.r = r
        self.g = g
        self.b = b
        self.a = a
    }

    /// A colour from a 24-bit value such as `0x1F77B4`.
    public init(hex: UInt32, alpha: UInt8 = 255) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF), a: alpha)
    }

    /// The same colour with opacity `opacity` in [0, 1] (multiplied into the current alpha).
    public func opacity(_ opacity: Double) -> Color {
        var c = self
        c.a = UInt8((Double(a) * min(max(opacity, 0), 1)).rounded())
        return c
    }

    /// The colour `t` of the way from `self` to `other` (t in [0, 1]), channel by channel.
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(max(t, 0), 1)
        func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) + (Double(q) - Double(p)) * t).rounded()) }
        return Color(r: mix(r, other.r), g: mix(g, other.g), b: mix(b, other.b), a: mix(a, other.a))
    }

    /// Relative luminance in [0, 1] (sRGB, WCAG formula); used to pick readable text colours.
    public var luminance: Double {
        func linear(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.040_45 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// The colour as CSS writes it, "#1f77b4" (opaque; alpha is left out), so a page's colours
    /// can be the figures' own.
    public var cssHex: String { String(format: "#%02x%02x%02x", r, g, b) }

    /// Black or white, whichever contrasts more with this colour as a background.
    public var contrastingText: Color {
        // WCAG contrast against white is 1.05 / (L + 0.05), against black (L + 0.05) / 0.05;
        // they are equal at L ≈ 0.179.
        luminance > 0.179 ? .black : .white
    }

    public static let white = Color(r: 255, g: 255, b: 255)
    public static let black = Color(r: 0, g: 0, b: 0)
    public static let clear = Color(r: 255, g: 255, b: 255, a: 0)
    /// Text and axis ink: near-black reads softer than pure black on a projector.
    public static let ink = Color(hex: 0x222222)
    /// Secondary text (n/a markers, notes).
    public static let gray = Color(hex: 0x666666)
    /// Gridlines.
    public static let grid = Color(hex: 0xE3E3E3)
    /// Frames of plot areas and legends.
    public static let frame = Color(hex: 0x8A8A8A)
}
