import Core

/// Training-mode batch norm (optionally followed by ReLU); dispatches on
/// `ComputePath.current`. See `batchNormForwardTrainingReference` for the formula and shapes.
public func batchNormForwardTraining(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
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

/// Backward of training-mode batch norm (with a fused ReLU when `reluOutput` is given);
/// dispatches on `ComputePath.current`. See `batchNormBackwardReference`.
public func batchNormBackward(_ g: BatchNormGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                              gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                              variance: UnsafePointer<Float>, eps: Float, reluOutput: UnsafePointer<Float>? = nil,
                              dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
                              dbeta: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    switch ComputePath.current {
    case .reference:
        batchNormBackwardReference(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps,
                                   reluOutput: reluOutput, dx: dx, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    case .optimized:
        batchNormBackwardOptimized(g, x: x, dy: dy, gamma: gamma, mean: mean, variance: variance, eps: eps,
                                   reluOutput: reluOutput, dx: dx, dgamma: dgamma, dbeta: dbeta, accumulate: accumulate)
    }
}

/// Evaluation-mode batch norm (optionally followed by ReLU); dispatches on
/// `ComputePath.current`. See `batchNormForwardEvalReference`.
public func batchNormForwardEval(_ g: BatchNormGeometry, x: UnsafePointer<Float>,
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
