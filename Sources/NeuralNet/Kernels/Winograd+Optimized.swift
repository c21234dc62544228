import Core

/// The optimized Winograd F(2x2, 3x3) convolution (`Winograd` has the algorithm and its
/// matrices, `Winograd.forwardReference` the same steps as plain loops).
///
/// The sum over input channels `M = Σ_ci U ⊙ V` is, for each of the 16 points ξ of the 4x4
/// transformed tile, a matrix product: `M_ξ[co, t] = Σ_ci U_ξ[co, ci] · V_ξ[ci, t]` over the
/// tiles t. So the filters are transformed once per call into 16 matrices `U_ξ`
/// `[outChannels x inChannels]`, the tiles of a few images into 16 matrices `V_ξ`
/// `[inChannels x tiles]`, and the blocked GEMM (`gemmSingleThread`) computes the 16 products;
/// the output transform then turns each tile's 16 products into its 2x2 outputs. (The weight
/// gradient's sums over tiles take the GEMM too, or their own loop with few channels.) The
/// transforms run 16 tiles at a time, one tile per vector lane (adjacent tiles of a row, or
/// on images narrower than 32 pixels the tiles of several rows and images back to back), and
/// are additions only (and halvings in the filter transforms), done in the same order as the
/// reference's small matrix products, so they round the same way; only the GEMM's sums
/// (fused multiply-adds, blocked over 256 channels) round differently.
extension Winograd {
    /// Floats of transformed tiles (16 per tile and channel, input and output channels) one
    /// core holds at a time: 512 KiB, a quarter of its L2 cache, so the 16 GEMMs read tiles the
    /// input transform has just written and the output transform reads products still in
    /// cache. (Twice that measured slower on the 32→32 16x16 layer; half of it no faster.)
    static let tileBudget = 1 << 17

    /// Fewest tiles worth a group even beyond the budget: below 64 columns the GEMM's 32-wide
    /// panels run half empty (4x4 images have 4 tiles each) and every group streams all of the
    /// transformed filters (16 MiB for 512 channels) through the cache again for few products.
    static let minimumGroupTiles = 64

    /// How many images to transform and multiply together: as many as the budget holds, and
    /// enough for `minimumGroupTiles`, at least one.
    static func imagesPerGroup(tilesPerImage: Int, channels: Int, images: Int) -> Int {
        let budgeted = tileBudget / (16 * channels * tilesPerImage)
        let minimum = (minimumGroupTiles + tilesPerImage - 1) / tilesPerImage
        return max(1, min(images, max(budgeted, minimum)))
    }

    /// How the 2x2 output tiles cover one `height x width` plane: `tilesY x tilesX` of them,
    /// numbered `t = ty · tilesX + tx`, and image `j` of a group numbers its tiles from
    /// `j · perImage`.
    struct Tiling {
        let height: Int, width: Int
        let tilesY: Int, tilesX: Int, perImage: Int
        /// Length of one split row (the even or the odd columns of a zero-padded row): room for a
        /// 16-lane load at any tile of the row and one column more (narrow rows are read in runs
        /// of `tilesX + 1` at most, so 16 hold them).
        let splitRow: Int

        init(height: Int, width: Int) {
            self.height = height
            self.width = width
            tilesY = (height + 1) / 2
            tilesX = (width + 1) / 2
            perImage = tilesY * tilesX
            splitRow = tilesX < 16 ? 16 : (tilesX + 15) / 16 * 16 + 16
        }

        /// Rows narrower than 16 tiles fill a vector from several rows (and images) through the
        /// staging matrix; wider ones are loaded straight from the split rows.
        var narrow: Bool { tilesX < 16 }
    }

    /// Where one group's transformed tiles live: 16 matrices (one per point ξ) of `channels`
    /// rows and `tiles` columns. Rows are padded to a whole number of cache lines plus one, and
    /// matrices to a multiple of 4 KiB plus one cache line: unpadded, the 16 points of a tile
    /// (32 KiB apart for 16 channels of 512 tiles) fall on the same L1 cache sets, and the
    /// transforms, which touch all 16 at once, measured much slower.
    struct TileMatrices {
        let tiles: Int, rowStride: Int, pointStride: Int

        init(channels: Int, tiles: Int) {
            self.tiles = tiles
            rowStride = (tiles + 15) / 16 * 16 + 16
            pointStride = (channels * rowStride + 1023) / 1024 * 1024 + 16
        }

        var count: Int { 16 * pointStride }
    }

    /// Per-core scratch of the tile transforms: split rows, the staging matrix (16 rows of up to
    /// `tiles` columns, for narrow images), 64 floats of interleaved outputs and 16 x 16 for the
    /// last, partial vector of tiles.
    struct TransformScratch {
        let rows: UnsafeMutablePointer<Float>
        let staging: UnsafeMutablePointer<Float>, stagingStride: Int
        let pairs: UnsafeMutablePointer<Float>, tail: UnsafeMutablePointer<Float>

        static func count(_ tiling: Tiling, tiles: Int) -> Int {
            (2 * tiling.tilesY + 2) * 2 * tiling.splitRow + 16 * TileMatrices(channels: 1, tiles: tiles).rowStride
                + 64 + 256
        }

        /// Carves `base` (of `count` floats) up. The staging matrix and the tail are zeroed once:
        /// lanes beyond the last tile are computed (and dropped), and must hold numbers.
        init(_ base: UnsafeMutablePointer<Float>, _ tiling: Tiling, tiles: Int) {
            rows = base
            staging = rows + (2 * tiling.tilesY + 2) * 2 * tiling.splitRow
            stagingStride = TileMatrices(channels: 1, tiles: tiles).rowStride
            pairs = staging + 16 * stagingStride
            tail = pairs + 64
            staging.update(repeating: 0, count: 16 * stagingStride)
            tail.update(repeating: 0, count: 256)
        }
    }

    // MARK: - The three passes

    /// Same contract as `Convolution.forwardReference` (and `Winograd.forwardReference`), for a
    /// 3x3, stride-1, padding-1 convolution: `x` `[batch, inChannels, height, width]`, `w`
    /// `[outChannels, inChannels, 3, 3]`, `y` `[batch, outChannels, height, width]`
    /// (overwritten). The filters are transformed once, then the batch is split over the cores
    /// (`convolve`).
    static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        Scratch.withBuffer(count: 16 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false, into: u)
            convolve(batch: g.batch, inChannels: g.inChannels, outChannels: g.outChannels, height: g.height,
                     width: g.width, x: x, u: u, y: y)
        }
    }

    /// Same contract as `Convolution.backwardDataReference`: `dy` `[batch, outChannels, height, width]`,
    /// `w` `[outChannels, inChannels, 3, 3]`, `dx` `[batch, inChannels, height, width]`
    /// (overwritten). The forward algorithm on `dy` with the filters rotated by 180° and the
    /// channels swapped (transformed that way in one pass).
    static func backwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        Scratch.withBuffer(count: 16 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: true, into: u)
            convolve(batch: g.batch, inChannels: g.outChannels, outChannels: g.inChannels, height: g.height,
                     width: g.width, x: dy, u: u, y: dx)
        }
    }

    /// Same contract as `Convolution.backwardWeightsReference`: `x` `[batch, inChannels, height, width]`,
    /// `dy` `[batch, outChannels, height, width]`, `dw` `[outChannels, inChannels, 3, 3]`
    /// (overwritten, or added to with `accumulate`). Each core sums `P_ξ = Σ_tiles Z_ξ · V_ξᵀ`
    /// (Z the output gradient's tiles expanded by A dY Aᵀ, V the input tiles' transforms) over
    /// its share of the batch, the partial sums are added, and `dw = Gᵀ P G` reduces each 4x4
    /// sum to the 3x3 gradient.
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
            transformFilterGradients(partials, parts: parts, outChannels: g.outChannels, inChannels: g.inChannels,
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
        let tiling = Tiling(height: height, width: width)
        let inSize = inChannels * height * width, outSize = outChannels * height * width
        Parallel.forChunks(batch) { mine in
            let group = imagesPerGroup(tilesPerImage: tiling.perImage, channels: inChannels + outChannels,
                                       images: mine.count)
            let columns = group * tiling.perImage
            let vCount = TileMatrices(channels: inChannels, tiles: columns).count
            let mCount = TileMatrices(channels: outChannels, tiles: columns).count
            let sCount = TransformScratch.count(tiling, tiles: columns)
            Scratch.withBuffer(count: vCount + mCount + sCount) { buffer in
                let v = buffer, m = buffer + vCount
                let scratch = TransformScratch(buffer + vCount + mCount, tiling, tiles: columns)
                var n0 = mine.lowerBound
                while n0 < mine.upperBound {
                    let images = n0 ..< min(n0 + group, mine.upperBound)
                    let tiles = images.count * tiling.perImage
                    let vm = TileMatrices(channels: inChannels, tiles: tiles)
                    let mm = TileMatrices(channels: outChannels, tiles: tiles)
                    transformInputTiles(x + n0 * inSize, images: images.count, imageSize: inSize,
                                        channels: inChannels, tiling, v: v, vm, scratch)
                    for point in 0 ..< 16 {
                        gemmSingleThread(.none, .none, m: outChannels, n: tiles, k: inChannels,
                                         a: u + point * outChannels * inChannels, lda: inChannels,
                                         b: v + point * vm.pointStride, ldb: vm.rowStride,
                                         c: m + point * mm.pointStride, ldc: mm.rowStride, accumulate: false)
                    }
                    transformOutputTiles(m, mm, channels: outChannels, tiling, y: y + n0 * outSize,
                                         imageSize: outSize, scratch)
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
        let tiling = Tiling(height: g.height, width: g.width)
        let group = imagesPerGroup(tilesPerImage: tiling.perImage, channels: ci + co, images: mine.count)
        let columns = group * tiling.perImage
        let vCount = TileMatrices(channels: ci, tiles: columns).count
        let zCount = TileMatrices(channels: co, tiles: columns).count
        let sCount = TransformScratch.count(tiling, tiles: columns)
        Scratch.withBuffer(count: vCount + zCount + sCount) { buffer in
            let v = buffer, z = buffer + vCount
            let scratch = TransformScratch(buffer + vCount + zCount, tiling, tiles: columns)
            var n0 = mine.lowerBound
            while n0 < mine.upperBound {
                let images = n0 ..< min(n0 + group, mine.upperBound)
                let tiles = images.count * tiling.perImage
                let vm = TileMatrices(channels: ci, tiles: tiles), zm = TileMatrices(channels: co, tiles: tiles)
                transformInputTiles(x + n0 * g.inputImageSize, images: images.count, imageSize: g.inputImageSize,
                                    channels: ci, tiling, v: v, vm, scratch)
                transformOutputGradientTiles(dy + n0 * g.outputImageSize, images: images.count,
                                             imageSize: g.outputImageSize, channels: co, tiling, z: z, zm, scratch)
                if useProductSums(inChannels: ci, outChannels: co) {
                    zeroRowEnds(v, vm, channels: ci)
                    zeroRowEnds(z, zm, channels: co)
                    for point in 0 ..< 16 {
                        accumulateProductSums(z: z + point * zm.pointStride, ldz: zm.rowStride,
                                              v: v + point * vm.pointStride, ldv: vm.rowStride, tiles: tiles,
                                              outs: co, ins: ci, p: p + point * co * ci, ldp: ci)
                    }
                } else {
                    for point in 0 ..< 16 {
                        gemmSingleThread(.none, .transposed, m: co, n: ci, k: tiles,
                                         a: z + point * zm.pointStride, lda: zm.rowStride,
                                         b: v + point * vm.pointStride, ldb: vm.rowStride,
                                         c: p + point * co * ci, ldc: ci, accumulate: true)
                    }
                }
                n0 = images.upperBound
            }
        }
    }

    /// Whether the weight gradient's sums over tiles take `accumulateProductSums` rather than
    /// the GEMM: with fewer than 32 channels on either side the GEMM's 8 x 32 tile runs half
    /// empty, and it must first transpose one operand (both are stored tiles-last) into its
    /// panels, one float at a time.
    static func useProductSums(inChannels: Int, outChannels: Int) -> Bool {
        min(inChannels, outChannels) < 32
    }

    /// Zeroes each matrix row from its last tile to the next multiple of 16, which
    /// `accumulateProductSums` reads (the transforms leave other tiles' values there).
    static func zeroRowEnds(_ m: UnsafeMutablePointer<Float>, _ layout: TileMatrices, channels: Int) {
        let end = (layout.tiles + 15) / 16 * 16
        guard end > layout.tiles else { return }
        for point in 0 ..< 16 {
            for c in 0 ..< channels {
                (m + point * layout.pointStride + c * layout.rowStride + layout.tiles)
                    .update(repeating: 0, count: end - layout.tiles)
            }
        }
    }

    /// `p[o][i] += Σ_t z[o][t] · v[i][t]` for one point ξ: `outs` x `ins` sums over the tiles
    /// (rows `ldz`, `ldv` apart, zero from `tiles` to the next multiple of 16).
    ///
    /// The tiles are in the vector lanes: a register tile of 4 x 4 channel pairs (16 `SIMD16`
    /// accumulators, on AVX-512 half the registers; 8 operand vectors per 16 multiply-adds),
    /// each reduced across its lanes once at the end. Ragged channel blocks repeat their last
    /// row and drop its sums, as the GEMM micro-kernel does. `RegisterTile.narrow` builds take
    /// 2 x 2 pairs (4 accumulators, 8 AVX2 registers) instead: each pair's sum is the same
    /// lane by lane in either tile, so the results are identical. The multiply-adds are fused
    /// (`addingProduct`, one FMA instruction in builds for a CPU that has it), as in the GEMM.
    static func accumulateProductSums(z: UnsafePointer<Float>, ldz: Int, v: UnsafePointer<Float>, ldv: Int,
                                      tiles: Int, outs: Int, ins: Int, p: UnsafeMutablePointer<Float>, ldp: Int) {
        if RegisterTile.current == .narrow {
            return accumulateProductSums2x2(z: z, ldz: ldz, v: v, ldv: ldv, tiles: tiles, outs: outs, ins: ins, p: p,
                                            ldp: ldp)
        }
        var o0 = 0
        while o0 < outs {
            let z0 = z + o0 * ldz, z1 = z + min(o0 + 1, outs - 1) * ldz
            let z2 = z + min(o0 + 2, outs - 1) * ldz, z3 = z + min(o0 + 3, outs - 1) * ldz
            var i0 = 0
            while i0 < ins {
                let v0 = v + i0 * ldv, v1 = v + min(i0 + 1, ins - 1) * ldv
                let v2 = v + min(i0 + 2, ins - 1) * ldv, v3 = v + min(i0 + 3, ins - 1) * ldv
                var a00 = SIMD16<Float>(), a01 = SIMD16<Float>(), a02 = SIMD16<Float>(), a03 = SIMD16<Float>()
                var a10 = SIMD16<Float>(), a11 = SIMD16<Float>(), a12 = SIMD16<Float>(), a13 = SIMD16<Float>()
                var a20 = SIMD16<Float>(), a21 = SIMD16<Float>(), a22 = SIMD16<Float>(), a23 = SIMD16<Float>()
                var a30 = SIMD16<Float>(), a31 = SIMD16<Float>(), a32 = SIMD16<Float>(), a33 = SIMD16<Float>()
                var t = 0
                while t < tiles {
                    let x0 = z0.simd16(t), x1 = z1.simd16(t), x2 = z2.simd16(t), x3 = z3.simd16(t)
                    let y0 = v0.simd16(t), y1 = v1.simd16(t), y2 = v2.simd16(t), y3 = v3.simd16(t)
                    a00 = a00.addingProduct(x0, y0); a01 = a01.addingProduct(x0, y1)
                    a02 = a02.addingProduct(x0, y2); a03 = a03.addingProduct(x0, y3)
                    a10 = a10.addingProduct(x1, y0); a11 = a11.addingProduct(x1, y1)
                    a12 = a12.addingProduct(x1, y2); a13 = a13.addingProduct(x1, y3)
                    a20 = a20.addingProduct(x2, y0); a21 = a21.addingProduct(x2, y1)
                    a22 = a22.addingProduct(x2, y2); a23 = a23.addingProduct(x2, y3)
                    a30 = a30.addingProduct(x3, y0); a31 = a31.addingProduct(x3, y1)
                    a32 = a32.addingProduct(x3, y2); a33 = a33.addingProduct(x3, y3)
                    t += 16
                }
                let rows = min(4, outs - o0), columns = min(4, ins - i0)
                let out = p + o0 * ldp + i0
                addLaneSums(a00, a01, a02, a03, to: out, columns: columns)
                if rows > 1 { addLaneSums(a10, a11, a12, a13, to: out + ldp, columns: columns) }
                if rows > 2 { addLaneSums(a20, a21, a22, a23, to: out + 2 * ldp, columns: columns) }
                if rows > 3 { addLaneSums(a30, a31, a32, a33, to: out + 3 * ldp, columns: columns) }
                i0 += 4
            }
            o0 += 4
        }
    }

    /// `accumulateProductSums` with 2 x 2 channel pairs per register tile.
    static func accumulateProductSums2x2(z: UnsafePointer<Float>, ldz: Int, v: UnsafePointer<Float>, ldv: Int,
                                         tiles: Int, outs: Int, ins: Int, p: UnsafeMutablePointer<Float>, ldp: Int) {
        var o0 = 0
        while o0 < outs {
            let z0 = z + o0 * ldz, z1 = z + min(o0 + 1, outs - 1) * ldz
            var i0 = 0
            while i0 < ins {
                let v0 = v + i0 * ldv, v1 = v + min(i0 + 1, ins - 1) * ldv
                var a00 = SIMD16<Float>(), a01 = SIMD16<Float>(), a10 = SIMD16<Float>(), a11 = SIMD16<Float>()
                var t = 0
                while t < tiles {
                    let x0 = z0.simd16(t), x1 = z1.simd16(t), y0 = v0.simd16(t), y1 = v1.simd16(t)
                    a00 = a00.addingProduct(x0, y0); a01 = a01.addingProduct(x0, y1)
                    a10 = a10.addingProduct(x1, y0); a11 = a11.addingProduct(x1, y1)
                    t += 16
                }
                let columns = min(2, ins - i0)
                let out = p + o0 * ldp + i0
                addLaneSums(a00, a01, a01, a01, to: out, columns: columns)
                if outs - o0 > 1 { addLaneSums(a10, a11, a11, a11, to: out + ldp, columns: columns) }
                i0 += 2
            }
            o0 += 2
        }
    }

    /// Adds the lane sums of the first `columns` vectors to `p[0 ..< columns]`.
    @inline(__always)
    static func addLaneSums(_ a0: SIMD16<Float>, _ a1: SIMD16<Float>, _ a2: SIMD16<Float>, _ a3: SIMD16<Float>,
                            to p: UnsafeMutablePointer<Float>, columns: Int) {
        p[0] += a0.laneSum()
        if columns > 1 { p[1] += a1.laneSum() }
        if columns > 2 { p[2] += a2.laneSum() }
        if columns > 3 { p[3] += a3.laneSum() }
    }

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

    // MARK: - Tile transforms (16 tiles per vector)
    //
    // The transforms work on full vectors of 16 tiles, one per lane, and store full vectors:
    // a matrix row has room for 16 floats beyond its last tile (`TileMatrices`), and a vector
    // that runs past the end of a tile row is overwritten by the next row's. Branching on a
    // partial vector inside the loop measured much slower (LLVM split the vectors);
    // only the output transform's last, partial vector goes through `scratch.tail`.

    /// V = Bᵀ d B of every 4x4 input tile of `images` consecutive images (`imageSize` floats
    /// apart, `channels` planes each), into `v[ξ][c][t]` laid out as `vm`.
    ///
    /// Each plane is first copied into zero-padded rows split into their even and odd columns
    /// (`splitRows`): tile tx's four columns are then even[tx], odd[tx], even[tx+1], odd[tx+1],
    /// so 16 adjacent tiles of a row are four contiguous 16-lane loads per row instead of
    /// strided gathers. Narrow images (fewer than 16 tiles a row) first copy those runs of each
    /// tile row into the staging matrix, whose 16 rows (one per (row, column) of the tile) then
    /// hold the group's tiles back to back, so the vectors are full there too.
    static func transformInputTiles(_ x: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                    _ tiling: Tiling, v: UnsafeMutablePointer<Float>, _ vm: TileMatrices,
                                    _ scratch: TransformScratch) {
        let (s, tilesX) = (tiling.splitRow, tiling.tilesX)
        let rows = scratch.rows, staging = scratch.staging, ss = scratch.stagingStride
        let ps = vm.pointStride
        for c in 0 ..< channels {
            let out = v + c * vm.rowStride
            for j in 0 ..< images {
                let plane = x + j * imageSize + c * tiling.height * tiling.width
                splitRows(plane, tiling, count: 2 * tiling.tilesY + 2, shift: 1, into: rows)
                let first = j * tiling.perImage
                for ty in 0 ..< tiling.tilesY {
                    let top = UnsafePointer(rows + 2 * ty * 2 * s)
                    if tiling.narrow {
                        let dst = staging + first + ty * tilesX
                        // The tile row's 16 runs of tilesX values, in one move each for the
                        // power-of-two widths of a CIFAR network (4x4, 8x8, 16x16 images).
                        switch tilesX {
                        case 2: stageInputRuns(SIMD2<Float>.self, top, s, dst, ss)
                        case 4: stageInputRuns(SIMD4<Float>.self, top, s, dst, ss)
                        case 8: stageInputRuns(SIMD8<Float>.self, top, s, dst, ss)
                        default:
                            for r in 0 ..< 4 {
                                let even = top + r * 2 * s, odd = even + s
                                copyFloats(even, to: dst + (4 * r) * ss, count: tilesX)
                                copyFloats(odd, to: dst + (4 * r + 1) * ss, count: tilesX)
                                copyFloats(even + 1, to: dst + (4 * r + 2) * ss, count: tilesX)
                                copyFloats(odd + 1, to: dst + (4 * r + 3) * ss, count: tilesX)
                            }
                        }
                        continue
                    }
                    var tx = 0
                    while tx < tilesX {
                        inputTransform16(top + tx, rowStride: 2 * s, columnStride: s, out + first + ty * tilesX + tx,
                                         pointStride: ps)
                        tx += 16
                    }
                }
            }
            guard tiling.narrow else { continue }
            var t = 0
            while t < vm.tiles {
                inputTransform16Staged(UnsafePointer(staging + t), stride: ss, out + t, pointStride: ps)
                t += 16
            }
        }
    }

    /// The 16 runs of one tile row of a narrow image into the staging matrix: row 4r + k gets
    /// the tiles' element (r, k), i.e. even[0..<n], odd[0..<n], even[1...n], odd[1...n] of split
    /// row r (n = tilesX = the lanes of `V`).
    @inline(__always)
    static func stageInputRuns<V: SIMD>(_: V.Type, _ top: UnsafePointer<Float>, _ s: Int,
                                        _ dst: UnsafeMutablePointer<Float>, _ ss: Int) where V.Scalar == Float {
        @inline(__always) func move(_ src: UnsafePointer<Float>, _ row: Int) {
            UnsafeMutableRawPointer(dst + row * ss).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: V.self),
                                                               as: V.self)
        }
        for r in 0 ..< 4 {
            let even = top + r * 2 * s, odd = even + s
            move(even, 4 * r)
            move(odd, 4 * r + 1)
            move(even + 1, 4 * r + 2)
            move(odd + 1, 4 * r + 3)
        }
    }

    /// V = Bᵀ d B of 16 tiles whose element (r, k) is at `p + r·rowStride + k / 2 + (k % 2)·columnStride`
    /// (split rows: even columns at offset 0, odd ones at `columnStride`), stored to
    /// `out + ξ·pointStride`, 16 lanes each.
    @inline(__always)
    static func inputTransform16(_ p0: UnsafePointer<Float>, rowStride: Int, columnStride s: Int,
                                 _ out: UnsafeMutablePointer<Float>, pointStride: Int) {
        let p1 = p0 + rowStride, p2 = p1 + rowStride, p3 = p2 + rowStride
        inputTransform16(p0.simd16(), p0.simd16(s), p0.simd16(1), p0.simd16(s + 1),
                         p1.simd16(), p1.simd16(s), p1.simd16(1), p1.simd16(s + 1),
                         p2.simd16(), p2.simd16(s), p2.simd16(1), p2.simd16(s + 1),
                         p3.simd16(), p3.simd16(s), p3.simd16(1), p3.simd16(s + 1),
                         out, pointStride: pointStride)
    }

    /// The same on the staging matrix: element (r, k) of the 16 tiles is row `4r + k` of it.
    @inline(__always)
    static func inputTransform16Staged(_ p: UnsafePointer<Float>, stride: Int,
                                       _ out: UnsafeMutablePointer<Float>, pointStride: Int) {
        inputTransform16(p.simd16(0), p.simd16(stride), p.simd16(2 * stride), p.simd16(3 * stride),
                         p.simd16(4 * stride), p.simd16(5 * stride), p.simd16(6 * stride), p.simd16(7 * stride),
                         p.simd16(8 * stride), p.simd16(9 * stride), p.simd16(10 * stride), p.simd16(11 * stride),
                         p.simd16(12 * stride), p.simd16(13 * stride), p.simd16(14 * stride), p.simd16(15 * stride),
                         out, pointStride: pointStride)
    }

    /// V = Bᵀ d B of 16 tiles given as their 16 elements d[r][k] (one tile per lane).
    @inline(__always)
    static func inputTransform16(_ d00: SIMD16<Float>, _ d01: SIMD16<Float>, _ d02: SIMD16<Float>, _ d03: SIMD16<Float>,
                                 _ d10: SIMD16<Float>, _ d11: SIMD16<Float>, _ d12: SIMD16<Float>, _ d13: SIMD16<Float>,
                                 _ d20: SIMD16<Float>, _ d21: SIMD16<Float>, _ d22: SIMD16<Float>, _ d23: SIMD16<Float>,
                                 _ d30: SIMD16<Float>, _ d31: SIMD16<Float>, _ d32: SIMD16<Float>, _ d33: SIMD16<Float>,
                                 _ out: UnsafeMutablePointer<Float>, pointStride ps: Int) {
        // Bᵀ d: the rows combined, column by column.
        let (t00, t10, t20, t30) = inputTransform1D(d00, d10, d20, d30)
        let (t01, t11, t21, t31) = inputTransform1D(d01, d11, d21, d31)
        let (t02, t12, t22, t32) = inputTransform1D(d02, d12, d22, d32)
        let (t03, t13, t23, t33) = inputTransform1D(d03, d13, d23, d33)
        // (Bᵀ d) B: the columns combined, row by row; row i gives points 4i ..< 4i+4.
        store4(inputTransform1D(t00, t01, t02, t03), out, stride: ps)
        store4(inputTransform1D(t10, t11, t12, t13), out + 4 * ps, stride: ps)
        store4(inputTransform1D(t20, t21, t22, t23), out + 8 * ps, stride: ps)
        store4(inputTransform1D(t30, t31, t32, t33), out + 12 * ps, stride: ps)
    }

    /// Y = Aᵀ M A of every tile of `images` consecutive images, from `m[ξ][c][t]` laid out as
    /// `mm` into `y` (`imageSize` floats per image, `channels` planes each); a last row or
    /// column of tiles beyond an odd height or width keeps only the outputs inside the image.
    ///
    /// 16 consecutive tiles at a time (full vectors whatever the image width): their two output
    /// rows are interleaved (even and odd pixels) into `scratch.pairs`, then copied to the image
    /// one run of a tile row at a time.
    static func transformOutputTiles(_ m: UnsafePointer<Float>, _ mm: TileMatrices, channels: Int, _ tiling: Tiling,
                                     y: UnsafeMutablePointer<Float>, imageSize: Int, _ scratch: TransformScratch) {
        let (height, width, tilesX) = (tiling.height, tiling.width, tiling.tilesX)
        let ps = mm.pointStride, pairs = scratch.pairs, tail = scratch.tail
        for c in 0 ..< channels {
            let src = m + c * mm.rowStride
            let plane = y + c * height * width
            // The tile the next run starts at: image j, tile row ty, column tx.
            var (j, ty, tx) = (0, 0, 0)
            var t = 0
            while t < mm.tiles {
                let lanes = min(16, mm.tiles - t)
                if lanes == 16 {
                    outputTransform16(src + t, pointStride: ps, to: pairs)
                } else {
                    // The last tiles: their 16 points copied into the tail, the rest of which
                    // holds earlier, finite numbers.
                    for point in 0 ..< 16 { copyFloats(src + point * ps + t, to: tail + 16 * point, count: lanes) }
                    outputTransform16(tail, pointStride: 16, to: pairs)
                }
                // Runs of tiles within one tile row: 2 pixels per tile, fewer at an odd width.
                var lane = 0
                while lane < lanes {
                    let n = min(tilesX - tx, lanes - lane)
                    let count = min(2 * n, width - 2 * tx)
                    let row = plane + j * imageSize + 2 * ty * width + 2 * tx
                    copyFloats(pairs + 2 * lane, to: row, count: count)
                    if 2 * ty + 1 < height { copyFloats(pairs + 32 + 2 * lane, to: row + width, count: count) }
                    lane += n
                    tx += n
                    if tx == tilesX {
                        tx = 0
                        ty += 1
                        if ty == tiling.tilesY { ty = 0; j += 1 }
                    }
                }
                t += 16
            }
        }
    }

    /// Y = Aᵀ M A of 16 tiles whose point ξ is the vector at `p + ξ·pointStride`: the even and
    /// odd pixels of their top output rows interleaved into `pairs[0..<32]`, of their bottom
    /// rows into `pairs[32..<64]`.
    @inline(__always)
    static func outputTransform16(_ p: UnsafePointer<Float>, pointStride ps: Int, to pairs: UnsafeMutablePointer<Float>) {
        // Aᵀ M: rows 0 and 1 of each column k, ordered as the reference's product.
        let (r00, r10) = outputTransform1D(p.simd16(0), p.simd16(4 * ps), p.simd16(8 * ps), p.simd16(12 * ps))
        let (r01, r11) = outputTransform1D(p.simd16(ps), p.simd16(5 * ps), p.simd16(9 * ps), p.simd16(13 * ps))
        let (r02, r12) = outputTransform1D(p.simd16(2 * ps), p.simd16(6 * ps), p.simd16(10 * ps), p.simd16(14 * ps))
        let (r03, r13) = outputTransform1D(p.simd16(3 * ps), p.simd16(7 * ps), p.simd16(11 * ps), p.simd16(15 * ps))
        // (Aᵀ M) A: the columns combined: each output row's even and odd pixels.
        let (y00, y01) = outputTransform1D(r00, r01, r02, r03)
        let (y10, y11) = outputTransform1D(r10, r11, r12, r13)
        storeInterleaved(y00, y01, to: pairs)
        storeInterleaved(y10, y11, to: pairs + 32)
    }

    /// Z = A dY Aᵀ of every tile's 2x2 output gradient (zero beyond an odd height or width) of
    /// `images` consecutive images (`imageSize` floats apart, `channels` planes each), into
    /// `z[ξ][c][t]` laid out as `zm`. The gradient rows are split into their even and odd
    /// columns, so a tile's 2x2 block is even[tx], odd[tx] of two rows; narrow images go
    /// through the staging matrix as in `transformInputTiles`.
    static func transformOutputGradientTiles(_ dy: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                             _ tiling: Tiling, z: UnsafeMutablePointer<Float>, _ zm: TileMatrices,
                                             _ scratch: TransformScratch) {
        let (s, tilesX) = (tiling.splitRow, tiling.tilesX)
        let rows = scratch.rows, staging = scratch.staging, ss = scratch.stagingStride
        let ps = zm.pointStride
        for c in 0 ..< channels {
            let out = z + c * zm.rowStride
            for j in 0 ..< images {
                let plane = dy + j * imageSize + c * tiling.height * tiling.width
                splitRows(plane, tiling, count: 2 * tiling.tilesY, shift: 0, into: rows)
                let first = j * tiling.perImage
                for ty in 0 ..< tiling.tilesY {
                    let top = UnsafePointer(rows + 2 * ty * 2 * s), bottom = top + 2 * s
                    if tiling.narrow {
                        let dst = staging + first + ty * tilesX
                        copyFloats(top, to: dst, count: tilesX)
                        copyFloats(top + s, to: dst + ss, count: tilesX)
                        copyFloats(bottom, to: dst + 2 * ss, count: tilesX)
                        copyFloats(bottom + s, to: dst + 3 * ss, count: tilesX)
                        continue
                    }
                    var tx = 0
                    while tx < tilesX {
                        outputGradientTransform16(top.simd16(tx), top.simd16(s + tx), bottom.simd16(tx),
                                                  bottom.simd16(s + tx), out + first + ty * tilesX + tx, pointStride: ps)
                        tx += 16
                    }
                }
            }
            guard tiling.narrow else { continue }
            var t = 0
            while t < zm.tiles {
                let p = UnsafePointer(staging + t)
                outputGradientTransform16(p.simd16(), p.simd16(ss), p.simd16(2 * ss), p.simd16(3 * ss), out + t,
                                          pointStride: ps)
                t += 16
            }
        }
    }

    /// Z = A dY Aᵀ of 16 tiles' dY = [[a, b], [c, d]] (one tile per lane).
    @inline(__always)
    static func outputGradientTransform16(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>,
                                          _ out: UnsafeMutablePointer<Float>, pointStride ps: Int) {
        // A dY: rows a|b, a+c|b+d, a-c|b-d, -c|-d.
        let (s00, s10, s20, s30) = outputGradientTransform1D(a, c)
        let (s01, s11, s21, s31) = outputGradientTransform1D(b, d)
        // (A dY) Aᵀ: each row's two columns expanded to four.
        store4(outputGradientTransform1D(s00, s01), out, stride: ps)
        store4(outputGradientTransform1D(s10, s11), out + 4 * ps, stride: ps)
        store4(outputGradientTransform1D(s20, s21), out + 8 * ps, stride: ps)
        store4(outputGradientTransform1D(s30, s31), out + 12 * ps, stride: ps)
    }

    /// `count` rows of one plane, zero-padded by `shift` rows and columns on the top and left
    /// (1 for the input tiles, 0 for the gradient tiles) and by zeros beyond the plane, each
    /// split into its even columns (`rows + r·2s`) and odd columns (`rows + r·2s + s`),
    /// s = `tiling.splitRow`.
    ///
    /// The image row is read in place, 32 floats at a time (a partial read at its end), and
    /// split by two permutes; the padding column shifts the odd source columns one lane to the
    /// right into the even padded columns. (Copying the row into a padded buffer first and
    /// reading it back one float off stalled every load on the stores it straddled.)
    @inline(__always)
    static func splitRows(_ plane: UnsafePointer<Float>, _ tiling: Tiling, count: Int, shift: Int,
                          into rows: UnsafeMutablePointer<Float>) {
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
                let (e, o) = deinterleave(loadRow(src, from: 2 * k, width: width),
                                          loadRow(src, from: 2 * k + 16, width: width))
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
