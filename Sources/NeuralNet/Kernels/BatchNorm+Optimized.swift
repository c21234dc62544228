import Core

/// Channels per thread chunk such that small tensors stay on one thread.
@inline(__always)
func minimumChannelsPerChunk(_ g: BatchNormGeometry) -> Int {
    g.count < parallelThreshold ? g.channels : 1
}

/// Σ (p[i] - center)² over `count` floats.
@inline(__always)
func simdSquaredDeviation(_ p: UnsafePointer<Float>, _ count: Int, center: Float) -> Float {
    var acc = SIMD16<Float>()
    let c = SIMD16<Float>(repeating: center)
    var i = 0
    while i + 16 <= count { let d = p.simd16(i) - c; acc = acc.addingProduct(d, d); i += 16 }
    var s = acc.laneSum()
    while i < count { let d = p[i] - center; s += d * d; i += 1 }
    return s
}

/// Same contract and result as `batchNormForwardTrainingReference`, with the statistics
/// gathered plane by plane: each `H x W` plane's mean and squared deviation are computed in
/// two SIMD passes while it sits in L1, and the planes are merged with Chan's formula in
/// Double (so there is no E[x²] - E[x]² cancellation and the tensor is read from memory
/// once for statistics and once for the output). Channels are split over the cores.
package func batchNormForwardTrainingOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                              gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                              eps: Float, relu: Bool = false, y: UnsafeMutablePointer<Float>,
                                              mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    if imageByImage(g) {
        gatherStatisticsByImage(g, x: x, mean: mean, variance: variance)
        Scratch.withBuffer(count: 2 * g.channels) { constants in
            let scale = constants, shift = constants + g.channels
            batchNormFold(channels: g.channels, gamma: gamma, beta: beta, mean: mean, variance: variance, eps: eps,
                          scale: scale, shift: shift)
            forEachImage(g) { n in
                for c in 0 ..< g.channels {
                    let offset = (n * g.channels + c) * g.planeSize
                    simdAffine(x + offset, y + offset, g.planeSize, a: scale[c], b: shift[c], relu: relu)
                }
            }
        }
        return
    }
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            gatherStatistics(g, c, x: x, mean: mean, variance: variance)
            normalizeChannel(g, c, x: x, gamma: gamma, beta: beta, eps: eps, relu: relu, y: y, mean: mean,
                             variance: variance)
        }
    }
}

/// Whether the statistics, the normalise pass and the backward pass go through the tensor
/// image by image, in memory order, rather than channel by channel: planes of more than 256
/// values (the 32x32 stem and first stage). Channel by channel, each plane read is a jump of
/// a whole image's channels from the last, which the hardware prefetcher does not follow, and
/// the next plane is not asked for until the current one's sums are done, so those norms ran
/// well short of their memory bound. Image by image, each plane's sums are
/// kept and the planes are merged afterwards channel by channel in image order, the same
/// operations in the same order, so the same numbers bit for bit.
@inline(__always)
func imageByImage(_ g: BatchNormGeometry) -> Bool {
    if let order = BatchNormOrder.forced { return order == .imageByImage }
    return g.planeSize > 256
}

/// The two orders in which the optimized batch norm can go through a tensor whose planes it
/// does not take 16 channels at a time (`imageByImage`). They give the same numbers bit for
/// bit; tests force each to check that.
package enum BatchNormOrder: Sendable {
    case channelByChannel, imageByImage

    /// The order to use instead of `imageByImage`'s choice (tests); nil in normal runs. Set it
    /// before a pass starts, not during one.
    nonisolated(unsafe) package static var forced: BatchNormOrder?
}

/// Runs `body` on every image of the batch, the images split over the cores (on the calling
/// thread for a small tensor).
@inline(__always)
func forEachImage(_ g: BatchNormGeometry, _ body: (Int) -> Void) {
    if g.count < parallelThreshold || g.batch == 1 {
        for n in 0 ..< g.batch { body(n) }
        return
    }
    Parallel.forPieces(g.batch) { images in
        for n in images { body(n) }
    }
}

/// `gatherStatistics` for every channel, image by image (`imageByImage`): each plane's mean
/// and squared deviation, computed as there, are kept in a `[batch, channels]` table, then
/// merged with Chan's formula channel by channel in image order, as there.
private func gatherStatisticsByImage(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                     mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize, planes = g.batch * g.channels
    Scratch.withBuffer(count: 2 * planes) { table in
        let planeMeans = table, planeM2s = table + planes
        forEachImage(g) { n in
            for c in 0 ..< g.channels {
                let i = n * g.channels + c, p = x + i * plane
                let planeMean = simdSum(p, plane) / Float(plane)
                planeMeans[i] = planeMean
                planeM2s[i] = simdSquaredDeviation(p, plane, center: planeMean)
            }
        }
        for c in 0 ..< g.channels {
            var moments = RunningMoments()
            for n in 0 ..< g.batch {
                let i = n * g.channels + c
                moments.add(planeMean: planeMeans[i], planeM2: Double(planeM2s[i]), values: plane)
            }
            (mean[c], variance[c]) = (moments.mean, moments.variance)
        }
    }
}

/// The statistics of `batchNormForwardTrainingOptimized` without its output: the batch
/// `mean` and biased `variance` of every channel, the same numbers bit for bit. A fused
/// block gathers them, folds them (`batchNormFold`) and lets the layers that read the
/// norm's output apply it (`ChannelAffine`).
///
/// Shapes: `x` `[batch, channels, plane]`; `mean`, `variance` `[channels]`.
package func batchNormStatisticsOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                          mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    if sixteenChannelsAtOnce(g) {
        Parallel.forChunks(g.channels / 16, minimumChunk: minimumChannelsPerChunk(g)) { blocks in
            Scratch.withBuffer(count: 256) { partials in
                for block in blocks { gatherStatistics16(g, block * 16, x: x, mean: mean, variance: variance,
                                                         partials: partials) }
            }
        }
        return
    }
    if imageByImage(g) { return gatherStatisticsByImage(g, x: x, mean: mean, variance: variance) }
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels { gatherStatistics(g, c, x: x, mean: mean, variance: variance) }
    }
}

/// Whether the statistics and the backward pass take 16 channels side by side: planes of at
/// most 256 values (the 16x16, 8x8 and 4x4 stages), in whole vectors, 16 channels at a time.
/// Channel by channel, such a plane is a few vector adds followed by two lane reductions and
/// a merge in Double (a division) that waits on the previous plane's: on 4x4 planes that
/// chain, not memory, set the pace (the norms of layer4 ran at 18x their memory bound).
/// Side by side, the 16 reductions share vector instructions (`SIMD16.laneSums`), the 16
/// merges are vector operations, and the planes read are adjacent.
@inline(__always)
func sixteenChannelsAtOnce(_ g: BatchNormGeometry) -> Bool {
    g.channels % 16 == 0 && g.planeSize % 16 == 0 && g.planeSize <= 256
}

/// `gatherStatistics` for the 16 channels from `c0`, the same operations on each in its own
/// lane, so the same numbers bit for bit: each plane's vector sums are reduced by
/// `SIMD16.laneSums` (the additions of `laneSum()`), and Chan's merge runs in `SIMD16<Double>`
/// in the scalar formula's order. `partials` holds 16 vectors (256 floats).
@inline(__always)
private func gatherStatistics16(_ g: BatchNormGeometry, _ c0: Int, x: UnsafePointer<Float>,
                                mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
                                partials: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize, b = Double(plane)
    var count = 0.0, mu = SIMD16<Double>(), m2 = SIMD16<Double>()
    for n in 0 ..< g.batch {
        let planes = x + (n * g.channels + c0) * plane
        for j in 0 ..< 16 {
            let p = planes + j * plane
            var acc = SIMD16<Float>()
            var i = 0
            while i < plane { acc += p.simd16(i); i += 16 }
            partials.store(acc, at: 16 * j)
        }
        let planeMean = SIMD16<Float>.laneSums(of: partials) / SIMD16<Float>(repeating: Float(plane))
        for j in 0 ..< 16 {
            let p = planes + j * plane, center = SIMD16<Float>(repeating: planeMean[j])
            var acc = SIMD16<Float>()
            var i = 0
            while i < plane { let d = p.simd16(i) - center; acc = acc.addingProduct(d, d); i += 16 }
            partials.store(acc, at: 16 * j)
        }
        let planeM2 = SIMD16<Double>(SIMD16<Float>.laneSums(of: partials))
        let delta = SIMD16<Double>(planeMean) - mu, total = count + b
        mu += delta * b / total
        m2 += planeM2 + delta * delta * count * b / total
        count = total
    }
    for j in 0 ..< 16 {
        mean[c0 + j] = Float(mu[j])
        variance[c0 + j] = Float(m2[j] / count)
    }
}

/// Channel `c`'s mean and biased variance: each `H x W` plane's mean and squared deviation in
/// two SIMD passes while it sits in L1, the planes merged with Chan's formula in Double (so
/// there is no E[x²] - E[x]² cancellation).
@inline(__always)
private func gatherStatistics(_ g: BatchNormGeometry, _ c: Int, x: UnsafePointer<Float>,
                              mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize
    var moments = RunningMoments()
    for n in 0 ..< g.batch {
        let p = x + (n * g.channels + c) * plane
        let planeMean = simdSum(p, plane) / Float(plane)
        moments.add(planeMean: planeMean, planeM2: Double(simdSquaredDeviation(p, plane, center: planeMean)),
                    values: plane)
    }
    (mean[c], variance[c]) = (moments.mean, moments.variance)
}

/// One channel's statistics gathered a plane at a time: Chan et al.'s merge of each plane's
/// mean and squared deviation into the running count, mean and squared deviation, in Double,
/// in the order the planes are added (both orders of `gatherStatistics` add them in image order).
private struct RunningMoments {
    private var count = 0.0, mu = 0.0, m2 = 0.0

    @inline(__always)
    mutating func add(planeMean: Float, planeM2: Double, values: Int) {
        let b = Double(values), delta = Double(planeMean) - mu, total = count + b
        mu += delta * b / total
        m2 += planeM2 + delta * delta * count * b / total
        count = total
    }

    var mean: Float { Float(mu) }
    /// The biased variance (divided by the count).
    var variance: Float { Float(m2 / count) }
}

/// `ChannelAffine`'s constants of every channel (`foldBatchNorm`), into `scale` and `shift`
/// `[channels]`.
package func batchNormFold(channels: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                           mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float,
                           scale: UnsafeMutablePointer<Float>, shift: UnsafeMutablePointer<Float>) {
    for c in 0 ..< channels {
        (scale[c], shift[c]) = foldBatchNorm(channel: c, gamma: gamma, beta: beta, mean: mean, variance: variance,
                                             eps: eps)
    }
}

/// A block's last batch norm and its residual join in one pass:
/// `y = max(affine(x) + residual, 0)` (`affine` without ReLU), the values of the norm's
/// normalise pass followed by `addReLU(normalised, residual)`, bit for bit, with one pass
/// over memory instead of two. With `residualAffine`, `residual` is the input of the
/// shortcut's batch norm, applied as it is read: `y = max(affine(x) + residualAffine(residual), 0)`,
/// the values of the shortcut norm's own pass joined as above, bit for bit, without writing them.
///
/// Shapes: `x`, `residual`, `y` `[batch, channels, plane]`; `y` may alias `residual`.
package func batchNormJoinOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>, affine: ChannelAffine,
                                    residual: UnsafePointer<Float>, residualAffine: ChannelAffine? = nil,
                                    y: UnsafeMutablePointer<Float>) {
    contract(!affine.relu && residualAffine?.relu != true, "batchNormJoinOptimized: the ReLU comes after the join")
    let plane = g.planeSize
    Parallel.forChunks(g.batch * g.channels, minimumChunk: max(1, parallelThreshold / plane)) { planes in
        for p in planes {
            let c = p % g.channels, offset = p * plane
            let a = affine.scale[c], b = affine.shift[c]
            let va = SIMD16<Float>(repeating: a), vb = SIMD16<Float>(repeating: b)
            let px = x + offset, pr = residual + offset, py = y + offset
            var i = 0
            if let residualAffine {
                let ra = residualAffine.scale[c], rb = residualAffine.shift[c]
                let vra = SIMD16<Float>(repeating: ra), vrb = SIMD16<Float>(repeating: rb)
                while i + 16 <= plane {
                    py.store(clampedAtZero(vb.addingProduct(px.simd16(i), va) + vrb.addingProduct(pr.simd16(i), vra)), at: i)
                    i += 16
                }
                while i < plane { py[i] = max(b.addingProduct(px[i], a) + rb.addingProduct(pr[i], ra), 0); i += 1 }
                continue
            }
            while i + 16 <= plane {
                py.store(clampedAtZero(vb.addingProduct(px.simd16(i), va) + pr.simd16(i)), at: i)
                i += 16
            }
            while i < plane { py[i] = max(b.addingProduct(px[i], a) + pr[i], 0); i += 1 }
        }
    }
}

/// `y = gamma · (x - mean) / sqrt(variance + eps) + beta` (and `max(·, 0)` with `relu`) for
/// channel `c`, as one SIMD affine pass with the per-channel constants folded
/// (`foldBatchNorm`, `simdAffine`: the values `ChannelAffine` computes where the fused
/// kernels read the norm's input).
@inline(__always)
private func normalizeChannel(_ g: BatchNormGeometry, _ c: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                              beta: UnsafePointer<Float>, eps: Float, relu: Bool, y: UnsafeMutablePointer<Float>,
                              mean: UnsafePointer<Float>, variance: UnsafePointer<Float>) {
    let (scale, shift) = foldBatchNorm(channel: c, gamma: gamma, beta: beta, mean: mean, variance: variance, eps: eps)
    for n in 0 ..< g.batch {
        let offset = (n * g.channels + c) * g.planeSize
        simdAffine(x + offset, y + offset, g.planeSize, a: scale, b: shift, relu: relu)
    }
}

/// Same contract and result as `batchNormForwardEvalReference`, as one SIMD affine pass.
package func batchNormForwardEvalOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                          gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                          runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                          eps: Float, relu: Bool = false, y: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            let scale = gamma[c] / (runningVar[c] + eps).squareRoot()
            let shift = beta[c] - runningMean[c] * scale
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                simdAffine(x + offset, y + offset, plane, a: scale, b: shift, relu: relu)
            }
        }
    }
}
