import Core
import Foundation

/// Training-mode batch norm, as the formula reads. For each channel c, over all
/// (n, h, w): `mean = Σx / M`, `var = Σ(x - mean)² / M` (biased), and
/// `y = gamma · (x - mean) / sqrt(var + eps) + beta`. Writes the batch `mean` and
/// `variance` per channel: the backward pass and the running statistics
/// (`batchNormUpdateRunningStats`) need them.
///
/// With `relu`, the output is `max(y, 0)`: batch norm followed by ReLU in one layer, as
/// every normalisation inside a ResNet block but the last is.
///
/// Shapes: `x`, `y` `[batch, channels, plane]`; `gamma`, `beta`, `mean`, `variance` `[channels]`.
package func batchNormForwardTrainingReference(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                              gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                              eps: Float, relu: Bool = false, y: UnsafeMutablePointer<Float>,
                                              mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    let m = Double(g.reductionSize)
    for c in 0 ..< g.channels {
        var sum = 0.0
        for n in 0 ..< g.batch {
            for i in 0 ..< g.planeSize { sum += Double(x[(n * g.channels + c) * g.planeSize + i]) }
        }
        let mu = sum / m
        var squares = 0.0
        for n in 0 ..< g.batch {
            for i in 0 ..< g.planeSize {
                let d = Double(x[(n * g.channels + c) * g.planeSize + i]) - mu
                squares += d * d
            }
        }
        let inv = 1 / (squares / m + Double(eps)).squareRoot()
        mean[c] = Float(mu)
        variance[c] = Float(squares / m)
        for n in 0 ..< g.batch {
            for i in 0 ..< g.planeSize {
                let j = (n * g.channels + c) * g.planeSize + i
                let v = gamma[c] * Float((Double(x[j]) - mu) * inv) + beta[c]
                y[j] = relu ? max(v, 0) : v
            }
        }
    }
}

/// Backward of training-mode batch norm. With `invStd = 1 / sqrt(variance + eps)` and
/// `x̂ = (x - mean) · invStd`:
/// `dbeta = Σ dy`, `dgamma = Σ dy · x̂`, and, because mean and variance depend on every
/// x of the channel, `dx = gamma · invStd · (dy - Σdy/M - x̂ · Σ(dy·x̂)/M)`.
///
/// With a fused ReLU, pass its output `reluOutput`: the gradient first passes only where
/// that output was positive, `dy ← dy · [y > 0]`. Or pass `reluInput`, the forward's folded
/// constants (`ChannelAffine`), and the output is recomputed from `x` for the test.
///
/// Shapes: `x`, `dy`, `dx`, `reluOutput` `[batch, channels, plane]`; `gamma`, `mean`,
/// `variance`, `dgamma`, `dbeta` `[channels]`. `dx` is overwritten; `dgamma`/`dbeta` are
/// overwritten, or added to when `accumulate` is true.
package func batchNormBackwardReference(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy rawDy: UnsafePointer<Float>,
                                       gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                       variance: UnsafePointer<Float>, eps: Float,
                                       reluOutput: UnsafePointer<Float>? = nil, reluInput: ChannelAffine? = nil,
                                       dx: UnsafeMutablePointer<Float>,
                                       dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                       accumulate: Bool = false) {
    func passes(_ j: Int) -> Bool {
        if let reluOutput { return reluOutput[j] > 0 }
        guard let a = reluInput else { return true }
        let c = j / g.planeSize % g.channels
        return a.shift[c].addingProduct(x[j], a.scale[c]) > 0
    }
    let masked = (0 ..< g.count).map { j in passes(j) ? rawDy[j] : 0 }
    let dy = masked
    let m = Double(g.reductionSize)
    for c in 0 ..< g.channels {
        let invStd = 1 / (Double(variance[c]) + Double(eps)).squareRoot()
        var sumDy = 0.0, sumDyXhat = 0.0
        for n in 0 ..< g.batch {
            for i in 0 ..< g.planeSize {
                let j = (n * g.channels + c) * g.planeSize + i
                let xhat = (Double(x[j]) - Double(mean[c])) * invStd
                sumDy += Double(dy[j])
                sumDyXhat += Double(dy[j]) * xhat
            }
        }
        dbeta[c] = (accumulate ? dbeta[c] : 0) + Float(sumDy)
        dgamma[c] = (accumulate ? dgamma[c] : 0) + Float(sumDyXhat)
        let scale = Double(gamma[c]) * invStd
        for n in 0 ..< g.batch {
            for i in 0 ..< g.planeSize {
                let j = (n * g.channels + c) * g.planeSize + i
                let xhat = (Double(x[j]) - Double(mean[c])) * invStd
                dx[j] = Float(scale * (Double(dy[j]) - sumDy / m - xhat * sumDyXhat / m))
            }
        }
    }
}

/// Evaluation-mode batch norm with the running statistics:
/// `y = gamma · (x - runningMean) / sqrt(runningVar + eps) + beta`.
///
/// With `relu`, the output is `max(y, 0)`.
///
/// Shapes: `x`, `y` `[batch, channels, plane]`; the rest `[channels]`.
package func batchNormForwardEvalReference(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                          gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                          runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                          eps: Float, relu: Bool = false, y: UnsafeMutablePointer<Float>) {
    for n in 0 ..< g.batch {
        for c in 0 ..< g.channels {
            let inv = 1 / (runningVar[c] + eps).squareRoot()
            for i in 0 ..< g.planeSize {
                let j = (n * g.channels + c) * g.planeSize + i
                let v = gamma[c] * (x[j] - runningMean[c]) * inv + beta[c]
                y[j] = relu ? max(v, 0) : v
            }
        }
    }
}
