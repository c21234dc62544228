import Core

/// The three passes of the optimized F(4x4, 3x3) convolution (`Winograd4x4`), with the contracts
/// of `Winograd.forward`, `Winograd.backwardData` and `Winograd.backwardWeights`.
extension Winograd4x4 {
    /// `x` `[batch, inChannels, height, width]`, `w` `[outChannels, inChannels, 3, 3]`, `y`
    /// `[batch, outChannels, height, width]` (overwritten); with `affine`, `x` is read as the
    /// batch norm it stands for would have written it. Requires `applies(g)`.
    static func forward(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, normalizing affine: ChannelAffine? = nil) {
        contract(applies(g), "Winograd F(4x4, 3x3) needs a 3x3 stride-1 kernel on a plane of at most 256 pixels, sides multiples of 4")
        Scratch.withBuffer(count: 36 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: false, into: u)
            convolve(g.batch, inChannels: g.inChannels, outChannels: g.outChannels, height: g.height, width: g.width,
                     x: x, u: u, y: y, affine: affine)
        }
    }

    /// `dy` `[batch, outChannels, height, width]`, `w` `[outChannels, inChannels, 3, 3]`, `dx`
    /// `[batch, inChannels, height, width]` (overwritten): the forward algorithm on `dy` with the
    /// filters rotated by 180° and the channels swapped.
    static func backwardData(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        contract(applies(g), "Winograd F(4x4, 3x3) needs a 3x3 stride-1 kernel on a plane of at most 256 pixels, sides multiples of 4")
        Scratch.withBuffer(count: 36 * g.outChannels * g.inChannels) { u in
            transformFilters(w, outChannels: g.outChannels, inChannels: g.inChannels, flipped: true, into: u)
            convolve(g.batch, inChannels: g.outChannels, outChannels: g.inChannels, height: g.height, width: g.width,
                     x: dy, u: u, y: dx)
        }
    }

    /// `x` `[batch, inChannels, height, width]`, `dy` `[batch, outChannels, height, width]`,
    /// `dw` `[outChannels, inChannels, 3, 3]` (overwritten, or added to with `accumulate`).
    /// Each of the batch's `weightGradientShares` sums `P_ξ = Σ_tiles Z_ξ V_ξᵀ` over its images;
    /// the partial sums are added in share order as `dw = Gᵀ P G` reads them.
    static func backwardWeights(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                dw: UnsafeMutablePointer<Float>, accumulate: Bool,
                                normalizing affine: ChannelAffine? = nil) {
        contract(applies(g), "Winograd F(4x4, 3x3) needs a 3x3 stride-1 kernel on a plane of at most 256 pixels, sides multiples of 4")
        let count = 36 * g.outChannels * g.inChannels
        let parts = weightGradientShares(batch: g.batch)
        // With more cores than shares, each share's output channels (in the GEMM's 8-row
        // tiles) are split over the spare ones; every piece transforms its share's input again.
        let splits = weightGradientSplits(shares: parts, outChannels: g.outChannels, unit: 8)
        Scratch.withBuffer(count: parts * count) { partials in
            Parallel.forEach(parts * splits) { task in
                let t = task / splits
                accumulateProducts(g, x: x, dy: dy, images: Parallel.chunkRange(t, of: parts, count: g.batch),
                                   p: partials + t * count,
                                   outputs: weightGradientPiece(task % splits, of: splits, outChannels: g.outChannels, unit: 8),
                                   affine: affine)
            }
            transformFilterGradients(partials, parts: parts, outChannels: g.outChannels, inChannels: g.inChannels,
                                     dw: dw, accumulate: accumulate)
        }
    }

    // MARK: - Groups of images

    /// Per-core scratch: the element vectors of one 16-image block (a vector per pixel), a
    /// 16-image staging block for a last block of fewer images, and 36 vectors of a tile's
    /// half-transformed values.
    struct BlockScratch {
        let elements: UnsafeMutablePointer<Float>, staging: UnsafeMutablePointer<Float>
        let half: UnsafeMutablePointer<Float>

        static func count(plane: Int) -> Int { 2 * 16 * plane + 36 * 16 }

        init(_ base: UnsafeMutablePointer<Float>, plane: Int) {
            elements = base
            staging = base + 16 * plane
            half = staging + 16 * plane
        }
    }

    /// `y` = the convolution of `batch` images `x` `[inChannels, height, width]` with filters
    /// transformed into `u` `[36][outChannels][inChannels]`; the batch is split over the cores.
    static func convolve(_ batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int,
                         x: UnsafePointer<Float>, u: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                         affine: ChannelAffine? = nil) {
        let plane = height * width, tilesPerImage = plane / 16
        let inSize = inChannels * plane, outSize = outChannels * plane
        // Pieces of whole groups, as large as the whole batch would take: smaller pieces would
        // shrink the groups, and with them the GEMMs' columns per pass over the filters.
        let group = imagesPerGroup(tilesPerImage: tilesPerImage, channels: inChannels + outChannels, images: batch)
        Parallel.forPieces(batch, multiple: group) { mine in
            forEachGroup(mine, channels: inChannels, otherChannels: outChannels, plane: plane,
                         inputPanels: true) { n0, images, group in
                let blocks = (images + 15) / 16, cols = blocks * tilesPerImage * 16
                transformGroup(x + n0 * inSize, imageStride: inSize, images: images, channels: inChannels,
                               height: height, width: width, gradient: false, affine: affine,
                               into: group.v, group.vl, group.scratch)
                for point in 0 ..< 36 {
                    gemmPackedB(m: outChannels, n: cols, k: inChannels, a: u + point * outChannels * inChannels,
                                lda: inChannels, panels: group.v + point * group.vl.pointStride,
                                blockStride: group.vl.blockStride,
                                c: group.m + point * group.ml.pointStride, ldc: group.ml.rowStride, accumulate: false)
                }
                for c in 0 ..< outChannels {
                    for block in 0 ..< blocks {
                        transformOutputTiles(group.m + c * group.ml.rowStride + block * tilesPerImage * 16,
                                             pointStride: group.ml.pointStride, height: height, width: width,
                                             group.scratch)
                        storeBlock(group.scratch, y + (n0 + 16 * block) * outSize + c * plane, imageStride: outSize,
                                   images: min(16, images - 16 * block), plane: plane)
                    }
                }
            }
        }
    }

    /// `p[ξ][co][ci] = Σ_tiles Z_ξ[co, t] · V_ξ[ci, t]` over the tiles of `images` (at least one),
    /// a group at a time (a GEMM per point, the tiles its reduction; the first group's GEMMs
    /// write `p`, so it needs no zeroing). With `outputs`, only those output channels' rows of
    /// `p` are computed and touched; the groups are the whole pass's, so every sum is too.
    static func accumulateProducts(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                   images mine: Range<Int>, p: UnsafeMutablePointer<Float>,
                                   outputs: Range<Int>? = nil, affine: ChannelAffine?) {
        guard !mine.isEmpty else { return }
        let (ci, co) = (g.inChannels, g.outChannels)
        let outputs = outputs ?? 0 ..< co
        guard !outputs.isEmpty else { return }
        let plane = g.height * g.width, tilesPerImage = plane / 16
        forEachGroup(mine, channels: ci, otherChannels: outputs.count, plane: plane, sizedFor: ci + co) { n0, images, group in
            let cols = (images + 15) / 16 * tilesPerImage * 16
            transformGroup(x + n0 * g.inputImageSize, imageStride: g.inputImageSize, images: images, channels: ci,
                           height: g.height, width: g.width, gradient: false, affine: affine,
                           into: group.v, group.vl, group.scratch)
            transformGroup(dy + n0 * g.outputImageSize + outputs.lowerBound * plane, imageStride: g.outputImageSize,
                           images: images, channels: outputs.count, height: g.height, width: g.width, gradient: true,
                           affine: nil, into: group.m, group.ml, group.scratch)
            for point in 0 ..< 36 {
                gemmSingleThread(.none, .transposed, m: outputs.count, n: ci, k: cols,
                                 a: group.m + point * group.ml.pointStride, lda: group.ml.rowStride,
                                 b: group.v + point * group.vl.pointStride, ldb: group.vl.rowStride,
                                 c: p + point * co * ci + outputs.lowerBound * ci, ldc: ci,
                                 accumulate: n0 > mine.lowerBound)
            }
        }
    }

    /// The buffers of one group of images: its input's transformed tiles `v` (laid out as `vl`),
    /// a second tiled tensor `m` (`ml`: the convolution's products, or the output gradient's
    /// tiles), and the block scratch.
    struct GroupBuffers {
        let v: UnsafeMutablePointer<Float>, vl: Layout
        let m: UnsafeMutablePointer<Float>, ml: Layout
        let scratch: BlockScratch
    }

    /// Runs `body` on `images` a group at a time (consecutive images, as many as
    /// `imagesPerGroup` allows for `channels` + `otherChannels` rows of tiles, or for
    /// `sizedFor` rows if given), with the group's first image, its size, and buffers for its
    /// `channels` transformed rows (in GEMM panels with `inputPanels`) and `otherChannels`
    /// other rows, lent once for all the groups.
    static func forEachGroup(_ images: Range<Int>, channels: Int, otherChannels: Int, plane: Int,
                             sizedFor groupChannels: Int? = nil, inputPanels: Bool = false,
                             _ body: (_ first: Int, _ count: Int, _ buffers: GroupBuffers) -> Void) {
        let tilesPerImage = plane / 16
        let group = imagesPerGroup(tilesPerImage: tilesPerImage, channels: groupChannels ?? channels + otherChannels,
                                   images: images.count)
        let vl = Layout(channels: channels, columns: group * tilesPerImage, panels: inputPanels)
        let ml = Layout(channels: otherChannels, columns: group * tilesPerImage)
        Scratch.withBuffer(count: vl.count + ml.count + BlockScratch.count(plane: plane)) { buffer in
            let buffers = GroupBuffers(v: buffer, vl: vl, m: buffer + vl.count, ml: ml,
                                       scratch: BlockScratch(buffer + vl.count + ml.count, plane: plane))
            var n0 = images.lowerBound
            while n0 < images.upperBound {
                let count = min(group, images.upperBound - n0)
                body(n0, count, buffers)
                n0 += count
            }
        }
    }

    /// The tiles of every channel of `images` images (`imageStride` floats apart from `source`),
    /// a block of 16 images at a time, into `v` laid out as `layout`: input tiles `Bᵀ d B` (read
    /// through `affine` if given), or with `gradient` output-gradient tiles `A dY Aᵀ` (into rows,
    /// not panels). Block `b`'s tiles are the group's tiles from `tilesPerImage · b`.
    static func transformGroup(_ source: UnsafePointer<Float>, imageStride: Int, images: Int, channels: Int,
                               height: Int, width: Int, gradient: Bool, affine: ChannelAffine?,
                               into v: UnsafeMutablePointer<Float>, _ layout: Layout, _ scratch: BlockScratch) {
        contract(!(gradient && layout.panels), "Winograd F(4x4, 3x3): output-gradient tiles go into rows, not panels")
        let plane = height * width, tilesPerImage = plane / 16, blocks = (images + 15) / 16
        for c in 0 ..< channels {
            for b in 0 ..< blocks {
                loadBlock(source + 16 * b * imageStride + c * plane, imageStride: imageStride,
                          images: min(16, images - 16 * b), plane: plane, channel: c, affine: affine, scratch)
                // The next block's planes (one per image, `imageStride` apart, each from memory),
                // asked of the cache while this block's tiles are transformed.
                let (nc, nb) = b + 1 < blocks ? (c, b + 1) : (c + 1, 0)
                if nc < channels {
                    for j in 0 ..< min(16, images - 16 * nb) {
                        prefetchToCache(source + (16 * nb + j) * imageStride + nc * plane, count: plane)
                    }
                }
                if gradient {
                    transformOutputGradientTiles(scratch, height: height, width: width,
                                                 z: v + layout.offset(channel: c, tile: b * tilesPerImage),
                                                 pointStride: layout.pointStride)
                } else {
                    transformInputTiles(scratch, height: height, width: width, v: v + layout.offset(channel: c, tile: 0),
                                        firstTile: b * tilesPerImage, pairStride: layout.pairStride(channel: c),
                                        pointStride: layout.pointStride)
                }
            }
        }
        // An odd number of tile vectors leaves the last panel's second half empty: the GEMM
        // multiplies it too (and drops the result), so it holds zeros, not stale floats.
        let tiles = blocks * tilesPerImage
        if layout.panels && tiles % 2 == 1 {
            for c in 0 ..< channels {
                let half = v + layout.offset(channel: c, tile: tiles)
                for point in 0 ..< 36 { simdZero(half + point * layout.pointStride, 16) }
            }
        }
    }

    // MARK: - Moving 16 images in and out of the lanes

    /// Fills `scratch.elements` with one channel's plane of up to 16 images, pixel `q` of image
    /// `j` at `elements[16 q + j]`, zero for the images beyond `images`; with `affine`, each
    /// value as that channel's batch norm writes it.
    @inline(__always)
    static func loadBlock(_ source: UnsafePointer<Float>, imageStride: Int, images: Int, plane: Int, channel c: Int,
                          affine: ChannelAffine?, _ scratch: BlockScratch) {
        let e = scratch.elements
        if images == 16 {
            for q in 0 ..< plane / 16 {
                transpose16x16(source + 16 * q, sourceStride: imageStride, into: e + 256 * q, destinationStride: 16)
            }
            if let affine { simdAffine(e, e, 16 * plane, a: affine.scale[c], b: affine.shift[c], relu: affine.relu) }
            return
        }
        let s = scratch.staging
        for j in 0 ..< images {
            if let affine {
                simdAffine(source + j * imageStride, s + j * plane, plane, a: affine.scale[c], b: affine.shift[c],
                           relu: affine.relu)
            } else {
                simdCopy(source + j * imageStride, s + j * plane, plane)
            }
        }
        simdZero(s + images * plane, (16 - images) * plane)
        for q in 0 ..< plane / 16 {
            transpose16x16(s + 16 * q, sourceStride: plane, into: e + 256 * q, destinationStride: 16)
        }
    }

    /// The inverse of `loadBlock`: writes the planes in `scratch.elements` of the first `images`
    /// images to `destination` (`imageStride` apart).
    @inline(__always)
    static func storeBlock(_ scratch: BlockScratch, _ destination: UnsafeMutablePointer<Float>, imageStride: Int,
                           images: Int, plane: Int) {
        let e = scratch.elements
        if images == 16 {
            for q in 0 ..< plane / 16 {
                transpose16x16(e + 256 * q, sourceStride: 16, into: destination + 16 * q, destinationStride: imageStride)
            }
            return
        }
        let s = scratch.staging
        for q in 0 ..< plane / 16 {
            transpose16x16(e + 256 * q, sourceStride: 16, into: s + 16 * q, destinationStride: plane)
        }
        for j in 0 ..< images { simdCopy(s + j * plane, destination + j * imageStride, plane) }
    }
}
