import Core

/// Below this many elements a kernel runs on one thread: waking the second costs more.
let parallelThreshold = 32_768

/// Channels per thread chunk such that small tensors stay on one thread.
@inline(__always)
func minimumChannelsPerChunk(_ g: BatchNormGeometry) -> Int {
    g.count < parallelThreshold ? g.channels : 1
}

/// Σ p[i] over `count` floats, in 16 SIMD lanes (then reduced once).
@inline(__always)
func simdSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count { acc += p.simd16(i); i += 16 }
    var s = acc.sum()
    while i < count { s += p[i]; i += 1 }
    return s
}

/// Σ (p[i] - center)² over `count` floats.
@inline(__always)
func simdSquaredDeviation(_ p: UnsafePointer<Float>, _ count: Int, center: Float) -> Float {
    var acc = SIMD16<Float>()
    let c = SIMD16<Float>(repeating: center)
    var i = 0
    while i + 16 <= count { let d = p.simd16(i) - c; acc += d * d; i += 16 }
    var s = acc.sum()
    while i < count { let d = p[i] - center; s += d * d; i += 1 }
    return s
}

/// out[i] = a · p[i] + b over `count` floats.
@inline(__always)
func simdAffine(_ p: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int, a: Float, b: Float) {
    let va = SIMD16<Float>(repeating: a), vb = SIMD16<Float>(repeating: b)
    var i = 0
    while i + 16 <= count { out.store(p.simd16(i) * va + vb, at: i); i += 16 }
    while i < count { out[i] = a * p[i] + b; i += 1 }
}

/// Same contract and result as `batchNormForwardTrainingReference`: two SIMD passes for
/// the statistics (mean, then squared deviations, which avoids the cancellation of
/// E[x²] - E[x]²), one for the affine output; per-plane float sums are added in Double;
/// channels are split over the cores.
public func batchNormForwardTrainingOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                              gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                              eps: Float, y: UnsafeMutablePointer<Float>,
                                              mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize, m = Double(g.reductionSize)
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            var sum = 0.0
            for n in 0 ..< g.batch { sum += Double(simdSum(x + (n * g.channels + c) * plane, plane)) }
            let mu = Float(sum / m)
            var squares = 0.0
            for n in 0 ..< g.batch {
                squares += Double(simdSquaredDeviation(x + (n * g.channels + c) * plane, plane, center: mu))
            }
            let v = Float(squares / m)
            mean[c] = mu
            variance[c] = v
            let scale = gamma[c] / (v + eps).squareRoot()
            let shift = beta[c] - mu * scale
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                simdAffine(x + offset, y + offset, plane, a: scale, b: shift)
            }
        }
    }
}

/// Same contract and result as `batchNormBackwardReference`. One pass gathers Σdy and
/// Σdy·x (Σdy·x̂ follows algebraically), a second writes `dx = k1·dy + k2·x + k0`, the
/// reference formula with its per-channel constants folded.
public func batchNormBackwardOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                       variance: UnsafePointer<Float>, eps: Float, dx: UnsafeMutablePointer<Float>,
                                       dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                       accumulate: Bool = false) {
    let plane = g.planeSize, m = Double(g.reductionSize)
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            let mu = mean[c]
            var sumDy = 0.0, sumDyXc = 0.0
            let vmu = SIMD16<Float>(repeating: mu)
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                let px = x + offset, pdy = dy + offset
                var a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
                var i = 0
                while i + 16 <= plane {
                    let d = pdy.simd16(i)
                    a1 += d
                    a2 += d * (px.simd16(i) - vmu)
                    i += 16
                }
                var s1 = a1.sum(), s2 = a2.sum()
                while i < plane { s1 += pdy[i]; s2 += pdy[i] * (px[i] - mu); i += 1 }
                sumDy += Double(s1)
                sumDyXc += Double(s2)
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
                while i + 16 <= plane {
                    pdx.store(v1 * pdy.simd16(i) + v2 * px.simd16(i) + v0, at: i)
                    i += 16
                }
                while i < plane { pdx[i] = k1 * pdy[i] + k2 * px[i] + k0; i += 1 }
            }
        }
    }
}

/// Same contract and result as `batchNormForwardEvalReference`, as one SIMD affine pass.
public func batchNormForwardEvalOptimized(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                          gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                          runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                          eps: Float, y: UnsafeMutablePointer<Float>) {
    let plane = g.planeSize
    Parallel.forChunks(g.channels, minimumChunk: minimumChannelsPerChunk(g)) { channels in
        for c in channels {
            let scale = gamma[c] / (runningVar[c] + eps).squareRoot()
            let shift = beta[c] - runningMean[c] * scale
            for n in 0 ..< g.batch {
                let offset = (n * g.channels + c) * plane
                simdAffine(x + offset, y + offset, plane, a: scale, b: shift)
            }
        }
    }
}
