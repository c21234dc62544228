import Core

/// The optimized Winograd F(2x2, 3x3) convolution (`Winograd` has the algorithm and its
/// matrices, `conv2dForwardWinogradReference` the same steps as plain loops).
///
/// The sum over input channels `M = Σ_ci U ⊙ V` is, for each of the 16 points ξ of the 4x4
/// transformed tile, a matrix product: `M_ξ[co, t] = Σ_ci U_ξ[co, ci] · V_ξ[ci, t]` over the
/// tiles t. So the filters are transformed once per call into 16 matrices `U_ξ`
/// `[outChannels x inChannels]`, the tiles of a few images into 16 matrices `V_ξ`
/// `[inChannels x tiles]`, and the blocked GEMM (`gemmSingleThread`) computes the 16 products;
/// the output transform then turns each tile's 16 products into its 2x2 outputs. The
/// transforms run 16 tiles at a time, one tile per vector lane (adjacent tiles of a row of
/// tiles), and are additions only (and halvings in the filter transforms), done in the same
/// order as the reference's small matrix products, so they round the same way; only the
/// GEMM's sums (fused multiply-adds, blocked over 256 channels) round differently.
extension Winograd {
    /// Floats of transformed tiles (16 per tile and channel, input and output channels) one
    /// core holds at a time: 1 MiB, half of its L2 cache, so the 16 GEMMs read tiles the input
    /// transform has just written and the output transform reads products still in cache.
    static let tileBudget = 1 << 18

    /// How many images to transform and multiply together: as many as the budget holds, at
    /// least one. Small images (4x4, 8x8) have only 4 or 16 tiles each; grouping them gives
    /// the GEMMs enough columns.
    static func imagesPerGroup(tilesPerImage: Int, channels: Int, images: Int) -> Int {
        max(1, min(images, tileBudget / (16 * channels * tilesPerImage)))
    }

    /// Length of one row of even (or odd) padded columns in the transforms' row buffer: room for
    /// a 16-lane load at any tile of the row and one column more.
    static func splitRowLength(width: Int) -> Int {
        ((width + 1) / 2 + 15) / 16 * 16 + 16
    }

    /// Floats of the row buffer `transformInputTiles` and `transformOutputGradientTiles` need.
    static func rowBufferCount(height: Int, width: Int) -> Int {
        let s = splitRowLength(width: width)
        return ((height + 1) / 2 * 2 + 2) * 2 * s + 2 * s
    }

    // MARK: - The three passes

    /// Same contract as `conv2dForwardReference` (and `conv2dForwardWinogradReference`), for a
    /// 3x3, stride-1, padding-1 convolution: the filters are transformed once, then the batch
    /// is split over the cores (`convolve`).
    static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        Scratch.withBuffer(count: 16 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false, into: u)
            convolve(batch: g.batch, inChannels: g.inChannels, outChannels: g.outChannels, height: g.height,
                     width: g.width, x: x, u: u, y: y)
        }
    }

    /// Same contract as `conv2dBackwardDataReference`: the forward algorithm on `dy` with the
    /// filters rotated by 180° and the channels swapped (transformed that way in one pass).
    static func backwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        Scratch.withBuffer(count: 16 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: true, into: u)
            convolve(batch: g.batch, inChannels: g.outChannels, outChannels: g.inChannels, height: g.height,
                     width: g.width, x: dy, u: u, y: dx)
        }
    }

    /// Same contract as `conv2dBackwardWeightsReference`: each core sums
    /// `P_ξ = Σ_tiles Z_ξ · V_ξᵀ` (Z the output gradient's tiles expanded by A dY Aᵀ, V the input
    /// tiles' transforms) over its share of the batch, the partial sums are added, and
    /// `dw = Gᵀ P G` reduces each 4x4 sum to the 3x3 gradient.
    static func backwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        let count = 16 * g.outChannels * g.inChannels
        let parts = max(1, min(Parallel.threadCount, g.batch))
        Scratch.withBuffer(count: parts * count) { partials in
            Parallel.forEach(parts) { t in
                let partial = partials + t * count
                partial.update(repeating: 0, count: count)
                accumulateTransformedWeightGradient(g, x: x, dy: dy,
                                                    images: Parallel.chunkRange(t, of: parts, count: g.batch),
                                                    p: partial)
            }
            for t in 1 ..< parts {
                let partial = partials + t * count
                for i in 0 ..< count { partials[i] += partial[i] }
            }
            transformFilterGradients(partials, outChannels: g.outChannels, inChannels: g.inChannels,
                                     dw: dw, accumulate: accumulate)
        }
    }

    // MARK: - Forward and backward-data on transformed filters

    /// The convolution of `batch` images `x` `[inChannels, height, width]` into `y`
    /// `[outChannels, height, width]` (overwritten) with filters already transformed into `u`
    /// `[16][outChannels][inChannels]`. The batch is split over the cores; each core takes a
    /// group of images at a time: input transform into `V [16][inChannels][tiles]`, 16 GEMMs
    /// into `M [16][outChannels][tiles]`, output transform.
    static func convolve(batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int,
                         x: UnsafePointer<Float>, u: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let tilesPerImage = (height + 1) / 2 * ((width + 1) / 2)
        let inSize = inChannels * height * width, outSize = outChannels * height * width
        Parallel.forChunks(batch) { mine in
            let group = imagesPerGroup(tilesPerImage: tilesPerImage, channels: inChannels + outChannels,
                                       images: mine.count)
            let columns = group * tilesPerImage
            let tileFloats = 16 * (inChannels + outChannels) * columns
            Scratch.withBuffer(count: tileFloats + rowBufferCount(height: height, width: width)) { scratch in
                let v = scratch, m = scratch + 16 * inChannels * columns, rows = scratch + tileFloats
                var n0 = mine.lowerBound
                while n0 < mine.upperBound {
                    let images = n0 ..< min(n0 + group, mine.upperBound)
                    let tiles = images.count * tilesPerImage
                    for (j, n) in images.enumerated() {
                        transformInputTiles(x + n * inSize, channels: inChannels, height: height, width: width,
                                            v: v, ldv: tiles, column: j * tilesPerImage, rows: rows)
                    }
                    for point in 0 ..< 16 {
                        gemmSingleThread(.none, .none, m: outChannels, n: tiles, k: inChannels,
                                         a: u + point * outChannels * inChannels, lda: inChannels,
                                         b: v + point * inChannels * tiles, ldb: tiles,
                                         c: m + point * outChannels * tiles, ldc: tiles, accumulate: false)
                    }
                    for (j, n) in images.enumerated() {
                        transformOutputTiles(m, ldm: tiles, column: j * tilesPerImage, channels: outChannels,
                                             height: height, width: width, y: y + n * outSize)
                    }
                    n0 = images.upperBound
                }
            }
        }
    }

    /// `p[ξ][co][ci] += Σ_tiles Z_ξ[co, t] · V_ξ[ci, t]` over the tiles of `images`, a group of
    /// images at a time (one GEMM per point ξ, the tiles its reduction).
    static func accumulateTransformedWeightGradient(_ g: ConvGeometry, x: UnsafePointer<Float>,
                                                    dy: UnsafePointer<Float>, images mine: Range<Int>,
                                                    p: UnsafeMutablePointer<Float>) {
        guard !mine.isEmpty else { return }
        let (ci, co) = (g.inChannels, g.outChannels)
        let tilesPerImage = (g.height + 1) / 2 * ((g.width + 1) / 2)
        let group = imagesPerGroup(tilesPerImage: tilesPerImage, channels: ci + co, images: mine.count)
        let columns = group * tilesPerImage
        let tileFloats = 16 * (ci + co) * columns
        Scratch.withBuffer(count: tileFloats + rowBufferCount(height: g.height, width: g.width)) { scratch in
            let v = scratch, z = scratch + 16 * ci * columns, rows = scratch + tileFloats
            var n0 = mine.lowerBound
            while n0 < mine.upperBound {
                let images = n0 ..< min(n0 + group, mine.upperBound)
                let tiles = images.count * tilesPerImage
                for (j, n) in images.enumerated() {
                    transformInputTiles(x + n * g.inputImageSize, channels: ci, height: g.height, width: g.width,
                                        v: v, ldv: tiles, column: j * tilesPerImage, rows: rows)
                    transformOutputGradientTiles(dy + n * g.outputImageSize, channels: co, height: g.height,
                                                 width: g.width, z: z, ldz: tiles, column: j * tilesPerImage,
                                                 rows: rows)
                }
                for point in 0 ..< 16 {
                    gemmSingleThread(.none, .transposed, m: co, n: ci, k: tiles,
                                     a: z + point * co * tiles, lda: tiles,
                                     b: v + point * ci * tiles, ldb: tiles,
                                     c: p + point * co * ci, ldc: ci, accumulate: true)
                }
                n0 = images.upperBound
            }
        }
    }

    // MARK: - Filter transforms (once per call, scalar)

    /// U = G g Gᵀ of every filter into `u[ξ][o][i]` (ξ = 4·row + column of the 4x4 transform),
    /// the layout the GEMMs read as 16 row-major `[outs x ins]` matrices. With `flipped`, the
    /// filters of the backward-data convolution instead: `outs = inChannels`,
    /// `ins = outChannels`, g'[ci, co] = g[co, ci] rotated by 180°.
    static func transformFilters(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                                 into u: UnsafeMutablePointer<Float>) {
        let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        let pointStride = outs * ins
        for o in 0 ..< outs {
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

    /// dw = Gᵀ P G for every channel pair from the summed products `p[ξ][co][ci]`, written to
    /// `dw [outChannels, inChannels, 3, 3]` (or added to it with `accumulate`). The additions
    /// are ordered as the reference's small matrix products.
    static func transformFilterGradients(_ p: UnsafePointer<Float>, outChannels: Int, inChannels: Int,
                                         dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let pointStride = outChannels * inChannels
        for pair in 0 ..< pointStride {
            @inline(__always) func at(_ r: Int, _ c: Int) -> Float { p[(4 * r + c) * pointStride + pair] }
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

    // MARK: - Tile transforms (16 tiles per vector)

    /// V = Bᵀ d B of every 4x4 input tile of one image's `channels` planes `[height, width]`,
    /// into `v[ξ][c][column + t]` (rows `ldv` long; t = ty · tilesX + tx). `rows` is scratch of
    /// `rowBufferCount` floats.
    ///
    /// Each plane is first copied into zero-padded rows split into even and odd padded columns:
    /// tile tx's four columns are then even[tx], odd[tx], even[tx+1], odd[tx+1], so the tiles
    /// tx ..< tx+16 are four contiguous 16-lane loads per row instead of strided gathers.
    static func transformInputTiles(_ image: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                    v: UnsafeMutablePointer<Float>, ldv: Int, column: Int,
                                    rows: UnsafeMutablePointer<Float>) {
        let tilesY = (height + 1) / 2, tilesX = (width + 1) / 2
        let s = splitRowLength(width: width), paddedRows = 2 * tilesY + 2
        // One padded input row: a zero, the row, zeros (the copies never touch the zeros).
        let line = rows + paddedRows * 2 * s
        line.update(repeating: 0, count: 2 * s)
        let pointStride = channels * ldv
        for c in 0 ..< channels {
            let plane = image + c * height * width
            for r in 0 ..< paddedRows {
                let even = rows + r * 2 * s, odd = even + s
                let iy = r - 1
                guard iy >= 0 && iy < height else {
                    even.update(repeating: 0, count: 2 * s)
                    continue
                }
                (line + 1).update(from: plane + iy * width, count: width)
                var k = 0
                while k < s {
                    let (e, o) = deinterleave(line.simd16(2 * k), line.simd16(2 * k + 16))
                    even.store(e, at: k)
                    odd.store(o, at: k)
                    k += 16
                }
            }
            let out = v + c * ldv + column
            for ty in 0 ..< tilesY {
                var tx = 0
                while tx < tilesX {
                    let lanes = min(16, tilesX - tx)
                    // d[r][j]: row r of the tiles tx ..< tx+16, column j.
                    let p0 = UnsafePointer(rows + (2 * ty) * 2 * s + tx), p1 = p0 + 2 * s
                    let p2 = p1 + 2 * s, p3 = p2 + 2 * s
                    let (d00, d01, d02, d03) = (p0.simd16(), p0.simd16(s), p0.simd16(1), p0.simd16(s + 1))
                    let (d10, d11, d12, d13) = (p1.simd16(), p1.simd16(s), p1.simd16(1), p1.simd16(s + 1))
                    let (d20, d21, d22, d23) = (p2.simd16(), p2.simd16(s), p2.simd16(1), p2.simd16(s + 1))
                    let (d30, d31, d32, d33) = (p3.simd16(), p3.simd16(s), p3.simd16(1), p3.simd16(s + 1))
                    // Bᵀ d: the rows combined, column by column.
                    let (t00, t10, t20, t30) = inputTransform1D(d00, d10, d20, d30)
                    let (t01, t11, t21, t31) = inputTransform1D(d01, d11, d21, d31)
                    let (t02, t12, t22, t32) = inputTransform1D(d02, d12, d22, d32)
                    let (t03, t13, t23, t33) = inputTransform1D(d03, d13, d23, d33)
                    // (Bᵀ d) B: the columns combined, row by row; row i gives points 4i ..< 4i+4.
                    let dst = out + ty * tilesX + tx
                    store4(inputTransform1D(t00, t01, t02, t03), dst, stride: pointStride, lanes: lanes)
                    store4(inputTransform1D(t10, t11, t12, t13), dst + 4 * pointStride, stride: pointStride,
                           lanes: lanes)
                    store4(inputTransform1D(t20, t21, t22, t23), dst + 8 * pointStride, stride: pointStride,
                           lanes: lanes)
                    store4(inputTransform1D(t30, t31, t32, t33), dst + 12 * pointStride, stride: pointStride,
                           lanes: lanes)
                    tx += 16
                }
            }
        }
    }

    /// Y = Aᵀ M A of every tile of one image, from `m[ξ][c][column + t]` (rows `ldm` long) into
    /// `y [channels, height, width]`; a last row or column of tiles beyond an odd height or
    /// width keeps only the outputs inside the image.
    static func transformOutputTiles(_ m: UnsafePointer<Float>, ldm: Int, column: Int, channels: Int,
                                     height: Int, width: Int, y: UnsafeMutablePointer<Float>) {
        let tilesY = (height + 1) / 2, tilesX = (width + 1) / 2
        let pointStride = channels * ldm
        for c in 0 ..< channels {
            let plane = y + c * height * width
            for ty in 0 ..< tilesY {
                var tx = 0
                while tx < tilesX {
                    let lanes = min(16, tilesX - tx)
                    let src = m + c * ldm + column + ty * tilesX + tx
                    @inline(__always) func point(_ i: Int, _ j: Int) -> SIMD16<Float> {
                        src.simd16((4 * i + j) * pointStride, count: lanes)
                    }
                    // Aᵀ M: rows 0 and 1 of each column j, ordered as the reference's product.
                    var r0 = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
                    var r1 = r0
                    (r0.0, r1.0) = outputTransform1D(point(0, 0), point(1, 0), point(2, 0), point(3, 0))
                    (r0.1, r1.1) = outputTransform1D(point(0, 1), point(1, 1), point(2, 1), point(3, 1))
                    (r0.2, r1.2) = outputTransform1D(point(0, 2), point(1, 2), point(2, 2), point(3, 2))
                    (r0.3, r1.3) = outputTransform1D(point(0, 3), point(1, 3), point(2, 3), point(3, 3))
                    // (Aᵀ M) A: the columns combined: each output row's even and odd pixels.
                    let (y00, y01) = outputTransform1D(r0.0, r0.1, r0.2, r0.3)
                    let (y10, y11) = outputTransform1D(r1.0, r1.1, r1.2, r1.3)
                    storePairs(y00, y01, row: plane + 2 * ty * width, from: 2 * tx, width: width, lanes: lanes)
                    if 2 * ty + 1 < height {
                        storePairs(y10, y11, row: plane + (2 * ty + 1) * width, from: 2 * tx, width: width,
                                   lanes: lanes)
                    }
                    tx += 16
                }
            }
        }
    }

    /// Z = A dY Aᵀ of every tile's 2x2 output gradient of one image's `channels` planes
    /// `[height, width]` (zero beyond an odd height or width), into `z[ξ][c][column + t]`
    /// (rows `ldz` long). `rows` is scratch of `rowBufferCount` floats: the gradient rows split
    /// into even and odd columns, so a tile's 2x2 block is even[tx], odd[tx] of two rows.
    static func transformOutputGradientTiles(_ image: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                             z: UnsafeMutablePointer<Float>, ldz: Int, column: Int,
                                             rows: UnsafeMutablePointer<Float>) {
        let tilesY = (height + 1) / 2, tilesX = (width + 1) / 2
        let s = splitRowLength(width: width)
        let line = rows + (2 * tilesY + 2) * 2 * s
        line.update(repeating: 0, count: 2 * s)
        let pointStride = channels * ldz
        for c in 0 ..< channels {
            let plane = image + c * height * width
            for r in 0 ..< 2 * tilesY {
                let even = rows + r * 2 * s, odd = even + s
                guard r < height else {
                    even.update(repeating: 0, count: 2 * s)
                    continue
                }
                line.update(from: plane + r * width, count: width)
                var k = 0
                while k < s {
                    let (e, o) = deinterleave(line.simd16(2 * k), line.simd16(2 * k + 16))
                    even.store(e, at: k)
                    odd.store(o, at: k)
                    k += 16
                }
            }
            let out = z + c * ldz + column
            for ty in 0 ..< tilesY {
                var tx = 0
                while tx < tilesX {
                    let lanes = min(16, tilesX - tx)
                    let top = UnsafePointer(rows + (2 * ty) * 2 * s + tx), bottom = top + 2 * s
                    // dY = [[a, b], [c, d]]; A dY: rows a|b, a+c|b+d, a-c|b-d, -c|-d.
                    let (a, b, cc, d) = (top.simd16(), top.simd16(s), bottom.simd16(), bottom.simd16(s))
                    let (s00, s10, s20, s30) = outputGradientTransform1D(a, cc)
                    let (s01, s11, s21, s31) = outputGradientTransform1D(b, d)
                    // (A dY) Aᵀ: each row's two columns expanded to four.
                    let dst = out + ty * tilesX + tx
                    store4(outputGradientTransform1D(s00, s01), dst, stride: pointStride, lanes: lanes)
                    store4(outputGradientTransform1D(s10, s11), dst + 4 * pointStride, stride: pointStride,
                           lanes: lanes)
                    store4(outputGradientTransform1D(s20, s21), dst + 8 * pointStride, stride: pointStride,
                           lanes: lanes)
                    store4(outputGradientTransform1D(s30, s31), dst + 12 * pointStride, stride: pointStride,
                           lanes: lanes)
                    tx += 16
                }
            }
        }
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

    /// Four vectors to `p`, `p + stride`, `p + 2·stride`, `p + 3·stride`, the first `lanes` lanes.
    @inline(__always)
    static func store4(_ q: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                       _ p: UnsafeMutablePointer<Float>, stride: Int, lanes: Int) {
        p.store(q.0, at: 0, count: lanes)
        p.store(q.1, at: stride, count: lanes)
        p.store(q.2, at: 2 * stride, count: lanes)
        p.store(q.3, at: 3 * stride, count: lanes)
    }

    /// Output pixels x0, x0+1, x0+2, ... of one row from `lanes` tiles' even and odd columns,
    /// interleaved (two permutes when all 32 pixels are inside the row; lane by lane at the
    /// ragged end, dropping a last odd column beyond the image).
    @inline(__always)
    static func storePairs(_ even: SIMD16<Float>, _ odd: SIMD16<Float>, row: UnsafeMutablePointer<Float>,
                           from x0: Int, width: Int, lanes: Int) {
        if lanes == 16 && x0 + 32 <= width {
            var lo = SIMD16<Float>(), hi = SIMD16<Float>()
            for l in 0 ..< 8 {
                lo[2 * l] = even[l]; lo[2 * l + 1] = odd[l]
                hi[2 * l] = even[l + 8]; hi[2 * l + 1] = odd[l + 8]
            }
            row.store(lo, at: x0)
            row.store(hi, at: x0 + 16)
            return
        }
        for l in 0 ..< lanes {
            row[x0 + 2 * l] = even[l]
            if x0 + 2 * l + 1 < width { row[x0 + 2 * l + 1] = odd[l] }
        }
    }
}
