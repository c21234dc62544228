/// SIMD forms of the colour transforms on one 3-plane image, in place. Each computes
/// the same formula as its reference (`PlanarImage.brightnessAdjusted` etc.); results
/// differ only by float rounding (fused multiply-adds, summation order).
extension Kernels {
    /// Planes r, g, b of `count` pixels each, consecutive in memory.
    @inline(__always)
    static func luma(_ r: Vector, _ g: Vector, _ b: Vector) -> Vector {
        Luma.red * r + Luma.green * g + Luma.blue * b
    }

    /// `clamp(factor * v)` over all 3 x `count` values.
    static func brightness(_ rgb: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
        let total = 3 * count
        var i = 0
        while i < total {
            let n = min(16, total - i)
            storeVector(clamp01(factor * loadVector(rgb + i, n)), rgb + i, n)
            i += 16
        }
    }

    /// Blend with the image's mean luma. The mean sums 16 lanes in float over blocks of
    /// 1,024 pixels and the blocks in double, so its error stays near float precision
    /// even at 256 x 256.
    static func contrast(_ rgb: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
        let r = rgb, g = rgb + count, b = rgb + 2 * count
        var total = 0.0
        var i = 0
        while i < count {
            let end = min(i + 1024, count)
            var acc = Vector()
            while i < end {
                let n = min(16, end - i)
                acc += luma(loadVector(r + i, n), loadVector(g + i, n), loadVector(b + i, n))
                i += 16
            }
            total += Double(acc.sum())
        }
        let mean = Float(total / Double(count))
        let offset = (1 - factor) * mean
        let all = 3 * count
        i = 0
        while i < all {
            let n = min(16, all - i)
            storeVector(clamp01(factor * loadVector(rgb + i, n) + offset), rgb + i, n)
            i += 16
        }
    }

    /// Blend every pixel with its own luma.
    static func saturation(_ rgb: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
        let r = rgb, g = rgb + count, b = rgb + 2 * count
        let rest = 1 - factor
        var i = 0
        while i < count {
            let n = min(16, count - i)
            let vr = loadVector(r + i, n), vg = loadVector(g + i, n), vb = loadVector(b + i, n)
            let grey = rest * luma(vr, vg, vb)
            storeVector(clamp01(factor * vr + grey), r + i, n)
            storeVector(clamp01(factor * vg + grey), g + i, n)
            storeVector(clamp01(factor * vb + grey), b + i, n)
            i += 16
        }
    }

    /// Luma into all three planes.
    static func grayscale(_ rgb: UnsafeMutablePointer<Float>, count: Int) {
        let r = rgb, g = rgb + count, b = rgb + 2 * count
        var i = 0
        while i < count {
            let n = min(16, count - i)
            let grey = luma(loadVector(r + i, n), loadVector(g + i, n), loadVector(b + i, n))
            storeVector(grey, r + i, n)
            storeVector(grey, g + i, n)
            storeVector(grey, b + i, n)
            i += 16
        }
    }

    /// The drawn jitter, operations in their drawn order.
    static func jitter(_ p: JitterParameters, _ rgb: UnsafeMutablePointer<Float>, count: Int) {
        for operation in p.order {
            guard let f = p.factor(operation) else { continue }
            switch operation {
            case .brightness: brightness(rgb, count: count, factor: f)
            case .contrast: contrast(rgb, count: count, factor: f)
            case .saturation: saturation(rgb, count: count, factor: f)
            case .hue: hue(rgb, count: count, shift: f)
            }
        }
    }
}
