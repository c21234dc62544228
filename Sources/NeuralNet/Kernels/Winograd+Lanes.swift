import Core

extension Winograd {
    // MARK: - Rows of a plane into vector lanes

    /// `count` rows of one plane, zero-padded by `shift` rows and columns on the top and left
    /// (1 for the input tiles, 0 for the gradient tiles) and by zeros beyond the plane, each
    /// split into its even columns (`rows + r·2s`) and odd columns (`rows + r·2s + s`),
    /// s = `tiling.splitRow`.
    ///
    /// The image row is read in place, 32 floats at a time (a partial read at its end), and
    /// split by two permutes; the padding column shifts the odd source columns one lane to the
    /// right into the even padded columns. (Copying the row into a padded buffer first and
    /// reading it back one float off stalled every load on the stores it straddled.)
    ///
    /// With `affine` (the constants of the plane's channel, `ChannelAffine`), each value is
    /// read as the batch norm it stands for would have written it; the padding stays zero.
    @inline(__always)
    static func splitRows(_ plane: UnsafePointer<Float>, _ tiling: Tiling, count: Int, shift: Int,
                          into rows: UnsafeMutablePointer<Float>,
                          affine: (a: Float, b: Float, relu: Bool)? = nil) {
        let s = tiling.splitRow, width = tiling.width
        for r in 0 ..< count {
            let even = rows + r * 2 * s, odd = even + s
            let iy = r - shift
            guard iy >= 0 && iy < tiling.height else {
                zeroFloats(even, count: 2 * s)
                continue
            }
            let src = plane + iy * width
            var carry = SIMD16<Float>()
            var k = 0
            while k < s {
                let (e, o) = affine.map { f in
                    deinterleave(loadNormalizedRow(src, from: 2 * k, width: width, f),
                                 loadNormalizedRow(src, from: 2 * k + 16, width: width, f))
                } ?? deinterleave(loadRow(src, from: 2 * k, width: width), loadRow(src, from: 2 * k + 16, width: width))
                if shift == 0 {
                    even.store(e, at: k)
                    odd.store(o, at: k)
                } else {
                    // Padded column 2k + 1 is source column 2k, padded column 2k is 2k - 1.
                    odd.store(e, at: k)
                    even.store(shiftedInByOne(carry, o), at: k)
                    carry = o
                }
                k += 16
            }
        }
    }

    /// The 16 floats of a row from column `x0`, zero beyond `width`.
    @inline(__always)
    static func loadRow(_ row: UnsafePointer<Float>, from x0: Int, width: Int) -> SIMD16<Float> {
        let n = width - x0
        if n >= 16 { return row.simd16(x0) }
        if n <= 0 { return SIMD16<Float>() }
        let p = UnsafeRawPointer(row + x0)
        switch n {
        case 8: return SIMD16(lowHalf: p.loadUnaligned(as: SIMD8<Float>.self), highHalf: SIMD8())
        case 4: return SIMD16(lowHalf: SIMD8(lowHalf: p.loadUnaligned(as: SIMD4<Float>.self), highHalf: SIMD4()),
                              highHalf: SIMD8())
        default: return row.simd16(x0, count: n)
        }
    }

    /// `loadRow` with `b + a·x` (fused, and `max(·, 0)` with `relu`) applied to the values of
    /// the row; the lanes beyond `width` stay zero.
    @inline(__always)
    static func loadNormalizedRow(_ row: UnsafePointer<Float>, from x0: Int, width: Int,
                                  _ f: (a: Float, b: Float, relu: Bool)) -> SIMD16<Float> {
        let n = width - x0
        if n <= 0 { return SIMD16<Float>() }
        var v = SIMD16<Float>(repeating: f.b).addingProduct(loadRow(row, from: x0, width: width),
                                                            SIMD16<Float>(repeating: f.a))
        if f.relu { v = clampedAtZero(v) }
        if n < 16 {
            // One vector compare against the lane numbers (a literal: a static constant would
            // be initialised lazily, checked on every call).
            let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            v = SIMD16<Float>().replacing(with: v, where: lanes .< SIMD16<Int32>(repeating: Int32(n)))
        }
        return v
    }

    /// [previous[15], next[0], …, next[14]]: `next` moved up one lane, the gap filled from the
    /// vector before it (LLVM makes one permute of it).
    @inline(__always)
    static func shiftedInByOne(_ previous: SIMD16<Float>, _ next: SIMD16<Float>) -> SIMD16<Float> {
        var v = SIMD16<Float>()
        v[0] = previous[15]
        for l in 1 ..< 16 { v[l] = next[l - 1] }
        return v
    }

    /// Zeroes `count` floats, a multiple of 16 (inline: the rows are short, a call to memset
    /// costs more than the stores).
    @inline(__always)
    static func zeroFloats(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count { p.store(SIMD16<Float>(), at: i); i += 16 }
    }

    /// Copies `count` floats, in vectors of 16, 8, 4 and 2 (runs are short: a tile row of a
    /// small image is 2 to 8 tiles, an image row 4 to 32 pixels; memcpy's call costs more).
    @inline(__always)
    static func copyFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count { dst.store(src.simd16(i), at: i); i += 16 }
        if i + 8 <= count { dst.store(src.simd8(i), at: i); i += 8 }
        if i + 4 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self),
                                                        as: SIMD4<Float>.self)
            i += 4
        }
        if i + 2 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD2<Float>.self),
                                                        as: SIMD2<Float>.self)
            i += 2
        }
        if i < count { dst[i] = src[i] }
    }

    /// Stores the 32 floats even[0], odd[0], even[1], odd[1], … (LLVM makes two permutes of it).
    @inline(__always)
    static func storeInterleaved(_ even: SIMD16<Float>, _ odd: SIMD16<Float>, to p: UnsafeMutablePointer<Float>) {
        var lo = SIMD16<Float>(), hi = SIMD16<Float>()
        for l in 0 ..< 8 {
            lo[2 * l] = even[l]; lo[2 * l + 1] = odd[l]
            hi[2 * l] = even[l + 8]; hi[2 * l + 1] = odd[l + 8]
        }
        p.store(lo)
        p.store(hi, at: 16)
    }

    // MARK: - One-dimensional transforms on 16 tiles at once

    /// Bᵀ applied to (d0, d1, d2, d3): (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
    @inline(__always)
    static func inputTransform1D(_ d0: SIMD16<Float>, _ d1: SIMD16<Float>, _ d2: SIMD16<Float>, _ d3: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
    }

    /// Aᵀ applied to (m0, m1, m2, m3): ((m0 + m1) + m2, (m1 - m2) - m3).
    @inline(__always)
    static func outputTransform1D(_ m0: SIMD16<Float>, _ m1: SIMD16<Float>, _ m2: SIMD16<Float>, _ m3: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>) {
        ((m0 + m1) + m2, (m1 - m2) - m3)
    }

    /// A applied to (y0, y1): (y0, y0 + y1, y0 - y1, -y1).
    @inline(__always)
    static func outputGradientTransform1D(_ y0: SIMD16<Float>, _ y1: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        (y0, y0 + y1, y0 - y1, -y1)
    }

    /// The even and the odd lanes of 32 consecutive floats (LLVM makes two permutes of it).
    @inline(__always)
    static func deinterleave(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        for l in 0 ..< 8 {
            even[l] = lo[2 * l]; odd[l] = lo[2 * l + 1]
            even[l + 8] = hi[2 * l]; odd[l + 8] = hi[2 * l + 1]
        }
        return (even, odd)
    }

    /// Four vectors to `p`, `p + stride`, `p + 2·stride`, `p + 3·stride`.
    @inline(__always)
    static func store4(_ q: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                       _ p: UnsafeMutablePointer<Float>, stride: Int) {
        p.store(q.0, at: 0)
        p.store(q.1, at: stride)
        p.store(q.2, at: 2 * stride)
        p.store(q.3, at: 3 * stride)
    }
}
