import Foundation

/// The shape of a point marker in line charts and scatter plots.
public enum MarkerShape: String, CaseIterable, Sendable {
    case circle, square, triangleUp, diamond, cross, plus, triangleDown, hexagon

    /// Eight shapes that stay distinct at small sizes, in the order classes get them.
    public static let cycle: [MarkerShape] = [.circle, .square, .triangleUp, .diamond, .cross, .plus, .triangleDown, .hexagon]

    /// The `index`-th shape of `cycle`, wrapping around.
    public static func shape(_ index: Int) -> MarkerShape {
        cycle[((index % cycle.count) + cycle.count) % cycle.count]
    }
}

extension Canvas {
    /// Draws a point marker.
    ///
    /// Shapes are sized to cover about the same area as a circle of diameter `size`, so
    /// that no class looks heavier than another.
    ///
    /// - Parameters:
    ///   - shape: the marker shape.
    ///   - center: the data point (logical).
    ///   - size: nominal diameter in logical units.
    ///   - color: fill colour (alpha respected).
    ///   - edge: an optional outline colour, drawn `edgeWidth` thick inside the shape's edge
    ///     (a thin white edge keeps overlapping points apart).
    ///   - edgeWidth: outline width in logical units.
    public mutating func marker(_ shape: MarkerShape, at center: Point, size: Double, _ color: Color,
                                edge: Color? = nil, edgeWidth: Double = 1) {
        guard center.x.isFinite, center.y.isFinite, size > 0 else { return }
        let s = Float(scale)
        let cx = Float(center.x) * s, cy = Float(center.y) * s
        let r = Float(size) * s / 2
        let reach = Double(r * 1.6 + 2)
        let box = PixelBox(x0: PixelBox.coordinate(Double(cx) - reach, .down), y0: PixelBox.coordinate(Double(cy) - reach, .down),
                           x1: PixelBox.coordinate(Double(cx) + reach, .up), y1: PixelBox.coordinate(Double(cy) + reach, .up))
        let sdf = Canvas.signedDistance(shape, radius: r, strokeHalfWidth: max(0.9 * s, r * 0.22))
        if let edge {
            let ew = Float(edgeWidth) * s
            blend(in: box, edge) { x, y in 0.5 - sdf(x - cx, y - cy) }
            blend(in: box, color) { x, y in min(max(0.5 - (sdf(x - cx, y - cy) + ew), 0), 1) }
        } else {
            blend(in: box, color) { x, y in 0.5 - sdf(x - cx, y - cy) }
        }
    }

    /// The signed distance (negative inside, device pixels) from a point relative to the
    /// marker centre to the marker's outline; exact for the circle, a close bound for the
    /// polygons, which is all antialiasing needs.
    static func signedDistance(_ shape: MarkerShape, radius r: Float, strokeHalfWidth t: Float) -> (Float, Float) -> Float {
        switch shape {
        case .circle:
            return { x, y in (x * x + y * y).squareRoot() - r }
        case .square:
            let h = r * 0.886  // same area as the circle: side = r * sqrt(pi)
            return { x, y in max(abs(x), abs(y)) - h }
        case .diamond:
            let h = r * 1.2533  // half-diagonal with the circle's area
            return { x, y in (abs(x) + abs(y) - h) * 0.7071 }
        case .triangleUp, .triangleDown:
            // Equilateral, centroid at the centre; circumradius with the circle's area is 1.555 r,
            // drawn a little smaller because a triangle's corners read as large.
            let big = r * 1.4, inner = big / 2
            let flip: Float = shape == .triangleUp ? 1 : -1
            return { x, y in
                let yy = y * flip
                return max(yy - inner, max(0.866 * x - 0.5 * yy, -0.866 * x - 0.5 * yy) - inner)
            }
        case .hexagon:
            let h = r * 0.952  // inradius with the circle's area
            return { x, y in
                let ax = abs(x), ay = abs(y)
                return max(ax, 0.5 * ax + 0.866 * ay) - h
            }
        case .cross, .plus:
            let arm = r * (shape == .cross ? 0.95 : 1.1)
            return { x, y in
                var u = x, v = y
                if shape == .cross { u = (x - y) * 0.7071; v = (x + y) * 0.7071 }
                // Union of two bars: distance to the nearer one.
                let bar1 = max(abs(u) - arm, abs(v) - t)
                let bar2 = max(abs(v) - arm, abs(u) - t)
                return min(bar1, bar2)
            }
        }
    }
}
