import Core
import Imaging

/// The luma weights torchvision's `rgb_to_grayscale` uses on tensors.
///
/// They are 0.2989, 0.587, 0.114 (ITU-R 601, with red written to four places: 0.299 would
/// miss the fixture by 1e-4 on bright pixels). Contrast and saturation blend towards this
/// grey too.
public enum Luma {
    public static let red: Float = 0.2989
    public static let green: Float = 0.587
    public static let blue: Float = 0.114

    /// The grey value of one pixel.
    @inline(__always)
    public static func of(_ r: Float, _ g: Float, _ b: Float) -> Float {
        red * r + green * g + blue * b
    }
}

/// torchvision's `_blend`: `ratio * a + (1 - ratio) * b`, clamped to [0, 1].
@inline(__always)
func blend(_ a: Float, _ b: Float, ratio: Float) -> Float {
    min(max(ratio * a + (1 - ratio) * b, 0), 1)
}

extension PlanarImage {
    /// The luma of every pixel: one plane of `height * width` values.
    public func lumaPlane() -> [Float] {
        contract(channels == 3, "lumaPlane needs an RGB image")
        var out = [Float](repeating: 0, count: height * width)
        for y in 0 ..< height {
            for x in 0 ..< width {
                out[y * width + x] = Luma.of(self[0, y, x], self[1, y, x], self[2, y, x])
            }
        }
        return out
    }

    /// torchvision's `rgb_to_grayscale(num_output_channels=3)`: the luma in all three channels.
    public func grayscaled() -> PlanarImage {
        let luma = lumaPlane()
        return PlanarImage(channels: 3, height: height, width: width, data: luma + luma + luma)
    }

    /// torchvision's `adjust_brightness`: blend with black, i.e. `clamp(factor * v)`.
    /// - Parameter factor: 0 gives black, 1 the original, 2 twice as bright.
    public func brightnessAdjusted(_ factor: Float) -> PlanarImage {
        var out = self
        for i in out.data.indices { out.data[i] = blend(data[i], 0, ratio: factor) }
        return out
    }

    /// torchvision's `adjust_contrast`: blend with the mean of the greyscale image
    /// (one number for the whole image).
    ///
    /// - Parameter factor: 0 gives a uniform grey, 1 the original.
    public func contrastAdjusted(_ factor: Float) -> PlanarImage {
        var total = 0.0
        for v in lumaPlane() { total += Double(v) }
        let mean = Float(total / Double(height * width))
        var out = self
        for i in out.data.indices { out.data[i] = blend(data[i], mean, ratio: factor) }
        return out
    }

    /// torchvision's `adjust_saturation`: blend each pixel with its own grey.
    /// - Parameter factor: 0 gives the greyscale image, 1 the original, 2 doubly saturated.
    public func saturationAdjusted(_ factor: Float) -> PlanarImage {
        let luma = lumaPlane()
        var out = self
        let plane = height * width
        for c in 0 ..< 3 {
            for i in 0 ..< plane {
                out.data[c * plane + i] = blend(data[c * plane + i], luma[i], ratio: factor)
            }
        }
        return out
    }
}
