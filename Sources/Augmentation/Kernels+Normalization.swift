extension Kernels {
    /// `(v - mean[c]) / std[c]` in place on a 3 x `count` image.
    static func normalize(_ rgb: UnsafeMutablePointer<Float>, count: Int, _ n: Normalization) {
        for c in 0 ..< 3 {
            let p = rgb + c * count
            let mean = n.mean[c], std = n.std[c]
            var i = 0
            while i < count {
                let m = min(16, count - i)
                p.store((p.simd16(i, count: m) - mean) / std, at: i, count: m)
                i += 16
            }
        }
    }
}
