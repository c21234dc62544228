import Core

extension Winograd {
    // MARK: - Filter transforms (once per call, 16 filters per vector, both cores from a few thousand filters)

    /// Filters (or channel pairs) per core below which the filter transforms run on one thread.
    static let filtersPerThread = 4096

    /// U = G g Gᵀ of every filter into `u[ξ][o][i]` (ξ = 4·row + column of the 4x4 transform),
    /// the layout the GEMMs read as 16 row-major `[outs x ins]` matrices. With `flipped`, the
    /// filters of the backward-data convolution instead: `outs = inChannels`,
    /// `ins = outChannels`, g'[ci, co] = g[co, ci] rotated by 180°.
    ///
    /// The filters of 16 consecutive `i` are transformed at once, one per vector lane, so each
    /// of the 16 results is one vector store into its matrix row (lane by lane for the last,
    /// partial vector of a row). Their taps come to the lanes by a 16 x 16 transpose of the
    /// filters' rows (`transpose16x16`): gathered one float at a time, they made the transform
    /// 2.3 % of an AVX2 build's training step.
    static func transformFilters(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                                 into u: UnsafeMutablePointer<Float>) {
        let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        let pointStride = outs * ins
        // Filter (o, i) starts at w + o · oStride + i · iStride; tap (r, c) is `tap` floats further on.
        let (oStride, iStride) = flipped ? (9, 9 * inChannels) : (9 * inChannels, 9)
        let weightCount = 9 * outChannels * inChannels
        Parallel.forChunks(outs, minimumChunk: max(1, filtersPerThread / ins)) { mine in
            // taps[16 · t + lane]: tap t of the vector's filter `lane`, transposed from the
            // filters' rows of 9 taps (read 16 floats at a time) by vector shuffles.
            Scratch.withBuffer(count: 256) { taps in
                for o in mine {
                    let row = u + o * ins
                    var i = 0
                    while i < ins {
                        let lanes = min(16, ins - i), first = w + o * oStride + i * iStride
                        // Whole vectors whose last 16-float read stays inside `w` are transposed;
                        // the others gather their taps one float at a time.
                        let transposed = lanes == 16 && (first - w) + 15 * iStride + 16 <= weightCount
                        if transposed { transpose16x16(first, sourceStride: iStride, into: taps, destinationStride: 16) }
                        transformFilter({ r, c in
                            let tap = flipped ? (2 - r) * 3 + (2 - c) : r * 3 + c
                            if transposed { return taps.simd16(16 * tap) }
                            var v = SIMD16<Float>()
                            for lane in 0 ..< lanes { v[lane] = first[tap + lane * iStride] }
                            return v
                        }, { point, value in
                            let out = row + i + point * pointStride
                            if lanes == 16 { out.store(value, at: 0) } else { for lane in 0 ..< lanes { out[lane] = value[lane] } }
                        })
                        i += 16
                    }
                }
            }
        }
    }

    /// G g Gᵀ of 16 filters, one per lane, whose taps `tap(r, c)` gives, handing each of the 16
    /// results (point ξ) to `store`.
    @inline(__always)
    static func transformFilter(_ tap: (Int, Int) -> SIMD16<Float>, _ store: (Int, SIMD16<Float>) -> Void) {
        let half = SIMD16<Float>(repeating: 0.5)
        // G g: rows combined, for each of the 3 columns; then (G g) Gᵀ: columns combined.
        // ((a + b) + c) · 1/2 rounds as the reference's 1/2·a + 1/2·b + 1/2·c does.
        @inline(__always) func column(_ c: Int) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
            let (g0, g1, g2) = (tap(0, c), tap(1, c), tap(2, c))
            return (g0, ((g0 + g1) + g2) * half, ((g0 - g1) + g2) * half, g2)
        }
        let (t0, t1, t2) = (column(0), column(1), column(2))
        @inline(__always) func emit(_ r: Int, _ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) {
            store(4 * r, a)
            store(4 * r + 1, ((a + b) + c) * half)
            store(4 * r + 2, ((a - b) + c) * half)
            store(4 * r + 3, c)
        }
        emit(0, t0.0, t1.0, t2.0)
        emit(1, t0.1, t1.1, t2.1)
        emit(2, t0.2, t1.2, t2.2)
        emit(3, t0.3, t1.3, t2.3)
    }

    /// dw = Gᵀ P G for every channel pair, P the sum of the `parts` cores' products
    /// `p[part][ξ][co][ci]` (added in part order), written to `dw [outChannels, inChannels, 3, 3]`
    /// (or added to it with `accumulate`). The additions are ordered as the reference's small
    /// matrix products. 16 consecutive pairs at a time, one per vector lane (their sums are
    /// contiguous in `p`; the last vector may be partial).
    static func transformFilterGradients(_ p: UnsafePointer<Float>, parts: Int, outChannels: Int, inChannels: Int,
                                         dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let pointStride = outChannels * inChannels, partStride = 16 * pointStride
        Parallel.forChunks(pointStride, minimumChunk: filtersPerThread) { mine in
            var pair = mine.lowerBound
            while pair < mine.upperBound {
                let lanes = min(16, mine.upperBound - pair)
                @inline(__always) func load(_ q: UnsafePointer<Float>) -> SIMD16<Float> {
                    if lanes == 16 { return q.simd16() }
                    var v = SIMD16<Float>()
                    for lane in 0 ..< lanes { v[lane] = q[lane] }
                    return v
                }
                transformFilterGradient({ r, c in
                    var sum = load(p + (4 * r + c) * pointStride + pair)
                    for part in 1 ..< parts { sum += load(p + part * partStride + (4 * r + c) * pointStride + pair) }
                    return sum
                }, { r, values in
                    for lane in 0 ..< lanes {
                        let out = dw + (pair + lane) * 9 + 3 * r
                        let v = (values.0[lane], values.1[lane], values.2[lane])
                        out[0] = accumulate ? out[0] + v.0 : v.0
                        out[1] = accumulate ? out[1] + v.1 : v.1
                        out[2] = accumulate ? out[2] + v.2 : v.2
                    }
                })
                pair += 16
            }
        }
    }

    /// Gᵀ P G of 16 4x4 sums, one per lane, whose entries `at(r, c)` gives, handing each of
    /// the 3 rows of the 3x3 results to `row`.
    @inline(__always)
    static func transformFilterGradient(_ at: (Int, Int) -> SIMD16<Float>,
                                        _ row: (Int, (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)) -> Void) {
        let half = SIMD16<Float>(repeating: 0.5)
        // Gᵀ P: the 4 rows combined into 3, for each of the 4 columns; then (Gᵀ P) G: the 4
        // columns combined into 3, for each of the 3 rows. The same three combinations both times.
        @inline(__always) func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>)
            -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
            ((a + half * b) + half * c, half * b - half * c, (half * b + half * c) + d)
        }
        let c0 = combine(at(0, 0), at(1, 0), at(2, 0), at(3, 0)), c1 = combine(at(0, 1), at(1, 1), at(2, 1), at(3, 1))
        let c2 = combine(at(0, 2), at(1, 2), at(2, 2), at(3, 2)), c3 = combine(at(0, 3), at(1, 3), at(2, 3), at(3, 3))
        row(0, combine(c0.0, c1.0, c2.0, c3.0))
        row(1, combine(c0.1, c1.1, c2.1, c3.1))
        row(2, combine(c0.2, c1.2, c2.2, c3.2))
    }
}
