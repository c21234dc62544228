extension Kernels {
    /// Luma into all three planes: the same values as `RandomGrayscale`'s reference
    /// (torchvision's `rgb_to_grayscale` with three output channels), 16 pixels at a time.
    static func grayscale(_ rgb: UnsafeMutablePointer<Float>, count: Int) {
        let r = rgb, g = rgb + count, b = rgb + 2 * count
        var i = 0
        while i < count {
            let n = min(16, count - i)
            let grey = luma(r.simd16(i, count: n), g.simd16(i, count: n), b.simd16(i, count: n))
            r.store(grey, at: i, count: n)
            g.store(grey, at: i, count: n)
            b.store(grey, at: i, count: n)
            i += 16
        }
    }
}
