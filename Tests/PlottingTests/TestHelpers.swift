@testable import Plotting

extension Canvas {
    /// Device pixels inside `box` (x0..<x1, y0..<y1) that are not white.
    func inkCount(x0: Int = 0, y0: Int = 0, x1: Int? = nil, y1: Int? = nil) -> Int {
        var n = 0
        for y in max(y0, 0) ..< min(y1 ?? pixelHeight, pixelHeight) {
            for x in max(x0, 0) ..< min(x1 ?? pixelWidth, pixelWidth) where pixel(x: x, y: y) != .white { n += 1 }
        }
        return n
    }

    /// Non-white device pixels inside a logical rectangle.
    func inkCount(in r: Rect) -> Int {
        let b = pixelBox(r)
        return inkCount(x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1)
    }

    /// Device pixels of exactly `color` in the whole canvas.
    func count(of color: Color) -> Int {
        var n = 0
        for y in 0 ..< pixelHeight { for x in 0 ..< pixelWidth where pixel(x: x, y: y) == color { n += 1 } }
        return n
    }

    /// The bounding box (device pixels) of non-white pixels, nil for a blank canvas.
    func inkBounds() -> PixelBox? {
        var b: PixelBox?
        for y in 0 ..< pixelHeight {
            for x in 0 ..< pixelWidth where pixel(x: x, y: y) != .white {
                if let c = b {
                    b = PixelBox(x0: min(c.x0, x), y0: min(c.y0, y), x1: max(c.x1, x + 1), y1: max(c.y1, y + 1))
                } else {
                    b = PixelBox(x0: x, y0: y, x1: x + 1, y1: y + 1)
                }
            }
        }
        return b
    }
}
