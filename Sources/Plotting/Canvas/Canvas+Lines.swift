import Core
import Foundation

/// A dash pattern: alternating lengths of drawn and skipped stroke, in logical units.
public struct DashPattern: Equatable, Sendable {
    public var lengths: [Double]

    /// - Parameter lengths: on, off, on, off, ... (at least one positive length); an odd
    ///   count is repeated once, as in SVG, so `[4]` means 4 on, 4 off.
    public init(_ lengths: [Double]) {
        contract(lengths.contains { $0 > 0 } && !lengths.contains { $0 < 0 },
                 "DashPattern needs non-negative lengths, one of them positive")
        self.lengths = lengths.count % 2 == 1 ? lengths + lengths : lengths
    }

    /// Long dashes, for reference lines such as "chance".
    public static let dashed = DashPattern([8, 5])
    /// Short dots.
    public static let dotted = DashPattern([2, 4])
}

extension Canvas {
    /// An antialiased straight line with round ends.
    ///
    /// - Parameters:
    ///   - from: start point (logical).
    ///   - to: end point (logical).
    ///   - color: stroke colour (its alpha is respected).
    ///   - width: stroke width in logical units.
    ///   - dash: an optional dash pattern.
    public mutating func line(from: Point, to: Point, _ color: Color, width: Double = 1, dash: DashPattern? = nil) {
        polyline([from, to], color, width: width, dash: dash)
    }

    /// An antialiased connected line through `points`, joins and ends rounded.
    ///
    /// Where segments overlap the colour is applied once, so translucent lines stay
    /// even. Non-finite points break the line into separate pieces (a gap in the
    /// data).
    ///
    /// - Parameters:
    ///   - points: vertices in logical coordinates; fewer than two finite points draw nothing.
    ///   - color: stroke colour.
    ///   - width: stroke width in logical units.
    ///   - dash: an optional dash pattern; the pattern runs on along the whole line.
    public mutating func polyline(_ points: [Point], _ color: Color, width: Double = 1, dash: DashPattern? = nil) {
        let s = Double(scale)
        var pieces: [[Point]] = [[]]
        for p in points {
            if p.x.isFinite && p.y.isFinite {
                pieces[pieces.count - 1].append(Point(p.x * s, p.y * s))
            } else if !pieces[pieces.count - 1].isEmpty {
                pieces.append([])
            }
        }
        var segments: [(Point, Point)] = []
        for piece in pieces where piece.count >= 2 {
            let pairs = zip(piece, piece.dropFirst()).map { ($0, $1) }
            segments += dash.map { Canvas.dashed(pairs, Canvas.capCompensated($0.lengths.map { $0 * s }, width: width * s)) } ?? pairs
        }
        strokeSegments(segments, color, halfWidth: max(width * s, 0.5) / 2)
    }

    /// Round caps make every dash one line width longer than its piece of the pattern, so
    /// each "on" length hands up to one width over to the following gap.
    static func capCompensated(_ lengths: [Double], width: Double) -> [Double] {
        guard lengths.count >= 2 else { return lengths }
        var out = lengths
        for i in stride(from: 0, to: out.count - 1, by: 2) {
            let moved = min(width, out[i] * 0.9)
            out[i] -= moved
            out[i + 1] += moved
        }
        return out
    }

    /// Splits segments into the "on" parts of a dash pattern (device units).
    static func dashed(_ segments: [(Point, Point)], _ lengths: [Double]) -> [(Point, Point)] {
        var out: [(Point, Point)] = []
        var index = 0, left = lengths[0]
        for (a, b) in segments {
            let dx = b.x - a.x, dy = b.y - a.y
            let length = (dx * dx + dy * dy).squareRoot()
            var t = 0.0
            while t < length {
                let step = min(left, length - t)
                if index % 2 == 0 && step > 0 {
                    out.append((Point(a.x + dx * t / length, a.y + dy * t / length),
                                Point(a.x + dx * (t + step) / length, a.y + dy * (t + step) / length)))
                }
                t += step
                left -= step
                if left <= 1e-9 {
                    index = (index + 1) % lengths.count
                    left = lengths[index]
                }
            }
        }
        return out
    }

    /// Rasterises capsules (segments with round ends, device units) into one coverage mask,
    /// combined by maximum, then blends the mask once.
    mutating func strokeSegments(_ segments: [(Point, Point)], _ color: Color, halfWidth: Double) {
        let pad = halfWidth + 1
        // Cut segments to the clip box first: far-off points (data outside a fixed axis
        // range) then cost nothing and lose no precision.
        let window = (x0: Double(clipBox.x0) - pad, y0: Double(clipBox.y0) - pad,
                      x1: Double(clipBox.x1) + pad, y1: Double(clipBox.y1) + pad)
        let segments = segments.compactMap { Canvas.clip($0.0, $0.1, to: window) }
        guard !segments.isEmpty, color.a > 0 else { return }
        var lo = Point(.infinity, .infinity), hi = Point(-Double.infinity, -Double.infinity)
        for (a, b) in segments {
            lo = Point(min(lo.x, a.x, b.x), min(lo.y, a.y, b.y))
            hi = Point(max(hi.x, a.x, b.x), max(hi.y, a.y, b.y))
        }
        let box = PixelBox(x0: PixelBox.coordinate(lo.x - pad, .down), y0: PixelBox.coordinate(lo.y - pad, .down),
                           x1: PixelBox.coordinate(hi.x + pad, .up), y1: PixelBox.coordinate(hi.y + pad, .up))
            .intersection(clipBox)
        guard !box.isEmpty else { return }
        let mw = box.x1 - box.x0
        var mask = [Float](repeating: 0, count: mw * (box.y1 - box.y0))
        let hw = Float(halfWidth)
        // Thin lines are drawn at their true width with less coverage, not widened.
        let strength = min(1, 2 * hw)
        for (a, b) in segments {
            let sb = PixelBox(x0: PixelBox.coordinate(min(a.x, b.x) - pad, .down), y0: PixelBox.coordinate(min(a.y, b.y) - pad, .down),
                              x1: PixelBox.coordinate(max(a.x, b.x) + pad, .up), y1: PixelBox.coordinate(max(a.y, b.y) + pad, .up))
                .intersection(box)
            if sb.isEmpty { continue }
            let ax = Float(a.x), ay = Float(a.y)
            let dx = Float(b.x - a.x), dy = Float(b.y - a.y)
            let len2 = dx * dx + dy * dy
            mask.withUnsafeMutableBufferPointer { m in
                for y in sb.y0 ..< sb.y1 {
                    let py = Float(y) + 0.5 - ay
                    for x in sb.x0 ..< sb.x1 {
                        let px = Float(x) + 0.5 - ax
                        let t = len2 > 0 ? min(max((px * dx + py * dy) / len2, 0), 1) : 0
                        let ex = px - t * dx, ey = py - t * dy
                        let d = (ex * ex + ey * ey).squareRoot()
                        let c = min(max(hw + 0.5 - d, 0), 1) * strength
                        let i = (y - box.y0) * mw + (x - box.x0)
                        if c > m[i] { m[i] = c }
                    }
                }
            }
        }
        blend(mask: mask, in: box, color)
    }

    /// The part of segment a-b inside the window (Liang-Barsky), nil if none.
    static func clip(_ a: Point, _ b: Point, to w: (x0: Double, y0: Double, x1: Double, y1: Double)) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - w.x0), (dx, w.x1 - a.x), (-dy, a.y - w.y0), (dy, w.y1 - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
            }
        }
        guard t0 <= t1 else { return nil }
        return (Point(a.x + t0 * dx, a.y + t0 * dy), Point(a.x + t1 * dx, a.y + t1 * dy))
    }

    /// Blends `color` through a coverage mask covering `box` (device pixels, already clipped).
    mutating func blend(mask: [Float], in box: PixelBox, _ color: Color) {
        let w = pixelWidth, mw = box.x1 - box.x0
        pixels.withUnsafeMutableBufferPointer { p in
            mask.withUnsafeBufferPointer { m in
                for y in box.y0 ..< box.y1 {
                    for x in box.x0 ..< box.x1 {
                        let c = m[(y - box.y0) * mw + (x - box.x0)]
                        if c > 0 { Canvas.blend(p, (y * w + x) * 4, color, coverage: c) }
                    }
                }
            }
        }
    }

    /// Blends `color` over the pixels of `box` (device units) with the coverage that
    /// `coverage(x, y)` gives at each pixel centre (device coordinates).
    mutating func blend(in box: PixelBox, _ color: Color, coverage: (Float, Float) -> Float) {
        let b = box.intersection(clipBox)
        guard !b.isEmpty, color.a > 0 else { return }
        let w = pixelWidth
        pixels.withUnsafeMutableBufferPointer { p in
            for y in b.y0 ..< b.y1 {
                for x in b.x0 ..< b.x1 {
                    let c = coverage(Float(x) + 0.5, Float(y) + 0.5)
                    if c > 0 { Canvas.blend(p, (y * w + x) * 4, color, coverage: min(c, 1)) }
                }
            }
        }
    }
}
