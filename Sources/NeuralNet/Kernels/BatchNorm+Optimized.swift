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

/// out[i] = a · p[i] + b (and `max(·, 0)` with `relu`) over `count` floats.
@inline(__always)
func simdAffine(_ p: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int, a: Float, b: Float,
                relu: Bool) {
    let va = SIMD16<Float>(repeating: a), vb = SIMD16<Float>(repeating: b), zero = SIMD16<Float>()
    var i = 0
    if relu {
        while i + 16 <= count { out.store(pointwiseMax(vb.addingProduct(p.simd16(i), va), zero), at: i); i += 16 }
        while i < count { out[i] = max(a * p[i] + b, 0); i += 1 }
    } else {
        while i + 16 <= count { out.store(vb.addingProduct(p.simd16(i), va), at: i); i += 16 }
        while i < count { out[i] = a * p[i] + b; i += 1 }
    }
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
    let plane = g.planeSize
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            var count = 0.0, mu = 0.0, m2 = 0.0
            for n in 0 ..< g.batch {
                let p = x + (n * g.channels + c) * plane
                let planeMean = simdSum(p, plane) / Float(plane)
                let planeM2 = Double(simdSquaredDeviation(p, plane, center: planeMean))
                // Chan et al.: merge (count, mu, m2) with a block of `plane` values.
                let b = Double(plane), delta = Double(planeMean) - mu, total = count + b
                mu += delta * b / total
                m2 += planeM2 + delta * delta * count * b / total
                count = total
            }
            mean[c] = Float(mu)
            variance[c] = Float(m2 / count)
            normalizeChannel(g, c, x: x, gamma: gamma, beta: beta, eps: eps, relu: relu, y: y, mean: mean,
                             variance: variance)
        }
    }
}

/// `y = gamma · (x - mean) / sqrt(variance + eps) + beta` (and `max(·, 0)` with `relu`) for
/// channel `c`, as one SIMD affine pass with the per-channel constants folded. The training
/// forward pass and `batchNormRebuildOutput` both normalise through it, so a rebuilt output
/// equals the forward's bit for bit.
@inline(__always)
private func normalizeChannel(_ g: BatchNormGeometry, _ c: Int, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                              beta: UnsafePointer<Float>, eps: Float, relu: Bool, y: UnsafeMutablePointer<Float>,
                              mean: UnsafePointer<Float>, variance: UnsafePointer<Float>) {
    let scale = gamma[c] / (variance[c] + eps).squareRoot()
    let shift = beta[c] - mean[c] * scale
    for n in 0 ..< g.batch {
        let offset = (n * g.channels + c) * g.planeSize
        simdAffine(x + offset, y + offset, g.planeSize, a: scale, b: shift, relu: relu)
    }
}

/// The output of `batchNormForwardTrainingOptimized` again, from its input and the batch
/// statistics it wrote, bit for bit (the same `normalizeChannel`), without gathering the
/// statistics again: a layer that keeps only its input rebuilds its output in backward
/// (`BatchNorm2d.keepsOutput`). `gamma` and `beta` must be the values the forward pass used.
///
/// Shapes: `x`, `y` `[batch, channels, plane]`; `gamma`, `beta`, `mean`, `variance` `[channels]`.
package func batchNormRebuildOutput(_ g: BatchNormGeometry, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                    beta: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                    variance: UnsafePointer<Float>, eps: Float, relu: Bool,
                                    y: UnsafeMutablePointer<Float>) {
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            normalizeChannel(g, c, x: x, gamma: gamma, beta: beta, eps: eps, relu: relu, y: y, mean: mean,
                             variance: variance)
        }
    }
}

/// Same contract and result as `batchNormBackwardReference`. One pass gathers Σdy and
/// Σdy·(x - mean) (Σdy·x̂ follows algebraically), a second writes `dx = k1·dy + k2·x + k0`,
/// the reference formula with its per-channel constants folded. A fused ReLU's mask is
/// applied to dy on the fly in both passes, so it costs no pass of its own.
package func batchNormBackwardOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                       variance: UnsafePointer<Float>, eps: Float,
                                       reluOutput: UnsafePointer<Float>? = nil, dx: UnsafeMutablePointer<Float>,
                                       dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                       accumulate: Bool = false) {
    let plane = g.planeSize, m = Double(g.reductionSize)
    let zero = SIMD16<Float>()
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            let mu = mean[c]
            var sumDy = 0.0, sumDyXc = 0.0
            let vmu = SIMD16<Float>(repeating: mu)
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                let px = x + offset, pdy = dy + offset
                var a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
                var s1: Float = 0, s2: Float = 0
                var i = 0
                if let out = reluOutput.map({ $0 + offset }) {
                    while i + 16 <= plane {
                        let d = zero.replacing(with: pdy.simd16(i), where: out.simd16(i) .> zero)
                        a1 += d
                        a2 = a2.addingProduct(d, px.simd16(i) - vmu)
                        i += 16
                    }
                    while i < plane { let d = out[i] > 0 ? pdy[i] : 0; s1 += d; s2 += d * (px[i] - mu); i += 1 }
                } else {
                    while i + 16 <= plane {
                        let d = pdy.simd16(i)
                        a1 += d
                        a2 = a2.addingProduct(d, px.simd16(i) - vmu)
                        i += 16
                    }
                    while i < plane { s1 += pdy[i]; s2 += pdy[i] * (px[i] - mu); i += 1 }
                }
                sumDy += Double(a1.laneSum() + s1)
                sumDyXc += Double(a2.laneSum() + s2)
            }
            let invStd = 1 / (Double(variance[c]) + Double(eps)).squareRoot()
            let sumDyXhat = sumDyXc * invStd
            dbeta[c] = (accumulate ? dbeta[c] : 0) + Float(sumDy)
            dgamma[c] = (accumulate ? dgamma[c] : 0) + Float(sumDyXhat)
            let scale = Double(gamma[c]) * invStd
            let k1 = Float(scale)
            let k2 = Float(-scale * invStd * sumDyXhat / m)
            let k0 = Float(-scale * sumDy / m + scale * invStd * sumDyXhat / m * Double(mu))
            let v1 = SIMD16<Float>(repeating: k1), v2 = SIMD16<Float>(repeating: k2), v0 = SIMD16<Float>(repeating: k0)
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                let px = x + offset, pdy = dy + offset, pdx = dx + offset
                var i = 0
                if let out = reluOutput.map({ $0 + offset }) {
                    while i + 16 <= plane {
                        let d = zero.replacing(with: pdy.simd16(i), where: out.simd16(i) .> zero)
                        pdx.store(v0.addingProduct(v1, d).addingProduct(v2, px.simd16(i)), at: i)
                        i += 16
                    }
                    while i < plane { pdx[i] = k1 * (out[i] > 0 ? pdy[i] : 0) + k2 * px[i] + k0; i += 1 }
                } else {
                    while i + 16 <= plane {
                        pdx.store(v0.addingProduct(v1, pdy.simd16(i)).addingProduct(v2, px.simd16(i)), at: i)
                        i += 16
                    }
                    while i < plane { pdx[i] = k1 * pdy[i] + k2 * px[i] + k0; i += 1 }
                }
            }
        }
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
