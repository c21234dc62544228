import Core

/// Winograd F(4x4, 3x3) (`Winograd.Algorithm.f4x4`) for small planes: 36 multiplies per 4x4
/// output tile and channel pair, against 64 for the same outputs by F(2x2, 3x3) and 144 directly.
///
/// The steps are those of `Winograd+Optimized.swift` with 6x6 tiles and 36 points: the filters
/// are transformed into 36 matrices `U_ξ [outChannels x inChannels]`, the tiles of a group of
/// images into 36 matrices `V_ξ [inChannels x tiles]`, 36 GEMMs give `M_ξ = U_ξ V_ξ`, and the
/// output transform turns each tile's 36 sums into its 4x4 outputs.
///
/// It runs on planes whose sides are multiples of 4 and that hold at most 256 pixels (the
/// classroom's 8x8 and 4x4 planes of layer3 and layer4, and 16x16): the tiles need no
/// ragged edge, and a plane is whole vectors. Sixteen images go through together, one per
/// vector lane: a 16 x 16 transpose turns sixteen images' rows of 16 pixels into sixteen
/// vectors, one per pixel, so every tile element of every transform is a whole vector
/// (column `16 · (block · tilesPerImage + tile) + lane` of the matrices is image
/// `16 · block + lane`'s tile).
///
/// The transforms add in the order of the reference's small matrix products
/// (`Winograd.product`), skipping its terms with a zero coefficient, so they give its numbers
/// (a zero may differ in sign); only the GEMMs' sums round differently.
package enum Winograd4x4 {
    static let quarter: Float = 1 / 4
    static let sixth: Float = 1 / 6
    static let twelfth: Float = 1 / 12
    static let twentyFourth: Float = 1 / 24

    /// Whether the optimized kernel computes the 3x3 stride-1 padding-1 convolution `g`:
    /// sides that are multiples of 4 and a plane of 16 to 256 pixels.
    static func applies(_ g: ConvGeometry) -> Bool {
        Winograd.applies(g) && g.height % 4 == 0 && g.width % 4 == 0 && g.height * g.width % 16 == 0
            && g.height * g.width <= 256
    }

    /// Multiply-adds of one pass of `g`: 36 per 4x4 output tile and channel pair.
    package static func multiplyAdds(_ g: ConvGeometry) -> Int {
        g.batch * (g.height / 4) * (g.width / 4) * 36 * g.inChannels * g.outChannels
    }

    /// Where one group's transformed tiles live: 36 matrices of `channels` rows and `columns`
    /// columns, padded as `Winograd.TileMatrices` are (so the 36 points of a tile do not fall on
    /// the same cache sets). The columns of a row come in vectors of 16, one per tile of a block
    /// of images (`transformGroup`), laid out in one of two ways:
    /// - in rows, `rowStride` floats apart: the matrices a GEMM reads or writes as stored;
    /// - with `panels`, as `packB` packs a GEMM's B (`gemmPackedB`): blocks of `gemmKC` rows
    ///   `blockStride` apart, each in panels of 32 columns stored row after row. The forward
    ///   GEMMs then read the input's tiles where the transform wrote them, without a copy.
    struct Layout {
        let rowStride: Int, pointStride: Int
        let panels: Bool, channels: Int, blockStride: Int

        init(channels: Int, columns: Int, panels: Bool = false) {
            self.panels = panels
            self.channels = channels
            rowStride = columns + 16
            blockStride = panels ? gemmKC * ((columns + 31) / 32 * 32) : 0
            // Panels take no more room than rows (32-column panels pad `columns` by at most
            // 16); both are given the rows' room, so the buffers `Scratch` lends for one pass
            // of a layer fit the others' requests too (a smaller one here left the weight
            // gradient's to map buffers of their own, and the step's peak memory grew).
            pointStride = (channels * rowStride + 1023) / 1024 * 1024 + 16
        }

        var count: Int { 36 * pointStride }

        /// Where tile `t`'s vector of channel `c` starts in each point's matrix.
        func offset(channel c: Int, tile t: Int) -> Int {
            guard panels else { return c * rowStride + 16 * t }
            let block = c / gemmKC
            return block * blockStride + (t / 2) * pairStride(channel: c) + (c - block * gemmKC) * 32 + (t % 2) * 16
        }

        /// How far tile `t + 2`'s vector of channel `c` is from tile `t`'s: 32 in rows, a whole
        /// panel (32 columns of the rows of `c`'s block) with `panels`.
        func pairStride(channel c: Int) -> Int {
            guard panels else { return 32 }
            let block = c / gemmKC
            return 32 * min(gemmKC, channels - block * gemmKC)
        }
    }

    /// Images per group: enough that the 36 GEMMs have 64 columns or more (fewer run their
    /// panels half empty), more while the transformed tiles of the group's input and output
    /// channels fit `Winograd.tileBudget`; a multiple of 16 (one image per lane), at most
    /// `images` rounded up to 16.
    static func imagesPerGroup(tilesPerImage: Int, channels: Int, images: Int) -> Int {
        let budgeted = Winograd.tileBudget / (36 * channels * tilesPerImage)
        let minimum = (Winograd.minimumGroupTiles + tilesPerImage - 1) / tilesPerImage
        let wanted = min(max(budgeted, minimum), images)
        return max(16, (wanted + 15) / 16 * 16)
    }
}
