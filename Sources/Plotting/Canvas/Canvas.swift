import Core
import Foundation
import Imaging

/// An RGBA8 raster that figures are drawn into, addressed in logical coordinates.
///
/// A canvas has a logical size (what chart layouts are computed in) and an integer
/// `scale`: a scale-2 canvas has twice as many pixels in each direction, and every
/// coordinate, line width, marker size and font size is multiplied by two, so the same
/// drawing code renders a high-resolution copy of the same figure for slides.
///
/// Pixels are stored row-major, 4 bytes per pixel (straight alpha). Drawing blends with
/// "source over". Everything is clipped to `clip` (the whole canvas unless changed with
/// `withClip`).
public struct Canvas: Sendable {
    /// Logical width and height (pixels at scale 1).
    public let width: Int
    public let height: Int
    /// Device pixels per logical unit: 1 or 2 (any positive integer works).
    public let scale: Int
    /// `pixelHeight * pixelWidth * 4` bytes, RGBA.
    public internal(set) var pixels: [UInt8]
    /// The clip rectangle in device pixels: drawing only touches pixels inside it.
    var clipBox: PixelBox

    /// Width and height in device pixels.
    public var pixelWidth: Int { width * scale }
    public var pixelHeight: Int { height * scale }
    /// The whole canvas in logical coordinates.
    public var bounds: Rect { Rect(x: 0, y: 0, width: Double(width), height: Double(height)) }

    /// A canvas filled with `background`.
    ///
    /// - Parameters:
    ///   - width: logical width, > 0.
    ///   - height: logical height, > 0.
    ///   - scale: device pixels per logical unit, 1 or 2 for slides.
    ///   - background: the initial colour of every pixel.
    public init(width: Int, height: Int, scale: Int = 1, background: Color = .white) {
        contract(width > 0 && height > 0, "Canvas needs a positive size, got \(width)x\(height)")
        contract(scale >= 1, "Canvas scale must be at least 1, got \(scale)")
        self.width = width
        self.height = height
        self.scale = scale
        let count = width * scale * height * scale
        var p = [UInt8](repeating: 0, count: count * 4)
        for i in 0 ..< count {
            p[4 * i] = background.r; p[4 * i + 1] = background.g
            p[4 * i + 2] = background.b; p[4 * i + 3] = background.a
        }
        self.pixels = p
        self.clipBox = PixelBox(x0: 0, y0: 0, x1: width * scale, y1: height * scale)
    }

    /// The colour of device pixel (`x`, `y`).
    public func pixel(x: Int, y: Int) -> Color {
        contract(x >= 0 && x < pixelWidth && y >= 0 && y < pixelHeight, "pixel (\(x), \(y)) outside the canvas")
        let i = (y * pixelWidth + x) * 4
        return Color(r: pixels[i], g: pixels[i + 1], b: pixels[i + 2], a: pixels[i + 3])
    }

    /// Runs `body` with drawing restricted to `rect` (intersected with the current clip).
    ///
    /// - Parameters:
    ///   - rect: logical rectangle; its edges are rounded to device pixels.
    ///   - body: drawing calls on the clipped canvas.
    public mutating func withClip(_ rect: Rect, _ body: (inout Canvas) throws -> Void) rethrows {
        let saved = clipBox
        clipBox = clipBox.intersection(pixelBox(rect))
        defer { clipBox = saved }
        try body(&self)
    }

    // MARK: Filling

    /// Paints every pixel inside the clip with `color` (blended when translucent).
    public mutating func fill(_ color: Color) {
        fill(clipBox, color)
    }

    /// Fills a rectangle; its edges are rounded to device pixels, so a rectangle with
    /// integer logical coordinates covers exactly `width * scale` x `height * scale` pixels.
    public mutating func fill(_ rect: Rect, _ color: Color) {
        fill(pixelBox(rect), color)
    }

    /// Strokes the outline of `rect` with lines of `lineWidth` lying inside the rectangle,
    /// so that adjacent boxes never overlap and the outline stays crisp.
    public mutating func stroke(_ rect: Rect, _ color: Color, lineWidth: Double = 1) {
        let box = pixelBox(rect)
        let t = max(1, PixelBox.coordinate(lineWidth * Double(scale)))
        guard box.x1 > box.x0, box.y1 > box.y0 else { return }
        let tx = min(t, box.x1 - box.x0), ty = min(t, box.y1 - box.y0)
        fill(PixelBox(x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y0 + ty), color)
        fill(PixelBox(x0: box.x0, y0: box.y1 - ty, x1: box.x1, y1: box.y1), color)
        fill(PixelBox(x0: box.x0, y0: box.y0 + ty, x1: box.x0 + tx, y1: box.y1 - ty), color)
        fill(PixelBox(x0: box.x1 - tx, y0: box.y0 + ty, x1: box.x1, y1: box.y1 - ty), color)
    }

    /// A crisp horizontal line from `x0` to `x1` centred on `y`, `lineWidth` logical units thick,
    /// snapped to whole device pixels (for axes, ticks and gridlines).
    public mutating func horizontalLine(y: Double, from x0: Double, to x1: Double, _ color: Color, lineWidth: Double = 1) {
        let t = max(1, PixelBox.coordinate(lineWidth * Double(scale)))
        let top = PixelBox.coordinate(y * Double(scale) - Double(t) / 2)
        let left = PixelBox.coordinate(min(x0, x1) * Double(scale)), right = PixelBox.coordinate(max(x0, x1) * Double(scale))
        fill(PixelBox(x0: left, y0: top, x1: max(right, left + 1), y1: top + t), color)
    }

    /// A crisp vertical line from `y0` to `y1` centred on `x`; see `horizontalLine`.
    public mutating func verticalLine(x: Double, from y0: Double, to y1: Double, _ color: Color, lineWidth: Double = 1) {
        let t = max(1, PixelBox.coordinate(lineWidth * Double(scale)))
        let left = PixelBox.coordinate(x * Double(scale) - Double(t) / 2)
        let top = PixelBox.coordinate(min(y0, y1) * Double(scale)), bottom = PixelBox.coordinate(max(y0, y1) * Double(scale))
        fill(PixelBox(x0: left, y0: top, x1: left + t, y1: max(bottom, top + 1)), color)
    }

    // MARK: Output

    /// The canvas composited over white as an RGB image (device pixels).
    public func rgbImage() -> RGBImage {
        let count = pixelWidth * pixelHeight
        var out = [UInt8](repeating: 0, count: count * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0 ..< count {
                    let a = UInt32(src[4 * i + 3])
                    for c in 0 ..< 3 {
                        // over white: c * a + 255 * (1 - a), in 0...255 fixed point, rounded
                        let v = UInt32(src[4 * i + c]) * a + 255 * (255 - a)
                        dst[3 * i + c] = UInt8((v + 127) / 255)
                    }
                }
            }
        }
        return RGBImage(width: pixelWidth, height: pixelHeight, pixels: out)
    }

    /// PNG bytes of the canvas composited over white (RGB, device pixels).
    public func pngData() throws -> Data {
        let image = rgbImage()
        return try PNG.encode(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
    }

    /// Writes the canvas as a PNG file atomically (a temporary file renamed into place),
    /// creating the folder if needed.
    ///
    /// - Parameter url: the destination, conventionally ending in `.png`.
    public func write(to url: URL) throws {
        try AtomicFile.write(try pngData(), to: url)
    }
}

/// A half-open box of device pixels [x0, x1) x [y0, y1).
struct PixelBox: Equatable, Sendable {
    var x0: Int, y0: Int, x1: Int, y1: Int

    /// A device coordinate as an integer, rounded by `rule`. Far-off values are clamped
    /// (they are clipped away anyway) and NaN maps far off, so that data outside a fixed
    /// axis range, or NaN, can never trap in an integer conversion.
    static func coordinate(_ v: Double, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int {
        let limit = Double(1 << 24)
        guard !v.isNaN else { return -(1 << 24) }
        return Int(min(max(v, -limit), limit).rounded(rule))
    }

    var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

    func intersection(_ o: PixelBox) -> PixelBox {
        let b = PixelBox(x0: max(x0, o.x0), y0: max(y0, o.y0), x1: min(x1, o.x1), y1: min(y1, o.y1))
        return b.isEmpty ? PixelBox(x0: 0, y0: 0, x1: 0, y1: 0) : b
    }
}

extension Canvas {
    /// The device-pixel box of a logical rectangle, edges rounded to the nearest pixel.
    func pixelBox(_ r: Rect) -> PixelBox {
        let s = Double(scale)
        return PixelBox(x0: PixelBox.coordinate(r.minX * s), y0: PixelBox.coordinate(r.minY * s),
                        x1: PixelBox.coordinate(r.maxX * s), y1: PixelBox.coordinate(r.maxY * s))
    }

    /// Fills a box of device pixels, clipped.
    mutating func fill(_ box: PixelBox, _ color: Color) {
        let b = box.intersection(clipBox)
        guard !b.isEmpty, color.a > 0 else { return }
        let w = pixelWidth
        pixels.withUnsafeMutableBufferPointer { p in
            for y in b.y0 ..< b.y1 {
                for x in b.x0 ..< b.x1 { Canvas.blend(p, (y * w + x) * 4, color, coverage: 1) }
            }
        }
    }

    /// Blends `color` at `coverage` (0...1) into the pixel at byte offset `i`, "source over"
    /// with straight alpha.
    @inline(__always)
    static func blend(_ p: UnsafeMutableBufferPointer<UInt8>, _ i: Int, _ color: Color, coverage: Float) {
        let sa = Float(color.a) / 255 * coverage
        if sa <= 0 { return }
        if sa >= 1 {
            p[i] = color.r; p[i + 1] = color.g; p[i + 2] = color.b; p[i + 3] = 255
            return
        }
        let da = Float(p[i + 3]) / 255
        let oa = sa + da * (1 - sa)
        func mix(_ s: UInt8, _ d: UInt8) -> UInt8 {
            UInt8(min(255, ((Float(s) * sa + Float(d) * da * (1 - sa)) / oa).rounded()))
        }
        p[i] = mix(color.r, p[i]); p[i + 1] = mix(color.g, p[i + 1]); p[i + 2] = mix(color.b, p[i + 2])
        p[i + 3] = UInt8(min(255, (oa * 255).rounded()))
    }
}
