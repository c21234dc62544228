import Core
import Imaging

/// Synthetic test pictures: smooth colour gradients with noise, a grey band (r = g = b,
/// where hue is undefined), and saturated primaries (hue sector edges, clamping).
func testImage(height: Int, width: Int, seed: UInt64) -> RGBImage {
    var g = SeededGenerator(seed: seed)
    var pixels = [UInt8](repeating: 0, count: height * width * 3)
    let phase = (g.unitDouble(), g.unitDouble(), g.unitDouble())
    for y in 0 ..< height {
        for x in 0 ..< width {
            let i = (y * width + x) * 3
            let u = Double(x) / Double(width), v = Double(y) / Double(height)
            var rgb = [0.5 + 0.4 * ((u + phase.0) * 6.3).sinApprox, 0.5 + 0.4 * ((v + phase.1) * 4.1).sinApprox,
                       0.5 + 0.4 * ((u + v + phase.2) * 3.7).sinApprox]
            for c in 0 ..< 3 { rgb[c] += 0.15 * (g.unitDouble() - 0.5) }
            if y % 7 == 3 { rgb = [rgb[0], rgb[0], rgb[0]] }                // grey rows
            if x % 11 == 5 { rgb = [1, 0, Double(y % 2)] }                   // red / magenta columns
            for c in 0 ..< 3 { pixels[i + c] = UInt8(max(0, min(255, (rgb[c] * 255).rounded()))) }
        }
    }
    return RGBImage(width: width, height: height, pixels: pixels)
}

extension Double {
    /// A smooth periodic function (a sine-like parabola wave), avoiding libm in tests.
    var sinApprox: Double {
        let t = self / (2 * .pi)
        let f = t - t.rounded(.down)           // [0, 1)
        let s = f < 0.5 ? 1.0 : -1.0
        let h = f < 0.5 ? f * 2 : (f - 0.5) * 2
        return s * 4 * h * (1 - h)
    }
}
