import Imaging

extension Canvas {
    /// Draws `image` scaled into `rect` by nearest neighbour, so that a 32x32 CIFAR image
    /// shown at 96x96 keeps crisp pixel blocks. The image is stretched to fill the rect.
    /// - Parameters:
    ///   - image: the picture (height x width x 3 bytes).
    ///   - rect: the destination in logical coordinates; edges are rounded to device pixels.
    public mutating func draw(_ image: RGBImage, in rect: Rect) {
        let dest = pixelBox(rect)
        let b = dest.intersection(clipBox)
        guard !b.isEmpty else { return }
        let dw = dest.x1 - dest.x0, dh = dest.y1 - dest.y0
        let w = pixelWidth, iw = image.width, ih = image.height
        // Source index of a destination pixel: floor((d + 0.5) * source / dest), exact in integers.
        let columns = (b.x0 ..< b.x1).map { x in min(iw - 1, ((x - dest.x0) * 2 + 1) * iw / (2 * dw)) }
        pixels.withUnsafeMutableBufferPointer { p in
            image.pixels.withUnsafeBufferPointer { src in
                for y in b.y0 ..< b.y1 {
                    let sy = min(ih - 1, ((y - dest.y0) * 2 + 1) * ih / (2 * dh))
                    for (k, x) in (b.x0 ..< b.x1).enumerated() {
                        let si = (sy * iw + columns[k]) * 3, di = (y * w + x) * 4
                        p[di] = src[si]; p[di + 1] = src[si + 1]; p[di + 2] = src[si + 2]; p[di + 3] = 255
                    }
                }
            }
        }
    }
}
