import Core

/// An 8-bit RGB image, stored row-major with interleaved channels (height x width x 3),
/// the layout decoders produce and PNG files store.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `height * width * 3` bytes: pixel (y, x) channel c is at `(y * width + x) * 3 + c`.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        contract(width > 0 && height > 0, "an image needs a positive size")
        contract(pixels.count == width * height * 3,
                 "RGBImage: \(pixels.count) bytes for \(width)x\(height)x3")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A solid image.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
        var p = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0 ..< width * height {
            p[3 * i] = fill.0; p[3 * i + 1] = fill.1; p[3 * i + 2] = fill.2
        }
        self.init(width: width, height: height, pixels: p)
    }

    /// The pixel at row `y`, column `x`.
    public subscript(y: Int, x: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Channel-planar floats in [0, 1] (3 x height x width), as torchvision's `ToTensor`.
    public func planarFloats() -> [Float] {
        let plane = width * height
        var out = [Float](repeating: 0, count: 3 * plane)
        for i in 0 ..< plane {
            for c in 0 ..< 3 { out[c * plane + i] = Float(pixels[3 * i + c]) / 255 }
        }
        return out
    }

    /// The inverse of `planarFloats`: values are clamped to [0, 1] and rounded.
    public init(planar: [Float], width: Int, height: Int) {
        let plane = width * height
        contract(planar.count == 3 * plane, "RGBImage(planar:): wrong element count")
        var p = [UInt8](repeating: 0, count: 3 * plane)
        for i in 0 ..< plane {
            for c in 0 ..< 3 {
                let v = min(max(planar[c * plane + i], 0), 1)
                p[3 * i + c] = UInt8((v * 255).rounded())
            }
        }
        self.init(width: width, height: height, pixels: p)
    }
}
