/// SIMD forms of the colour transforms on one 3-plane image (planes r, g, b of `count`
/// pixels each, consecutive in memory), in place. Each computes
/// the same formula as its reference (`PlanarImage.brightnessAdjusted` etc.); results
/// differ only by float rounding (fused multiply-adds, summation order).
extension Kernels {
    /// `Luma.of` on 16 pixels; the weights are written out because `Luma`'s constants
    /// live in another file (a call per use in a debug build).
    @inline(__always)
    static func luma(_ r: Vector, _ g: Vector, _ b: Vector) -> Vector {
        0.2989 * r + 0.587 * g + 0.114 * b
    }

    /// `clamp(factor * v)` over all 3 x `count` values.
    static func brightness(_ rgb: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
        let total = 3 * count
        var i = 0
        while i < total {
            let n = min(16, total - i)
            rgb.store(clamp01(factor * rgb.simd16(i, count: n)), at: i, count: n)
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
                acc += luma(r.simd16(i, count: n), g.simd16(i, count: n), b.simd16(i, count: n))
                i += 16
            }
            total += Double(acc.laneSum())
        }
        let mean = Float(total / Double(count))
        let offset = (1 - factor) * mean
        let all = 3 * count
        i = 0
        while i < all {
            let n = min(16, all - i)
            rgb.store(clamp01(factor * rgb.simd16(i, count: n) + offset), at: i, count: n)
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
            let vr = r.simd16(i, count: n), vg = g.simd16(i, count: n), vb = b.simd16(i, count: n)
            let grey = rest * luma(vr, vg, vb)
            r.store(clamp01(factor * vr + grey), at: i, count: n)
            g.store(clamp01(factor * vg + grey), at: i, count: n)
            b.store(clamp01(factor * vb + grey), at: i, count: n)
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

    /// `PlanarImage.hueAdjusted` on 16 pixels at a time, branch-free: the channel
    /// comparisons become lane masks and each `if` a `replacing(with:where:)`.
    ///
    /// Two rewrites keep it exact rather than approximate: torch's `fmod(h/6 + 1, 1)` is
    /// "subtract 1 if >= 1" because h/6 + 1 lies in [5/6, 11/6], and `floor(6h)` is the
    /// number of thresholds 1 ... 5 that 6h reaches, so the sector masks are nested and
    /// replacing in order 1 ... 5 leaves each lane with its own sector's values. (A hue
    /// that wraps to exactly 1 lands in sector 5 with f = 1 here and in torch's sector 0
    /// with f = 0; both give (v, p, p), the same colour.)
    static func hue(_ rgb: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        let rp = rgb, gp = rgb + count, bp = rgb + 2 * count
        let one = Vector(repeating: 1)
        var i = 0
        while i < count {
            let n = min(16, count - i)
            let r = rp.simd16(i, count: n), g = gp.simd16(i, count: n), b = bp.simd16(i, count: n)

            // RGB -> HSV (torchvision's _rgb2hsv).
            var maxc = r.replacing(with: g, where: g .> r)
            maxc.replace(with: b, where: b .> maxc)
            var minc = r.replacing(with: g, where: g .< r)
            minc.replace(with: b, where: b .< minc)
            let grey = maxc .== minc
            let chroma = maxc - minc
            let s = chroma / maxc.replacing(with: one, where: grey)
            let divisor = chroma.replacing(with: one, where: grey)
            let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
            var h = 4 + gc - rc
            h.replace(with: 2 + rc - bc, where: maxc .== g)
            h.replace(with: bc - gc, where: maxc .== r)
            h = h / 6 + 1
            h.replace(with: h - 1, where: h .>= 1)

            // Rotate, wrapping into [0, 1) as torch's remainder does.
            h += shift
            h.replace(with: h - 1, where: h .>= 1)
            h.replace(with: h + 1, where: h .< 0)

            // HSV -> RGB (torchvision's _hsv2rgb).
            let v = maxc
            let h6 = h * 6
            let m1 = h6 .>= 1, m2 = h6 .>= 2, m3 = h6 .>= 3, m4 = h6 .>= 4, m5 = h6 .>= 5
            var sector = Vector()
            sector.replace(with: 1, where: m1)
            sector.replace(with: 2, where: m2)
            sector.replace(with: 3, where: m3)
            sector.replace(with: 4, where: m4)
            sector.replace(with: 5, where: m5)
            let f = h6 - sector
            let p = clamp01(v * (1 - s))
            let q = clamp01(v * (1 - s * f))
            let t = clamp01(v * (1 - s * (1 - f)))
            // Sector k's (r, g, b): 0 (v,t,p) 1 (q,v,p) 2 (p,v,t) 3 (p,q,v) 4 (t,p,v) 5 (v,p,q).
            var outR = v, outG = t, outB = p
            outR.replace(with: q, where: m1); outG.replace(with: v, where: m1)
            outR.replace(with: p, where: m2); outB.replace(with: t, where: m2)
            outG.replace(with: q, where: m3); outB.replace(with: v, where: m3)
            outR.replace(with: t, where: m4); outG.replace(with: p, where: m4)
            outR.replace(with: v, where: m5); outB.replace(with: q, where: m5)
            rp.store(outR, at: i, count: n)
            gp.store(outG, at: i, count: n)
            bp.store(outB, at: i, count: n)
            i += 16
        }
    }
}

// MARK: - Vector helpers

/// torch's `clamp(0, 1)`, lane by lane.
// Transparent rather than inline(__always): the hue kernel is large enough that the
// optimizer's inliner declines an always-inline callee there.
@_transparent
private func clamp01(_ v: Vector) -> Vector {
    v.replacing(with: 0, where: v .< 0).replacing(with: 1, where: v .> 1)
}
