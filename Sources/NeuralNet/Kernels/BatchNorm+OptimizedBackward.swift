import Core

/// Same contract and result as `batchNormBackwardReference`. One pass gathers Σdy and
/// Σdy·(x - mean) (Σdy·x̂ follows algebraically), a second writes `dx = k1·dy + k2·x + k0`,
/// the reference formula with its per-channel constants folded. A fused ReLU's mask is
/// applied to dy on the fly in both passes, so it costs no pass of its own: taken from the
/// forward's output (`reluOutput`), or, with `reluInput`, recomputed from `x` with the
/// forward's folded constants, the same comparison on the same value, so the forward's
/// output need not be kept at all.
package func batchNormBackwardOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                       variance: UnsafePointer<Float>, eps: Float,
                                       reluOutput: UnsafePointer<Float>? = nil, reluInput: ChannelAffine? = nil,
                                       dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                                       dbeta: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    contract(reluOutput == nil || reluInput == nil, "batchNormBackward: one ReLU mask, from the output or the input")
    func run<M: GradientMask>(_ mask: (_ offset: Int, _ c: Int) -> M) {
        backward(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps, dx: dx, dgamma: dgamma,
                 dbeta: dbeta, accumulate: accumulate, mask: mask)
    }
    if let y = reluOutput {
        run { offset, _ in OutputMask(y: y + offset) }
    } else if let affine = reluInput {
        run { offset, c in InputMask(x: x + offset, a: affine.scale[c], b: affine.shift[c]) }
    } else {
        run { _, _ in NoMask() }
    }
}

/// `batchNormBackwardOptimized` with the ReLU mask chosen: `mask(offset, c)` is channel `c`'s
/// mask of the plane at `offset`. Sixteen channels side by side where `sixteenChannelsAtOnce`,
/// image by image where `imageByImage`, otherwise channel by channel.
@inline(__always)
private func backward<M: GradientMask>(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                       variance: UnsafePointer<Float>, eps: Float, dx: UnsafeMutablePointer<Float>,
                                       dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                       accumulate: Bool, mask: (_ offset: Int, _ c: Int) -> M) {
    if sixteenChannelsAtOnce(g) {
        Parallel.forChunks(g.channels / 16, minimumChunk: minimumChannelsPerChunk(g)) { blocks in
            Scratch.withBuffer(count: 512 + 48) { scratch in
                for block in blocks {
                    channelsBackward16(g, block * 16, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance,
                                       eps: eps, dx: dx, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate,
                                       scratch: scratch, mask: mask)
                }
            }
        }
    } else if imageByImage(g) {
        backwardByImage(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps, dx: dx,
                        dgamma: dgamma, dbeta: dbeta, accumulate: accumulate, mask: mask)
    } else {
        Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
            for c in channels {
                channelBackward(g, c, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps, dx: dx,
                                dgamma: dgamma, dbeta: dbeta, accumulate: accumulate, mask: { mask($0, c) })
            }
        }
    }
}

/// `batchNormBackwardOptimized` for channel `c`, with the mask of the plane at each offset.
@inline(__always)
private func channelBackward<M: GradientMask>(_ g: BatchNormGeometry, _ c: Int, x: UnsafePointer<Float>,
                                              dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                              mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float,
                                              dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                                              dbeta: UnsafeMutablePointer<Float>, accumulate: Bool,
                                              mask: (_ offset: Int) -> M) {
    let plane = g.planeSize, m = Double(g.reductionSize)
    let mu = mean[c]
    var sumDy = 0.0, sumDyXc = 0.0
    for n in 0 ..< g.batch {
        let offset = (n * g.channels + c) * plane
        let (s1, s2) = planeSums(x + offset, dy + offset, plane, mean: mu, mask: mask(offset))
        sumDy += Double(s1)
        sumDyXc += Double(s2)
    }
    let (k0, k1, k2) = finishChannel(c, sumDy: sumDy, sumDyXc: sumDyXc, count: m, gamma: gamma, mean: mean,
                                     variance: variance, eps: eps, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    for n in 0 ..< g.batch {
        let offset = (n * g.channels + c) * plane
        planeGradient(x + offset, dy + offset, dx + offset, plane, k0: k0, k1: k1, k2: k2, mask: mask(offset))
    }
}

/// `channelBackward` for every channel, image by image (`imageByImage`): each plane's two
/// sums, computed as there, are kept in a `[batch, channels]` table and added channel by
/// channel in image order, as there; then every plane's gradient, image by image.
private func backwardByImage<M: GradientMask>(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                              dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                              mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float,
                                              dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                                              dbeta: UnsafeMutablePointer<Float>, accumulate: Bool,
                                              mask: (_ offset: Int, _ c: Int) -> M) {
    let plane = g.planeSize, planes = g.batch * g.channels, m = Double(g.reductionSize)
    Scratch.withBuffer(count: 2 * planes + 3 * g.channels) { table in
        let sumsOfDy = table, sumsOfDyXc = table + planes
        let k0 = table + 2 * planes, k1 = k0 + g.channels, k2 = k1 + g.channels
        forEachImage(g) { n in
            for c in 0 ..< g.channels {
                let i = n * g.channels + c, offset = i * plane
                (sumsOfDy[i], sumsOfDyXc[i]) = planeSums(x + offset, dy + offset, plane, mean: mean[c],
                                                          mask: mask(offset, c))
            }
        }
        for c in 0 ..< g.channels {
            var sumDy = 0.0, sumDyXc = 0.0
            for n in 0 ..< g.batch {
                sumDy += Double(sumsOfDy[n * g.channels + c])
                sumDyXc += Double(sumsOfDyXc[n * g.channels + c])
            }
            (k0[c], k1[c], k2[c]) = finishChannel(c, sumDy: sumDy, sumDyXc: sumDyXc, count: m, gamma: gamma,
                                                  mean: mean, variance: variance, eps: eps, dgamma: dgamma,
                                                  dbeta: dbeta, accumulate: accumulate)
        }
        forEachImage(g) { n in
            for c in 0 ..< g.channels {
                let offset = (n * g.channels + c) * plane
                planeGradient(x + offset, dy + offset, dx + offset, plane, k0: k0[c], k1: k1[c], k2: k2[c],
                              mask: mask(offset, c))
            }
        }
    }
}

/// Channel `c`'s parameter gradients from its two sums over the batch (written to `dbeta` and
/// `dgamma`, or added with `accumulate`) and the constants of its input gradient,
/// `dx = k1 · masked dy + k2 · x + k0`, returned as `(k0, k1, k2)`.
@inline(__always)
private func finishChannel(_ c: Int, sumDy: Double, sumDyXc: Double, count m: Double, gamma: UnsafePointer<Float>,
                           mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float,
                           dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                           accumulate: Bool) -> (Float, Float, Float) {
    let invStd = 1 / (Double(variance[c]) + Double(eps)).squareRoot()
    let sumDyXhat = sumDyXc * invStd
    dbeta[c] = (accumulate ? dbeta[c] : 0) + Float(sumDy)
    dgamma[c] = (accumulate ? dgamma[c] : 0) + Float(sumDyXhat)
    let scale = Double(gamma[c]) * invStd
    return (Float(-scale * sumDy / m + scale * invStd * sumDyXhat / m * Double(mean[c])),
            Float(scale), Float(-scale * invStd * sumDyXhat / m))
}

/// `channelBackward` for the 16 channels from `c0` side by side (`sixteenChannelsAtOnce`): the
/// same operations on each channel in its own lane, so the same numbers bit for bit. Each
/// plane's two vector sums are reduced by `SIMD16.laneSums` (the additions of `laneSum()`) and
/// added in `SIMD16<Double>`; the per-channel constants are then computed channel by channel
/// by the same `finishChannel`. `scratch` holds 512 + 48 floats; `mask(offset, c)` is channel c's mask of
/// the plane at `offset`.
@inline(__always)
private func channelsBackward16<M: GradientMask>(_ g: BatchNormGeometry, _ c0: Int, x: UnsafePointer<Float>,
                                                 dy: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                                 mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float,
                                                 dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                                                 dbeta: UnsafeMutablePointer<Float>, accumulate: Bool,
                                                 scratch: UnsafeMutablePointer<Float>,
                                                 mask: (_ offset: Int, _ c: Int) -> M) {
    let plane = g.planeSize, m = Double(g.reductionSize)
    let sumsOfDy = scratch, sumsOfDyXc = scratch + 256, constants = scratch + 512
    var sumDy = SIMD16<Double>(), sumDyXc = SIMD16<Double>()
    for n in 0 ..< g.batch {
        for j in 0 ..< 16 {
            let c = c0 + j, offset = (n * g.channels + c) * plane
            let (a1, a2) = planeVectorSums(x + offset, dy + offset, plane, mean: mean[c], mask: mask(offset, c))
            sumsOfDy.store(a1, at: 16 * j)
            sumsOfDyXc.store(a2, at: 16 * j)
        }
        // `planeSums` returns each lane sum plus its (empty) scalar tail, 0: added here too.
        sumDy += SIMD16<Double>(SIMD16<Float>.laneSums(of: sumsOfDy) + SIMD16<Float>())
        sumDyXc += SIMD16<Double>(SIMD16<Float>.laneSums(of: sumsOfDyXc) + SIMD16<Float>())
    }
    for j in 0 ..< 16 {
        (constants[32 + j], constants[j], constants[16 + j]) =
            finishChannel(c0 + j, sumDy: sumDy[j], sumDyXc: sumDyXc[j], count: m, gamma: gamma, mean: mean,
                          variance: variance, eps: eps, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    }
    for n in 0 ..< g.batch {
        for j in 0 ..< 16 {
            let c = c0 + j, offset = (n * g.channels + c) * plane
            planeGradient(x + offset, dy + offset, dx + offset, plane, k0: constants[32 + j], k1: constants[j],
                          k2: constants[16 + j], mask: mask(offset, c))
        }
    }
}

/// Where a ReLU fused into a batch norm let the gradient through: `masked` zeroes the
/// gradient `d` of the 16 values from `i` (or of value `i`) where the norm's output was 0.
/// The three conformances are specialized into three copies of each loop below.
private protocol GradientMask {
    func masked(_ d: SIMD16<Float>, at i: Int) -> SIMD16<Float>
    func masked(_ d: Float, at i: Int) -> Float
}

/// No ReLU: the gradient passes everywhere.
private struct NoMask: GradientMask {
    @inline(__always) func masked(_ d: SIMD16<Float>, at i: Int) -> SIMD16<Float> { d }
    @inline(__always) func masked(_ d: Float, at i: Int) -> Float { d }
}

/// The mask from the forward's output `y`: the gradient passes where `y > 0`.
private struct OutputMask: GradientMask {
    let y: UnsafePointer<Float>
    @inline(__always) func masked(_ d: SIMD16<Float>, at i: Int) -> SIMD16<Float> {
        SIMD16<Float>().replacing(with: d, where: y.simd16(i) .> SIMD16<Float>())
    }
    @inline(__always) func masked(_ d: Float, at i: Int) -> Float { y[i] > 0 ? d : 0 }
}

/// The mask from the forward's input `x` and folded constants: the gradient passes where
/// `b + a·x > 0`, the value the forward pass clamped (`ChannelAffine`), computed the same way.
private struct InputMask: GradientMask {
    let x: UnsafePointer<Float>
    let a: Float, b: Float
    @inline(__always) func masked(_ d: SIMD16<Float>, at i: Int) -> SIMD16<Float> {
        let value = SIMD16<Float>(repeating: b).addingProduct(x.simd16(i), SIMD16<Float>(repeating: a))
        return SIMD16<Float>().replacing(with: d, where: value .> SIMD16<Float>())
    }
    @inline(__always) func masked(_ d: Float, at i: Int) -> Float { b.addingProduct(x[i], a) > 0 ? d : 0 }
}

/// Σ masked dy and Σ masked dy · (x - mean) over one plane of `count` floats.
@inline(__always)
private func planeSums<M: GradientMask>(_ px: UnsafePointer<Float>, _ pdy: UnsafePointer<Float>, _ count: Int,
                                        mean mu: Float, mask: M) -> (Float, Float) {
    let (a1, a2) = planeVectorSums(px, pdy, count, mean: mu, mask: mask)
    var s1: Float = 0, s2: Float = 0
    var i = count / 16 * 16
    while i < count { let d = mask.masked(pdy[i], at: i); s1 += d; s2 += d * (px[i] - mu); i += 1 }
    return (a1.laneSum() + s1, a2.laneSum() + s2)
}

/// The vector part of `planeSums`: the 16-lane partial sums over the plane's whole vectors,
/// before the lanes are reduced.
@inline(__always)
private func planeVectorSums<M: GradientMask>(_ px: UnsafePointer<Float>, _ pdy: UnsafePointer<Float>, _ count: Int,
                                              mean mu: Float, mask: M) -> (SIMD16<Float>, SIMD16<Float>) {
    let vmu = SIMD16<Float>(repeating: mu)
    var a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        let d = mask.masked(pdy.simd16(i), at: i)
        a1 += d
        a2 = a2.addingProduct(d, px.simd16(i) - vmu)
        i += 16
    }
    return (a1, a2)
}

/// `dx = k1 · masked dy + k2 · x + k0` over one plane of `count` floats.
@inline(__always)
private func planeGradient<M: GradientMask>(_ px: UnsafePointer<Float>, _ pdy: UnsafePointer<Float>,
                                            _ pdx: UnsafeMutablePointer<Float>, _ count: Int,
                                            k0: Float, k1: Float, k2: Float, mask: M) {
    let v1 = SIMD16<Float>(repeating: k1), v2 = SIMD16<Float>(repeating: k2), v0 = SIMD16<Float>(repeating: k0)
    var i = 0
    while i + 16 <= count {
        pdx.store(v0.addingProduct(v1, mask.masked(pdy.simd16(i), at: i)).addingProduct(v2, px.simd16(i)), at: i)
        i += 16
    }
    while i < count { pdx[i] = k1 * mask.masked(pdy[i], at: i) + k2 * px[i] + k0; i += 1 }
}
