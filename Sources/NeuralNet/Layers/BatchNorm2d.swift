import Core

/// Batch normalization over the channels of `[N, C, H, W]` (PyTorch's `BatchNorm2d`).
///
/// In training it normalises with the batch's statistics and updates running estimates
/// (momentum 0.1, unbiased variance); in evaluation it uses the running estimates. With
/// `relu`, the layer is `BatchNorm2d` followed by `ReLU` in one pass (forward and
/// backward): the same numbers, two fewer trips through memory for every such pair.
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
    /// Whether a training forward pass keeps its output for backward (a fused ReLU's mask).
    ///
    /// A residual block turns it off for a norm whose output only feeds the next convolution:
    /// the block rebuilds the output in backward (`rebuiltOutput`), bit for bit, from the
    /// input and statistics the layer keeps anyway, and hands it to both the convolution's
    /// weight gradient and this layer's backward (`backward(_:output:)`), so neither keeps a
    /// copy between the passes. On the reference path the layer always keeps its output.
    public var keepsOutput = true
    private var input: Tensor?
    private var output: Tensor?
    private var mean: [Float]
    private var variance: [Float]

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
        runningMean.value.withMutablePointer { rm in
            runningVar.value.withMutablePointer { rv in
                batchNormUpdateRunningStats(channels: channels, reductionSize: g.reductionSize, mean: mean,
                                            variance: variance, momentum: momentum, runningMean: rm, runningVar: rv)
            }
        }
        batchesTracked.value.data[0] += 1
        input = x
        output = fusedReLU && (keepsOutput || ComputePath.current == .reference) ? y : nil
        return y
    }

    /// The last training forward's output, kept or rebuilt from its input and batch
    /// statistics (`batchNormRebuildOutput`, bit for bit); call before `backward`, which
    /// releases both.
    public func rebuiltOutput() -> Tensor {
        if let output { return output }
        guard let x = input else { contractFailure("BatchNorm2d.rebuiltOutput before a training forward") }
        let g = geometry(x)
        return Tensor(shape: x.shape) { y in
            x.withPointer { px in scale.value.withPointer { pg in shift.value.withPointer { pb in
                batchNormRebuildOutput(g, x: px, gamma: pg, beta: pb, mean: mean, variance: variance, eps: eps,
                                       relu: fusedReLU, y: y.baseAddress!)
            } } }
        }
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        backward(dy, output: nil)
    }

    /// Backward with the forward's output supplied by the caller (from `rebuiltOutput`) when
    /// the layer did not keep it; a fused ReLU needs it for its mask.
    public func backward(_ dy: consuming Tensor, output rebuilt: Tensor?) -> Tensor {
        guard let x = input else { contractFailure("BatchNorm2d.backward before a training forward") }
        let g = geometry(x)
        let y = output ?? rebuilt
        contract(!fusedReLU || y != nil, "BatchNorm2d \(scale.name).backward: the output was not kept; pass rebuiltOutput()")
        input = nil
        output = nil
        return Tensor(shape: x.shape) { dx in
            x.withPointer { px in dy.withPointer { pdy in scale.value.withPointer { pg in
                scale.grad.withMutablePointer { dg in shift.grad.withMutablePointer { db in
                    func run(_ relu: UnsafePointer<Float>?) {
                        batchNormBackward(g, x: px, dy: pdy, gamma: pg, mean: mean, variance: variance, eps: eps,
                                          reluOutput: relu, dx: dx.baseAddress!, dgamma: dg, dbeta: db)
                    }
                    if let y { y.withPointer { run($0) } } else { run(nil) }
                } }
            } } }
        }
    }
}
