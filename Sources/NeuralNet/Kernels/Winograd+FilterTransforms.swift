import Core

extension Winograd {
    // MARK: - Filter transforms (once per call, scalar, both cores from a few thousand filters)

    /// Filters (or channel pairs) per core below which the filter transforms run on one thread.
    static let filtersPerThread = 4096

    /// U = G g Gᵀ of every filter into `u[ξ][o][i]` (ξ = 4·row + column of the 4x4 transform),
    /// the layout the GEMMs read as 16 row-major `[outs x ins]` matrices. With `flipped`, the
    /// filters of the backward-data convolution instead: `outs = inChannels`,
    /// `ins = outChannels`, g'[ci, co] = g[co, ci] rotated by 180°.
    static func transformFilters(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                                 into u: UnsafeMutablePointer<Float>) {
        let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        let pointStride = outs * ins
        Parallel.forChunks(outs, minimumChunk: max(1, filtersPerThread / ins)) { mine in
            for o in mine {
                for i in 0 ..< ins {
                    let filter = flipped ? w + (i * inChannels + o) * 9 : w + (o * inChannels + i) * 9
                    @inline(__always) func tap(_ r: Int, _ c: Int) -> Float {
                        flipped ? filter[(2 - r) * 3 + (2 - c)] : filter[r * 3 + c]
                    }
                    // G g: rows combined, for each of the 3 columns; then (G g) Gᵀ: columns combined.
                    // ((a + b) + c) · 1/2 rounds as the reference's 1/2·a + 1/2·b + 1/2·c does.
                    var t = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
                    for c in 0 ..< 3 {
                        let (g0, g1, g2) = (tap(0, c), tap(1, c), tap(2, c))
                        let column = SIMD4<Float>(g0, ((g0 + g1) + g2) * 0.5, ((g0 - g1) + g2) * 0.5, g2)
                        switch c {
                        case 0: t.0 = column
                        case 1: t.1 = column
                        default: t.2 = column
                        }
                    }
                    let out = u + o * ins + i
                    for r in 0 ..< 4 {
                        let (a, b, c) = (t.0[r], t.1[r], t.2[r])
                        out[(4 * r + 0) * pointStride] = a
                        out[(4 * r + 1) * pointStride] = ((a + b) + c) * 0.5
                        out[(4 * r + 2) * pointStride] = ((a - b) + c) * 0.5
                        out[(4 * r + 3) * pointStride] = c
                    }
                }
            }
        }
    }

    /// dw = Gᵀ P G for every channel pair, P the sum of the `parts` cores' products
    /// `p[part][ξ][co][ci]` (added in part order), written to `dw [outChannels, inChannels, 3, 3]`
    /// (or added to it with `accumulate`). The additions are ordered as the reference's small
    /// matrix products.
    static func transformFilterGradients(_ p: UnsafePointer<Float>, parts: Int, outChannels: Int, inChannels: Int,
                                         dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let pointStride = outChannels * inChannels, partStride = 16 * pointStride
        Parallel.forChunks(pointStride, minimumChunk: filtersPerThread) { mine in
            for pair in mine {
                @inline(__always) func at(_ r: Int, _ c: Int) -> Float {
                    var sum = p[(4 * r + c) * pointStride + pair]
                    for part in 1 ..< parts { sum += p[part * partStride + (4 * r + c) * pointStride + pair] }
                    return sum
                }
                // Gᵀ P: the 4 rows combined into 3, for each of the 4 columns.
                var q = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
                for c in 0 ..< 4 {
                    let (p0, p1, p2, p3) = (at(0, c), at(1, c), at(2, c), at(3, c))
                    q.0[c] = (p0 + 0.5 * p1) + 0.5 * p2
                    q.1[c] = 0.5 * p1 - 0.5 * p2
                    q.2[c] = (0.5 * p1 + 0.5 * p2) + p3
                }
                // (Gᵀ P) G: the 4 columns combined into 3, for each of the 3 rows.
                let out = dw + pair * 9
                for r in 0 ..< 3 {
                    let row = r == 0 ? q.0 : (r == 1 ? q.1 : q.2)
                    let values = ((row[0] + 0.5 * row[1]) + 0.5 * row[2], 0.5 * row[1] - 0.5 * row[2],
                                  (0.5 * row[1] + 0.5 * row[2]) + row[3])
                    out[3 * r] = accumulate ? out[3 * r] + values.0 : values.0
                    out[3 * r + 1] = accumulate ? out[3 * r + 1] + values.1 : values.1
                    out[3 * r + 2] = accumulate ? out[3 * r + 2] + values.2 : values.2
                }
            }
        }
    }
}
