import Core

extension Convolution {
    /// How many images to unroll into one GEMM: enough that the product has at least ~512
    /// columns (the deep layers have only 4x4 or 8x8 output pixels per image), so the
    /// micro-kernel's 32-wide panels are full.
    static func imagesPerGEMM(_ g: ConvGeometry, images: Int) -> Int {
        max(1, min(images, (512 + g.outPixels - 1) / g.outPixels))
    }

    /// Runs `body` over `images` in consecutive groups of at most `imagesPerGEMM` images (the
    /// im2col path's unit of work), lending it scratch for the group's columns
    /// (`patchSize x group·outPixels`) and for one `outChannels x group·outPixels` matrix (the
    /// GEMM's product, or the gathered output gradient).
    static func forEachImageGroup(_ g: ConvGeometry, _ images: Range<Int>,
                                  _ body: (_ group: Range<Int>, _ columns: UnsafeMutablePointer<Float>,
                                  _ outputs: UnsafeMutablePointer<Float>) -> Void) {
        let pixels = g.outPixels
        let size = imagesPerGEMM(g, images: images.count)
        Scratch.withBuffer(count: (g.patchSize + g.outChannels) * size * pixels) { scratch in
            var n0 = images.lowerBound
            while n0 < images.upperBound {
                let group = n0 ..< min(n0 + size, images.upperBound)
                body(group, scratch, scratch + g.patchSize * size * pixels)
                n0 = group.upperBound
            }
        }
    }

    /// Same contract and result as `Convolution.forwardReference` (within float rounding), as
    /// im2col + GEMM: `y_chunk[co, q] = Σ_r w[co, r] · col[r, q]`. The batch is split over the
    /// cores; each core unrolls a few images at a time into its own scratch columns. `affine`
    /// as in `Convolution.forward`.
    package static func forwardOptimized(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                         y: UnsafeMutablePointer<Float>, normalizing affine: ChannelAffine? = nil) {
        let kernel = ConvKernel.choose(g, .forward)
        if let affine, !kernel.normalizesAsItReads {
            return withNormalizedInput(g, x, affine) { forwardOptimized(g, x: $0, w: w, y: y) }
        }
        switch kernel {
        case .channelLanes: return Conv3x3Direct.forwardChannelLanes(g, x: x, w: w, y: y, normalizing: affine)
        case .direct, .folded: return Conv3x3Direct.forward(g, x: x, w: w, y: y, normalizing: affine)
        case .winograd: return Winograd.forward(g, x: x, w: w, y: y, normalizing: affine)
        case .winograd4x4: return Winograd4x4.forward(g, x: x, w: w, y: y, normalizing: affine)
        case .im2col: break
        }
        let pixels = g.outPixels, depth = g.patchSize
        // Pieces of whole GEMM groups, so no piece makes a GEMM narrower than the batch would.
        Parallel.forPieces(g.batch, multiple: imagesPerGEMM(g, images: g.batch)) { mine in
            forEachImageGroup(g, mine) { images, col, product in
                let columns = images.count * pixels
                im2col(g, x: x, images: images, col: col)
                if images.count == 1 {
                    gemmSingleThread(.none, .none, m: g.outChannels, n: columns, k: depth, a: w, lda: depth,
                                     b: col, ldb: columns, c: y + images.lowerBound * g.outputImageSize, ldc: columns,
                                     accumulate: false)
                } else {
                    gemmSingleThread(.none, .none, m: g.outChannels, n: columns, k: depth, a: w, lda: depth,
                                     b: col, ldb: columns, c: product, ldc: columns, accumulate: false)
                    // [co, (j, q)] -> [j, co, q]
                    for (j, n) in images.enumerated() {
                        for co in 0 ..< g.outChannels {
                            simdCopy(product + co * columns + j * pixels, y + n * g.outputImageSize + co * pixels, pixels)
                        }
                    }
                }
            }
        }
    }

    /// Gathers `dy` of `images` into a `[outChannels x (images.count · outPixels)]` matrix,
    /// the layout of the forward GEMM's output. With one image it is `dy` itself.
    private static func gatherOutputGradient(_ g: ConvGeometry, dy: UnsafePointer<Float>, images: Range<Int>,
                                             into buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let pixels = g.outPixels
        if images.count == 1 { return dy + images.lowerBound * g.outputImageSize }
        let columns = images.count * pixels
        for (j, n) in images.enumerated() {
            for co in 0 ..< g.outChannels {
                simdCopy(dy + n * g.outputImageSize + co * pixels, buffer + co * columns + j * pixels, pixels)
            }
        }
        return UnsafePointer(buffer)
    }

    /// Same contract and result as `Convolution.backwardDataReference`, as a GEMM with the
    /// transposed weights (`dcol = wᵀ · dy`) followed by col2im, split over the cores by image.
    ///
    /// With `adding` (only where `addsInputGradientInPlace(g)`), the gradient is added to what
    /// `dx` holds, bit for bit `dx` plus the gradient written without it.
    package static func backwardDataOptimized(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                              dx: UnsafeMutablePointer<Float>, adding: Bool = false) {
        contract(!adding || addsInputGradientInPlace(g),
                 "Convolution.backwardDataOptimized: only a 1x1 stride-2 shortcut adds its input gradient in place")
        switch ConvKernel.choose(g, .backwardData) {
        case .channelLanes: return Conv3x3Direct.backwardDataChannelLanes(g, dy: dy, w: w, dx: dx)
        case .direct, .folded: return Conv3x3Direct.backwardData(g, dy: dy, w: w, dx: dx)
        case .winograd: return Winograd.backwardData(g, dy: dy, w: w, dx: dx)
        case .winograd4x4: return Winograd4x4.backwardData(g, dy: dy, w: w, dx: dx)
        case .im2col: break
        }
        let pixels = g.outPixels, depth = g.patchSize
        // The stride-2 col2ims reach every pixel and start each sum from +0 themselves, so
        // `dx` needs no zeroing pass there (the same numbers).
        let subsample = col2imIsSubsample(g), overwrites = subsample || col2imWritesEveryPixel(g)
        Parallel.forPieces(g.batch, multiple: imagesPerGEMM(g, images: g.batch)) { mine in
            if !overwrites {
                (dx + mine.lowerBound * g.inputImageSize).update(repeating: 0, count: mine.count * g.inputImageSize)
            }
            forEachImageGroup(g, mine) { images, dcol, gathered in
                let columns = images.count * pixels
                let dyChunk = gatherOutputGradient(g, dy: dy, images: images, into: gathered)
                gemmSingleThread(.transposed, .none, m: depth, n: columns, k: g.outChannels, a: w, lda: depth,
                                 b: dyChunk, ldb: columns, c: dcol, ldc: columns, accumulate: false)
                if subsample {
                    col2imSubsample(g, col: dcol, images: images, dx: dx, adding: adding)
                } else if overwrites {
                    col2imStride2(g, col: dcol, images: images, dx: dx, overwrite: true)
                } else {
                    col2im(g, col: dcol, images: images, dx: dx)
                }
            }
        }
    }

    /// Whether `backwardDataOptimized(…, adding: true)` can add `g`'s input gradient to a
    /// tensor as it writes it: a 1x1 stride-2 convolution (a downsampling shortcut, whose
    /// gradient joins the block's), whose col2im writes each pixel once.
    package static func addsInputGradientInPlace(_ g: ConvGeometry) -> Bool {
        ConvKernel.choose(g, .backwardData) == .im2col && col2imIsSubsample(g)
    }

    /// Same contract and result as `Convolution.backwardWeightsReference`, as `dw = dy · colᵀ`:
    /// each of the batch's `weightGradientShares` (two, whatever the core count) sums the
    /// product into a private buffer on a core of its own, and the partial sums are added at
    /// the end. `affine` as in `Convolution.forward`.
    package static func backwardWeightsOptimized(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                                 dw: UnsafeMutablePointer<Float>, accumulate: Bool = false,
                                                 normalizing affine: ChannelAffine? = nil) {
        let pixels = g.outPixels, depth = g.patchSize, count = g.weightCount
        let parts = weightGradientShares(batch: g.batch)
        let kernel = ConvKernel.choose(g, .backwardWeights)
        if let affine, !kernel.normalizesAsItReads {
            return withNormalizedInput(g, x, affine) {
                backwardWeightsOptimized(g, x: $0, dy: dy, dw: dw, accumulate: accumulate)
            }
        }
        if kernel == .winograd {
            return Winograd.backwardWeights(g, x: x, dy: dy, dw: dw, accumulate: accumulate, normalizing: affine)
        }
        if kernel == .winograd4x4 {
            return Winograd4x4.backwardWeights(g, x: x, dy: dy, dw: dw, accumulate: accumulate, normalizing: affine)
        }
        let channelLanes = kernel == .channelLanes, direct = kernel == .direct || kernel == .folded
        // With more cores than shares, the direct kernel and the channel lanes split each
        // share's output channels (in pairs, or in 32s) over the spare ones: their cells are
        // independent sums, so the split changes no number.
        let unit = kernel == .direct ? 2 : kernel == .channelLanes ? 32 : 0
        let splits = unit > 0 ? weightGradientSplits(shares: parts, outChannels: g.outChannels, unit: unit) : 1
        Scratch.withBuffer(count: parts * count) { partials in
            Parallel.forEach(parts * splits) { task in
                let t = task / splits
                let mine = Parallel.chunkRange(t, of: parts, count: g.batch)
                let partial = partials + t * count
                // The output channels this piece sums (nil: all of them), whose rows of the partial
                // it zeroes first.
                let outputs = splits > 1
                    ? weightGradientPiece(task % splits, of: splits, outChannels: g.outChannels, unit: unit) : nil
                let rows = g.inChannels * 9
                if let outputs {
                    (partial + outputs.lowerBound * rows).update(repeating: 0, count: outputs.count * rows)
                } else {
                    partial.update(repeating: 0, count: count)
                }
                if channelLanes {
                    Conv3x3Direct.accumulateWeightGradientChannelLanes(g, x: x, dy: dy, images: mine, dw: partial,
                                                                       outputs: outputs, normalizing: affine)
                    return
                }
                if direct {
                    Conv3x3Direct.accumulateWeightGradient(g, x: x, dy: dy, images: mine, dw: partial, outputs: outputs,
                                                           normalizing: affine)
                    return
                }
                forEachImageGroup(g, mine) { images, col, gathered in
                    let columns = images.count * pixels
                    im2col(g, x: x, images: images, col: col)
                    let dyChunk = gatherOutputGradient(g, dy: dy, images: images, into: gathered)
                    gemmSingleThread(.none, .transposed, m: g.outChannels, n: depth, k: columns, a: dyChunk,
                                     lda: columns, b: col, ldb: columns, c: partial, ldc: depth, accumulate: true)
                }
            }
            for i in 0 ..< count {
                var sum: Float = accumulate ? dw[i] : 0
                for t in 0 ..< parts { sum += partials[t * count + i] }
                dw[i] = sum
            }
        }
    }
}
