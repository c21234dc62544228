import Core

/// Batch normalization over the channels of `[N, C, H, W]` (PyTorch's `BatchNorm2d`).
///
/// In training it normalises with the batch's statistics and updates running estimates
/// (momentum 0.1, unbiased variance); in evaluation it uses the running estimates. With
/// `relu`, the layer is `BatchNorm2d` followed by `ReLU` in one pass (forward and
/// backward): the same numbers, two fewer trips through memory for every such pair.
///
/// Inside a residual block the optimized path fuses the norm into its neighbours
/// (`forwardDeferred`, `forward(_:joining:)`): the same numbers again, bit for bit.
public final class BatchNorm2d: Layer {
    public let channels: Int
    public let fusedReLU: Bool
    public let eps: Float = 1e-5
    public let momentum: Float = 0.1
    public let scale: Parameter
    public let shift: Parameter
    public let runningMean: Buffer
    public let runningVar: Buffer
    /// Counts training batches, as PyTorch's `num_batches_tracked` (kept for checkpoints).
    public let batchesTracked: Buffer
    private var input: Tensor?
    /// The output, kept for a fused ReLU's mask on the reference path only: the optimized
    /// backward recomputes the mask from the input (`batchNormBackward(…, reluInput:)`).
    private var output: Tensor?
    private var mean: [Float]
    private var variance: [Float]
    /// The last training forward's statistics and parameters folded into
    /// `y = foldedScale · x + foldedShift` per channel (`ChannelAffine`).
    private var foldedScale: [Float]
    private var foldedShift: [Float]

    public init(name: String, channels: Int, relu: Bool = false) {
        self.channels = channels
        self.fusedReLU = relu
        scale = Parameter(name: "\(name).weight", role: .normScale,
                          value: Tensor(shape: [channels], data: [Float](repeating: 1, count: channels)))
        shift = Parameter(name: "\(name).bias", role: .normShift, value: Tensor(zeros: [channels]))
        runningMean = Buffer(name: "\(name).running_mean", value: Tensor(zeros: [channels]))
        runningVar = Buffer(name: "\(name).running_var",
                            value: Tensor(shape: [channels], data: [Float](repeating: 1, count: channels)))
        batchesTracked = Buffer(name: "\(name).num_batches_tracked", value: Tensor(zeros: []))
        mean = [Float](repeating: 0, count: channels)
        variance = [Float](repeating: 0, count: channels)
        foldedScale = [Float](repeating: 0, count: channels)
        foldedShift = [Float](repeating: 0, count: channels)
    }

    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [Buffer] { [runningMean, runningVar, batchesTracked] }

    private func geometry(_ x: Tensor) -> BatchNormGeometry {
        contract(x.rank >= 2 && x.dim(1) == channels,
                 "BatchNorm2d \(scale.name): expected [N, \(channels), ...], got \(x.shape)")
        return BatchNormGeometry(batch: x.dim(0), channels: channels, planeSize: x.count / (x.dim(0) * channels))
    }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        let g = geometry(x)
        let gamma = scale.value, beta = shift.value
        if !training {
            input = nil
            return Tensor(shape: x.shape) { y in
                x.withPointer { px in gamma.withPointer { pg in beta.withPointer { pb in
                    runningMean.value.withPointer { rm in runningVar.value.withPointer { rv in
                        batchNormForwardEval(g, x: px, gamma: pg, beta: pb, runningMean: rm, runningVar: rv,
                                             eps: eps, relu: fusedReLU, y: y.baseAddress!)
                    } }
                } } }
            }
        }
        let y = Tensor(shape: x.shape) { y in
            x.withPointer { px in gamma.withPointer { pg in beta.withPointer { pb in
                batchNormForwardTraining(g, x: px, gamma: pg, beta: pb, eps: eps, relu: fusedReLU, y: y.baseAddress!,
                                         mean: &mean, variance: &variance)
            } } }
        }
        finishTrainingForward(g, input: x)
        output = fusedReLU && ComputePath.current == .reference ? y : nil
        return y
    }

    /// A training forward pass that writes no output: it gathers the batch statistics, updates
    /// the running estimates and folds both into the per-channel `scale · x + shift` that the
    /// next layer applies as it reads `x` (`Conv2d.forward(_:normalizedBy:)`), so the
    /// normalised tensor is never stored. The numbers are those of `forward` bit for bit.
    /// Optimized path only: the reference path runs the layers one by one.
    public func forwardDeferred(_ x: Tensor) {
        contract(ComputePath.current == .optimized, "BatchNorm2d.forwardDeferred: the reference path runs layers unfused")
        _ = trainingStatistics(x)
    }

    /// A training forward pass that writes its output over `x` and keeps nothing for backward:
    /// a caller that drops the norm's input (`releaseInput()`) anyway needs no second tensor
    /// of its size. `restoreInput(_:)` hands the input back before `backward`. The numbers are
    /// those of `forward` bit for bit (each value is the same fused multiply-add of the folded
    /// constants). Optimized path only; `x` should be the caller's last reference to its
    /// storage (otherwise it is copied first: the same numbers, a copy slower).
    public func forwardOverwritingInput(_ x: consuming Tensor) -> Tensor {
        contract(ComputePath.current == .optimized, "BatchNorm2d.forwardOverwritingInput: the reference path runs layers unfused")
        let g = trainingStatistics(x)
        input = nil
        return normalizedInPlace(g, x)
    }

    /// A training forward pass and the residual join after it in one pass:
    /// `max(BatchNorm2d(x) + residual, 0)` for a norm without its own ReLU, the last of a
    /// residual block's main path. With `residualNorm` (a shortcut's norm, after
    /// `residualNorm.forwardDeferred(residual)`), `residual` is that norm's input and the norm
    /// is applied as it is read: `max(BatchNorm2d(x) + residualNorm(residual), 0)`. The
    /// numbers are those of the norms' `forward` followed by `addReLU` bit for bit, with one
    /// pass over memory instead of two (or three). Optimized path only.
    public func forward(_ x: consuming Tensor, joining residual: Tensor, normalizedBy residualNorm: BatchNorm2d? = nil)
        -> Tensor {
        contract(ComputePath.current == .optimized, "BatchNorm2d.forward(joining:): the reference path runs layers unfused")
        let g = trainingStatistics(x)
        return join(g, x, residual, residualNorm)
    }

    /// `forward(_:joining:)` with the output written over `residual`, an identity shortcut's
    /// input that the caller no longer needs: no tensor of its own for the output (the kernel
    /// reads each residual value before it writes the output in its place; the same numbers).
    /// `residual` should be the caller's last reference to its storage (otherwise it is copied
    /// first). Optimized path only.
    public func forward(_ x: consuming Tensor, joiningOver residual: consuming Tensor) -> Tensor {
        contract(ComputePath.current == .optimized, "BatchNorm2d.forward(joiningOver:): the reference path runs layers unfused")
        contract(!fusedReLU, "BatchNorm2d \(scale.name).forward(joiningOver:): the ReLU comes after the join")
        contract(residual.shape == x.shape, "BatchNorm2d \(scale.name): residual \(residual.shape), input \(x.shape)")
        let g = trainingStatistics(x)
        return joinedInPlace(g, x, over: residual)
    }

    /// `affine(x)` (and its ReLU) written over `x`: the output of `forwardOverwritingInput`.
    private func normalizedInPlace(_ g: BatchNormGeometry, _ x: consuming Tensor) -> Tensor {
        var y = consume x
        withAffine { affine in
            y.withMutablePointer { p in affine.apply(p, into: p, batch: g.batch, channels: channels, plane: g.planeSize) }
        }
        return y
    }

    /// `max(affine(x) + residual, 0)` written over `residual`: the output of
    /// `forward(_:joiningOver:)` (the join kernel reads each residual value before it writes
    /// the output in its place).
    private func joinedInPlace(_ g: BatchNormGeometry, _ x: Tensor, over residual: consuming Tensor) -> Tensor {
        var y = consume residual
        x.withPointer { px in withAffine { affine in y.withMutablePointer { py in
            batchNormJoinOptimized(g, x: px, affine: affine, residual: py, y: py)
        } } }
        return y
    }

    /// `max(affine(x) + residual, 0)` with this norm's folded constants (and the shortcut
    /// norm's applied to `residual` when given): the output of `forward(_:joining:normalizedBy:)`.
    private func join(_ g: BatchNormGeometry, _ x: Tensor, _ residual: Tensor, _ residualNorm: BatchNorm2d?) -> Tensor {
        contract(!fusedReLU, "BatchNorm2d \(scale.name).forward(joining:): the ReLU comes after the join")
        contract(residual.shape == x.shape, "BatchNorm2d \(scale.name): residual \(residual.shape), input \(x.shape)")
        contract(residualNorm.map { !$0.fusedReLU && $0.channels == channels } ?? true,
                 "BatchNorm2d \(scale.name).forward(joining:): the shortcut's norm must match, without a ReLU")
        return Tensor(shape: x.shape) { y in
            x.withPointer { px in residual.withPointer { pr in withAffine { affine in
                if let residualNorm {
                    residualNorm.withAffine {
                        batchNormJoinOptimized(g, x: px, affine: affine, residual: pr, residualAffine: $0, y: y.baseAddress!)
                    }
                } else {
                    batchNormJoinOptimized(g, x: px, affine: affine, residual: pr, y: y.baseAddress!)
                }
            } } }
        }
    }

    /// The output of the last training forward, computed again from the input the norm keeps
    /// for backward: the same fused multiply-add per value, so bit for bit what that forward
    /// returned. For a network that drops its activations after the forward pass and rebuilds
    /// them in backward (`ResNet.recomputesBlockOutputs`). Optimized path only, before `backward`.
    public func recomputeOutput() -> Tensor {
        let x = inputToRecompute()
        let g = geometry(x)
        return Tensor(shape: x.shape) { y in
            x.withPointer { px in withAffine { affine in
                affine.apply(px, into: y.baseAddress!, batch: g.batch, channels: channels, plane: g.planeSize)
            } }
        }
    }

    /// The output of the last training forward, computed again from `x`, bit for bit the input
    /// that forward read (computed again by the caller; the norm need not hold it), and
    /// written over `x`. Optimized path only, before `backward`.
    public func recomputeOutput(over x: consuming Tensor) -> Tensor {
        contract(ComputePath.current == .optimized, "BatchNorm2d.recomputeOutput: the reference path keeps its outputs")
        return normalizedInPlace(geometry(x), x)
    }

    /// The output of the last `forward(_:joining:)` computed again from the input this norm
    /// kept and `residual`, written over `residual`, which the caller no longer needs: bit for
    /// bit, without a tensor of its own.
    public func recomputeOutput(joiningOver residual: consuming Tensor) -> Tensor {
        let x = inputToRecompute()
        contract(residual.shape == x.shape, "BatchNorm2d \(scale.name): residual \(residual.shape), input \(x.shape)")
        return joinedInPlace(geometry(x), x, over: residual)
    }

    /// The output of the last `forward(_:joining:)`, computed again the same way from the
    /// input this norm kept and `residual`, bit for bit.
    public func recomputeOutput(joining residual: Tensor) -> Tensor {
        let x = inputToRecompute()
        return join(geometry(x), x, residual, nil)
    }

    /// The output of the last `forward(_:joining:normalizedBy: residualNorm)`, computed again
    /// the same way from the inputs both norms kept, bit for bit.
    public func recomputeOutput(joiningOutputOf residualNorm: BatchNorm2d) -> Tensor {
        let x = inputToRecompute()
        return join(geometry(x), x, residualNorm.inputToRecompute(), residualNorm)
    }

    /// Drops the input the last training forward kept for backward, for a caller that can
    /// compute it again (`ResNet.recomputedConvolutions`): `restoreInput(_:)` must hand the same
    /// values back before `backward` or any `recomputeOutput`. The statistics and folded
    /// constants stay, so a convolution that applies this norm as it reads still can.
    func releaseInput() {
        contract(input != nil, "BatchNorm2d \(scale.name).releaseInput: no training forward kept an input")
        input = nil
    }

    /// Hands back the input `releaseInput()` dropped: bit for bit what that forward read.
    func restoreInput(_ x: Tensor) {
        contract(x.rank >= 2 && x.dim(1) == channels,
                 "BatchNorm2d \(scale.name).restoreInput: expected [N, \(channels), ...], got \(x.shape)")
        input = x
    }

    /// Whether the input of the last training forward is at hand (kept, or restored).
    var holdsInput: Bool { input != nil }

    /// The input kept for backward, which the recomputations read.
    private func inputToRecompute() -> Tensor {
        contract(ComputePath.current == .optimized, "BatchNorm2d.recomputeOutput: the reference path keeps its outputs")
        guard let x = input else { contractFailure("BatchNorm2d \(scale.name).recomputeOutput: no training forward to recompute") }
        return x
    }

    /// The training forward pass of the two fused variants up to the output, which they leave
    /// to others: the statistics, then `finishTrainingForward`. Returns the geometry of `x`.
    private func trainingStatistics(_ x: Tensor) -> BatchNormGeometry {
        let g = geometry(x)
        x.withPointer { px in batchNormStatisticsOptimized(g, x: px, mean: &mean, variance: &variance) }
        finishTrainingForward(g, input: x)
        output = nil
        return g
    }

    /// The rest of every training forward pass once `mean` and `variance` hold the batch's
    /// statistics: the running estimates, the folded constants, and the input for backward.
    private func finishTrainingForward(_ g: BatchNormGeometry, input x: Tensor) {
        runningMean.value.withMutablePointer { rm in
            runningVar.value.withMutablePointer { rv in
                batchNormUpdateRunningStats(channels: channels, reductionSize: g.reductionSize, mean: mean,
                                            variance: variance, momentum: momentum, runningMean: rm, runningVar: rv)
            }
        }
        batchesTracked.value.data[0] += 1
        scale.value.withPointer { pg in shift.value.withPointer { pb in
            batchNormFold(channels: channels, gamma: pg, beta: pb, mean: mean, variance: variance, eps: eps,
                          scale: &foldedScale, shift: &foldedShift)
        } }
        input = x
    }

    /// Runs `body` with the last training forward's `y = scale · x + shift` (and ReLU) per channel.
    func withAffine<R>(_ body: (ChannelAffine) -> R) -> R {
        foldedScale.withUnsafeBufferPointer { s in foldedShift.withUnsafeBufferPointer { b in
            body(ChannelAffine(scale: s.baseAddress!, shift: b.baseAddress!, relu: fusedReLU))
        } }
    }

    /// Backward of the last training forward pass (any of the three). A fused ReLU's mask comes
    /// from the kept output on the reference path and is recomputed from the input on the
    /// optimized one.
    public func backward(_ dy: consuming Tensor) -> Tensor {
        backward(dy, overwriting: false)
    }

    /// Backward of the last training forward pass; with `overwriting` on the optimized path,
    /// the input gradient is written over `dy`'s storage, one activation-sized allocation
    /// fewer (the kernel reads each value of `dy` before it writes the gradient in its place:
    /// the same numbers). For a caller that holds no other reference to `dy`: otherwise the
    /// array is copied first, the same numbers one pass slower.
    func backward(_ dy: consuming Tensor, overwriting: Bool) -> Tensor {
        guard let x = input else { contractFailure("BatchNorm2d.backward before a training forward") }
        let g = geometry(x)
        let y = output
        contract(!fusedReLU || y != nil || ComputePath.current == .optimized,
                 "BatchNorm2d \(scale.name).backward: the reference path needs the forward's output")
        contract(dy.shape == x.shape, "BatchNorm2d \(scale.name).backward: gradient \(dy.shape), input \(x.shape)")
        input = nil
        output = nil
        func run(dy pdy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
            x.withPointer { px in scale.value.withPointer { pg in
                scale.grad.withMutablePointer { dg in shift.grad.withMutablePointer { db in
                    func run(_ relu: UnsafePointer<Float>?, _ affine: ChannelAffine?) {
                        batchNormBackward(g, x: px, dy: pdy, gamma: pg, mean: mean, variance: variance, eps: eps,
                                          reluOutput: relu, reluInput: affine, dx: dx, dgamma: dg, dbeta: db)
                    }
                    if let y { y.withPointer { run($0, nil) } } else if fusedReLU { withAffine { run(nil, $0) } } else { run(nil, nil) }
                } }
            } }
        }
        if overwriting && ComputePath.current == .optimized {
            var gradient = dy
            gradient.withMutablePointer { run(dy: $0, dx: $0) }
            return gradient
        }
        return Tensor(shape: x.shape) { dx in dy.withPointer { run(dy: $0, dx: dx.baseAddress!) } }
    }
}
