extension Kernels {
    /// `PlanarImage.hueAdjusted` on 16 pixels at a time, branch-free: the channel
    /// comparisons become lane masks and each `if` a `replacing(with:where:)`.
    ///
    /// Two rewrites keep it exact rather than approximate: torch's `fmod(h/6 + 1, 1)` is
    /// "subtract 1 if >= 1" because h/6 + 1 lies in [5/6, 11/6], and `floor(6h)` is the
    /// number of thresholds 1 ... 5 that 6h reaches, so the sector masks are nested and
    /// replacing in order 1 ... 5 leaves each lane with its own sector's values.
    static func hue(_ rgb: UnsafeMutablePointer<Float>, count: Int, shift: Float) {
        let rp = rgb, gp = rgb + count, bp = rgb + 2 * count
        let one = Vector(repeating: 1)
        var i = 0
        while i < count {
            let n = min(16, count - i)
            let r = loadVector(rp + i, n), g = loadVector(gp + i, n), b = loadVector(bp + i, n)

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
            storeVector(outR, rp + i, n)
            storeVector(outG, gp + i, n)
            storeVector(outB, bp + i, n)
            i += 16
        }
    }
}
