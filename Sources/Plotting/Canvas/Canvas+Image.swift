import Imaging

extension Canvas {
    /// Draws `image` stretched into `rect`.
    ///
    /// Enlarging repeats source pixels (nearest neighbour), so a 32x32 CIFAR image shown
    /// at 96x96 keeps crisp 3x3 blocks; shrinking averages the source pixels that fall in
    /// each destination pixel, so a photo shown small does not shimmer.
    ///
    /// - Parameters:
    ///   - image: the picture (height x width x 3 bytes).
    ///   - rect: the destination in logical coordinates; edges are rounded to device pixels.
    public mutating func draw(_ image: RGBImage, in rect: Rect) {
        let dest = pixelBox(rect)
        let b = dest.intersection(clipBox)
        guard !b.isEmpty else { return }
        let dw = dest.x1 - dest.x0, dh = dest.y1 - dest.y0
        let iw = image.width, ih = image.height
        // Source span of destination pixel d: [d * n / m, (d + 1) * n / m), at least one pixel.
        func span(_ d: Int, _ n: Int, _ m: Int) -> Range<Int> {
            let lo = min(d * n / m, n - 1)
            return lo ..< max(lo + 1, min((d + 1) * n / m, n))
        }
        let columns = (b.x0 ..< b.x1).map { span($0 - dest.x0, iw, dw) }
        let w = pixelWidth
        pixels.withUnsafeMutableBufferPointer { p in
            image.pixels.withUnsafeBufferPointer { src in
                for y in b.y0 ..< b.y1 {
                    let rows = span(y - dest.y0, ih, dh)
                    for (k, x) in (b.x0 ..< b.x1).enumerated() {
                        let cols = columns[k]
                        var r = 0, g = 0, bl = 0
                        for sy in rows {
                            for sx in cols {
                                let si = (sy * iw + sx) * 3
                                r += Int(src[si]); g += Int(src[si + 1]); bl += Int(src[si + 2])
                            }
                        }
                        let n = rows.count * cols.count, di = (y * w + x) * 4
                        p[di] = UInt8((r + n / 2) / n); p[di + 1] = UInt8((g + n / 2) / n)
                        p[di + 2] = UInt8((bl + n / 2) / n); p[di + 3] = 255
                    }
                }
            }
        }
    }
}
