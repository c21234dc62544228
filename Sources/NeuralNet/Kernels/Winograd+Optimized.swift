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
    /// (`convolve`). With `affine`, `x` is read as the batch norm it stands for would have
    /// written it (`ChannelAffine`).
    static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, normalizing affine: ChannelAffine? = nil) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        Scratch.withBuffer(count: 16 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false, into: u)
            convolve(batch: g.batch, inChannels: g.inChannels, outChannels: g.outChannels, height: g.height,
                     width: g.width, x: x, u: u, y: y, affine: affine)
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
    /// (overwritten, or added to with `accumulate`). Each of the batch's `weightGradientShares`
    /// sums `P_ξ = Σ_tiles Z_ξ · V_ξᵀ` (Z the output gradient's tiles expanded by A dY Aᵀ, V
    /// the input tiles' transforms) over its images, the partial sums are added, and
    /// `dw = Gᵀ P G` reduces each 4x4 sum to the 3x3 gradient. With `affine`, `x` is read as
    /// in `forward`.
    static func backwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                dw: UnsafeMutablePointer<Float>, accumulate: Bool,
                                normalizing affine: ChannelAffine? = nil) {
        contract(applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        let (ci, co) = (g.inChannels, g.outChannels)
        let count = 16 * co * ci
        let parts = weightGradientShares(batch: g.batch)
        // With more cores than shares, the GEMM path splits each share's output channels (in
        // the GEMM's 8-row tiles) over the spare ones; every piece transforms its share's input.
        let splits = useProductSums(inChannels: ci, outChannels: co)
            ? 1 : weightGradientSplits(shares: parts, outChannels: co, unit: 8)
        Scratch.withBuffer(count: parts * count) { partials in
            Parallel.forEach(parts * splits) { task in
                let t = task / splits
                let partial = partials + t * count
                let outputs = weightGradientPiece(task % splits, of: splits, outChannels: co, unit: 8)
                for point in 0 ..< 16 {
                    (partial + point * co * ci + outputs.lowerBound * ci).update(repeating: 0, count: outputs.count * ci)
                }
                accumulateTransformedWeightGradient(g, x: x, dy: dy,
                                                    images: Parallel.chunkRange(t, of: parts, count: g.batch),
                                                    p: partial, outputs: outputs, affine: affine)
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
                         x: UnsafePointer<Float>, u: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                         affine: ChannelAffine? = nil) {
        let tiling = Tiling(height: height, width: width)
        let inSize = inChannels * height * width, outSize = outChannels * height * width
        // Pieces of whole groups, as large as the whole batch would take (see `Winograd4x4.convolve`).
        let whole = imagesPerGroup(tilesPerImage: tiling.perImage, channels: inChannels + outChannels, images: batch)
        Parallel.forPieces(batch, multiple: whole) { mine in
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
                                        channels: inChannels, tiling, v: v, vm, scratch, affine: affine)
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
                                                    p: UnsafeMutablePointer<Float>, outputs: Range<Int>? = nil,
                                                    affine: ChannelAffine? = nil) {
        guard !mine.isEmpty else { return }
        let (ci, co) = (g.inChannels, g.outChannels)
        // Only these output channels' rows of `p` (the GEMM path's split; the groups stay the
        // whole pass's, so every sum does too).
        let outputs = outputs ?? 0 ..< co
        contract(outputs == 0 ..< co || !useProductSums(inChannels: ci, outChannels: co),
                 "Winograd: the product sums compute every output channel")
        guard !outputs.isEmpty else { return }
        let tiling = Tiling(height: g.height, width: g.width)
        let group = imagesPerGroup(tilesPerImage: tiling.perImage, channels: ci + co, images: mine.count)
        let columns = group * tiling.perImage
        let vCount = TileMatrices(channels: ci, tiles: columns).count
        let zCount = TileMatrices(channels: outputs.count, tiles: columns).count
        let sCount = TransformScratch.count(tiling, tiles: columns)
        Scratch.withBuffer(count: vCount + zCount + sCount) { buffer in
            let v = buffer, z = buffer + vCount
            let scratch = TransformScratch(buffer + vCount + zCount, tiling, tiles: columns)
            var n0 = mine.lowerBound
            while n0 < mine.upperBound {
                let images = n0 ..< min(n0 + group, mine.upperBound)
                let tiles = images.count * tiling.perImage
                let vm = TileMatrices(channels: ci, tiles: tiles), zm = TileMatrices(channels: outputs.count, tiles: tiles)
                transformInputTiles(x + n0 * g.inputImageSize, images: images.count, imageSize: g.inputImageSize,
                                    channels: ci, tiling, v: v, vm, scratch, affine: affine)
                transformOutputGradientTiles(dy + n0 * g.outputImageSize + outputs.lowerBound * g.outPixels,
                                             images: images.count, imageSize: g.outputImageSize,
                                             channels: outputs.count, tiling, z: z, zm, scratch)
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
                        gemmSingleThread(.none, .transposed, m: outputs.count, n: ci, k: tiles,
                                         a: z + point * zm.pointStride, lda: zm.rowStride,
                                         b: v + point * vm.pointStride, ldb: vm.rowStride,
                                         c: p + point * co * ci + outputs.lowerBound * ci, ldc: ci, accumulate: true)
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
}
