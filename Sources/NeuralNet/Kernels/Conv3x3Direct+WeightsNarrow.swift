import Core

extension Conv3x3Direct {
    /// The weight gradient of `accumulateWeightGradient(padded:…)` with the narrow register
    /// tile (`RegisterTile.narrow`): same contract, identical results.
    ///
    /// The wide tile holds 2 output channels x 9 taps of `SIMD16` (18 accumulators, 36 AVX2
    /// registers). Here one output channel's 9 taps are computed one 8-lane half at a time
    /// (9 `SIMD8` accumulators, 12 AVX2 registers with the operands): lane `l` of a half
    /// sums exactly the pixels, in exactly the order, that lane `l` (or `l + 8`) of the wide
    /// tile's `SIMD16` sums, and the two halves are joined before the same lane reduction.
    static func accumulateWeightGradientNarrow(padded: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int,
                                               dy: UnsafePointer<Float>, outChannels: Int,
                                               dw: UnsafeMutablePointer<Float>) {
        let pw = width + 2, plane = (height + 2) * pw, pixels = height * width
        for co in 0 ..< outChannels {
            let gradient = dy + co * pixels
            for ci in 0 ..< inChannels {
                let src = padded + ci * plane
                let lower = halfTaps(src, gradient, pw: pw, height: height, width: width, lane: 0)
                let upper = halfTaps(src, gradient, pw: pw, height: height, width: width, lane: 8)
                let d = dw + (co * inChannels + ci) * 9
                for tap in 0 ..< 9 { d[tap] += SIMD16(lowHalf: lower[tap], highHalf: upper[tap]).laneSum() }
            }
        }
    }

    /// The 9 taps' sums for lanes `lane ..< lane + 8` of every 16-pixel chunk of one
    /// (output, input) channel pair, in the wide tile's order: two output rows per pass
    /// (row y's products before row y + 1's for each tap), then an odd last row.
    @inline(__always)
    private static func halfTaps(_ src: UnsafePointer<Float>, _ g: UnsafePointer<Float>, pw: Int, height: Int,
                                 width: Int, lane: Int) -> NineTaps {
        var p0 = SIMD8<Float>(), p1 = SIMD8<Float>(), p2 = SIMD8<Float>()
        var p3 = SIMD8<Float>(), p4 = SIMD8<Float>(), p5 = SIMD8<Float>()
        var p6 = SIMD8<Float>(), p7 = SIMD8<Float>(), p8 = SIMD8<Float>()
        var y = 0
        while y + 2 <= height {
            var x = lane
            while x < width {
                let a = g.simd8(y * width + x), b = g.simd8((y + 1) * width + x)
                let r0 = src + y * pw + x, r1 = r0 + pw, r2 = r1 + pw, r3 = r2 + pw
                var v = r0.simd8(); p0 = p0.addingProduct(a, v)
                v = r0.simd8(1); p1 = p1.addingProduct(a, v)
                v = r0.simd8(2); p2 = p2.addingProduct(a, v)
                v = r1.simd8(); p3 = p3.addingProduct(a, v); p0 = p0.addingProduct(b, v)
                v = r1.simd8(1); p4 = p4.addingProduct(a, v); p1 = p1.addingProduct(b, v)
                v = r1.simd8(2); p5 = p5.addingProduct(a, v); p2 = p2.addingProduct(b, v)
                v = r2.simd8(); p6 = p6.addingProduct(a, v); p3 = p3.addingProduct(b, v)
                v = r2.simd8(1); p7 = p7.addingProduct(a, v); p4 = p4.addingProduct(b, v)
                v = r2.simd8(2); p8 = p8.addingProduct(a, v); p5 = p5.addingProduct(b, v)
                v = r3.simd8(); p6 = p6.addingProduct(b, v)
                v = r3.simd8(1); p7 = p7.addingProduct(b, v)
                v = r3.simd8(2); p8 = p8.addingProduct(b, v)
                x += 16
            }
            y += 2
        }
        while y < height {
            var x = lane
            while x < width {
                let d = g.simd8(y * width + x)
                let r0 = src + y * pw + x, r1 = r0 + pw, r2 = r1 + pw
                p0 = p0.addingProduct(d, r0.simd8()); p1 = p1.addingProduct(d, r0.simd8(1))
                p2 = p2.addingProduct(d, r0.simd8(2)); p3 = p3.addingProduct(d, r1.simd8())
                p4 = p4.addingProduct(d, r1.simd8(1)); p5 = p5.addingProduct(d, r1.simd8(2))
                p6 = p6.addingProduct(d, r2.simd8()); p7 = p7.addingProduct(d, r2.simd8(1))
                p8 = p8.addingProduct(d, r2.simd8(2))
                x += 16
            }
            y += 1
        }
        return NineTaps(p0, p1, p2, p3, p4, p5, p6, p7, p8)
    }
}

/// The 9 taps' partial sums of one 8-lane half, as a value (no allocation).
struct NineTaps {
    private let t: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                    SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

    @inline(__always)
    init(_ t0: SIMD8<Float>, _ t1: SIMD8<Float>, _ t2: SIMD8<Float>, _ t3: SIMD8<Float>, _ t4: SIMD8<Float>,
         _ t5: SIMD8<Float>, _ t6: SIMD8<Float>, _ t7: SIMD8<Float>, _ t8: SIMD8<Float>) {
        t = (t0, t1, t2, t3, t4, t5, t6, t7, t8)
    }

    @inline(__always)
    subscript(tap: Int) -> SIMD8<Float> {
        switch tap {
        case 0: t.0
        case 1: t.1
        case 2: t.2
        case 3: t.3
        case 4: t.4
        case 5: t.5
        case 6: t.6
        case 7: t.7
        default: t.8
        }
    }
}
