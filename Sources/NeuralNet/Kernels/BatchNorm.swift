import Core

/// Shapes of a 2-D batch norm: input and output `[batch, channels, height, width]`,
/// per-channel parameters and statistics of length `channels`.
package struct BatchNormGeometry: Equatable, Sendable {
    package let batch: Int
    package let channels: Int
    /// height · width of one plane.
    package let planeSize: Int

    package init(batch: Int, channels: Int, planeSize: Int) {
        contract(batch > 0 && channels > 0 && planeSize > 0, "BatchNormGeometry: sizes must be positive")
        self.batch = batch
        self.channels = channels
        self.planeSize = planeSize
    }

    /// Values per channel that one statistic averages over (N·H·W).
    package var reductionSize: Int { batch * planeSize }
    package var count: Int { batch * channels * planeSize }
}

/// Training-mode batch norm (optionally followed by ReLU); dispatches on
/// `ComputePath.current`. See `batchNormForwardTrainingReference` for the formula and shapes.
package func batchNormForwardTraining(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                     gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float,
                                     relu: Bool = false, y: UnsafeMutablePointer<Float>,
                                     mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>) {
    switch ComputePath.current {
    case .reference:
        batchNormForwardTrainingReference(g, x: x, gamma: gamma, beta: beta, eps: eps, relu: relu, y: y, mean: mean,
                                          variance: variance)
    case .optimized:
        batchNormForwardTrainingOptimized(g, x: x, gamma: gamma, beta: beta, eps: eps, relu: relu, y: y, mean: mean,
                                          variance: variance)
    }
}

/// Backward of training-mode batch norm (with a fused ReLU when `reluOutput` or
/// `reluInput` is given); dispatches on `ComputePath.current`. See `batchNormBackwardReference`.
package func batchNormBackward(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                              gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                              variance: UnsafePointer<Float>, eps: Float, reluOutput: UnsafePointer<Float>? = nil, reluInput: ChannelAffine? = nil,
                              dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                              dbeta: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    switch ComputePath.current {
    case .reference:
        batchNormBackwardReference(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps,
                                   reluOutput: reluOutput, reluInput: reluInput, dx: dx, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    case .optimized:
        batchNormBackwardOptimized(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps,
                                   reluOutput: reluOutput, reluInput: reluInput, dx: dx, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    }
}

/// Evaluation-mode batch norm (optionally followed by ReLU); dispatches on
/// `ComputePath.current`. See `batchNormForwardEvalReference`.
package func batchNormForwardEval(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
                                 gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                 runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                 eps: Float, relu: Bool = false, y: UnsafeMutablePointer<Float>) {
    switch ComputePath.current {
    case .reference:
        batchNormForwardEvalReference(g, x: x, gamma: gamma, beta: beta, runningMean: runningMean,
                                      runningVar: runningVar, eps: eps, relu: relu, y: y)
    case .optimized:
        batchNormForwardEvalOptimized(g, x: x, gamma: gamma, beta: beta, runningMean: runningMean,
                                      runningVar: runningVar, eps: eps, relu: relu, y: y)
    }
}

/// PyTorch's running-statistics update after a training-mode forward pass:
/// `running = (1 - momentum) · running + momentum · batchStatistic`, where the variance
/// fed in is the *unbiased* one (`var · M / (M - 1)`) although normalization used the
/// biased one.
///
/// Shapes: all `[channels]`; `variance` is the biased batch variance from the forward pass.
package func batchNormUpdateRunningStats(channels: Int, reductionSize: Int, mean: UnsafePointer<Float>,
                                        variance: UnsafePointer<Float>, momentum: Float,
                                        runningMean: UnsafeMutablePointer<Float>,
                                        runningVar: UnsafeMutablePointer<Float>) {
    let m = Float(reductionSize)
    let correction = m > 1 ? m / (m - 1) : 1
    for c in 0 ..< channels {
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c]
        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance[c] * correction
    }
}
