import SimCLR

/// One kind of work the classroom step does to one layer shape, `count` times per step,
/// with what it must read and write and the multiply-adds it must do: everything a lower
/// bound on its time needs.
struct StepOperation {
    enum Kind: String, CaseIterable {
        case convForward = "conv fwd"
        case convBackwardData = "conv bwd-data"
        case convBackwardWeights = "conv bwd-w"
        case normForward = "BN fwd"
        case normBackward = "BN bwd"
        case joinForward = "BN+add+ReLU"
        case joinBackward = "ReLU bwd + add"
        case rebuild = "rebuilt output"
        case recompute = "conv recomputed"

        var category: String {
            switch self {
            case .convForward, .convBackwardData, .convBackwardWeights: "convolutions"
            case .normForward, .normBackward: "batch norm"
            case .joinForward, .joinBackward: "residual joins"
            case .rebuild, .recompute: "outputs rebuilt in backward"
            }
        }
    }

    let kind: Kind
    /// The row it belongs to: a convolution shape's name, or a stage's joins.
    let row: String
    /// How many times a step does it.
    let count: Int
    /// Float counts of the buffers it must read, and write, once each.
    let reads: [Int]
    let writes: [Int]
    /// 2 × multiply-adds (0 where the arithmetic is a few operations per value moved).
    let flop: Double
    /// Runs it once on buffers it owns.
    let run: () -> Void
}

/// The operations of the classroom encoder's training step at `views` views, as the fused
/// blocks run them (`ResidualBlock.fusesNormalization`): for every convolution shape of
/// ResNet-18 (width 16), its three passes (a block's second convolution normalising its
/// input as it reads it) and the batch norm after it (statistics only where the next layer
/// applies it; the full pass for the stem and the shortcuts), and each stage's blocks' last
/// norm with the residual join, each bound to buffers of its real sizes and to the library
/// kernel the step calls. With `rebuildsOutputs` (`ResNet.recomputesBlockOutputs`, the
/// default), backward's rebuilding of the outputs the forward dropped too: every block's
/// join once and the stem norm's output twice, and the convolutions `recomputation` names
/// computed again.
/// The projection head, pooling, NT-Xent and the SGD update are not listed: they are small,
/// and the section measures them as the rest of the step.
enum StepOperations {
    static func classroom(views: Int, rebuildsOutputs: Bool,
                          recomputation: ResNet.ConvolutionRecomputation) -> [StepOperation] {
        var operations: [StepOperation] = []
        var generator = SeededGenerator(seed: 7)
        for shape in ResNet18Shapes.convolutions(width: 16) {
            let g = shape.geometry(batch: views)
            let b = ConvBuffers(g, generator: &generator)
            let (x, w, dy, y, dx, dw) = (b.x, b.w, b.dy, b.y, b.dx, b.dw)
            // The multiplies the kernel the step runs must do: Winograd's 16 per 2x2 tile (36
            // per 4x4 tile) and channel pair where it runs, the direct count elsewhere.
            func flop(_ pass: ConvKernel.Pass) -> Double {
                2 * Double(ConvKernel.choose(g, pass).multiplyAdds(g))
            }
            let name = shape.name
            // A block's second convolution reads the norm before it from the norm's input:
            // two of every 3x3 stride-1 shape past the stem (one per block of the stage).
            let normalizing = shape.kernel == 3 && shape.stride == 1 && shape.inChannels != 3 ? 2 : 0
            let affine = ConstantAffine(channels: g.inChannels, generator: &generator)
            for (count, applies) in [(shape.layers - normalizing, false), (normalizing, true)] where count > 0 {
                operations.append(StepOperation(kind: .convForward, row: name, count: count,
                                                reads: [x.count, w.count], writes: [y.count], flop: flop(.forward)) {
                    Convolution.forwardOptimized(g, x: x.readOnly, w: w.readOnly, y: y.pointer,
                                                 normalizing: applies ? affine.value : nil)
                })
            }
            // Backward computes dropped outputs again by the same forward pass (`recomputation`):
            // the stem's for its two rebuilt outputs and its norm's backward, each first-stage
            // block's first convolution once.
            let recomputed = !rebuildsOutputs || recomputation == .none ? 0
                : shape.inChannels == 3 ? 3 : shape.name == "layer1 3x3" && recomputation == .stemAndFirstStage ? 2 : 0
            if recomputed > 0 {
                operations.append(StepOperation(kind: .recompute, row: name, count: recomputed,
                                                reads: [x.count, w.count], writes: [y.count], flop: flop(.forward)) {
                    Convolution.forwardOptimized(g, x: x.readOnly, w: w.readOnly, y: y.pointer)
                })
            }
            // The stem never computes the gradient of the images. A downsampling shortcut adds its
            // input gradient to the block's as it writes it (reading that one too).
            if shape.inChannels != 3 {
                let adds = Convolution.addsInputGradientInPlace(g)
                operations.append(StepOperation(kind: .convBackwardData, row: name, count: shape.layers,
                                                reads: [dy.count, w.count] + (adds ? [dx.count] : []), writes: [dx.count],
                                                flop: flop(.backwardData)) {
                    Convolution.backwardDataOptimized(g, dy: dy.readOnly, w: w.readOnly, dx: dx.pointer, adding: adds)
                })
            }
            for (count, applies) in [(shape.layers - normalizing, false), (normalizing, true)] where count > 0 {
                operations.append(StepOperation(kind: .convBackwardWeights, row: name, count: count,
                                                reads: [x.count, dy.count], writes: [dw.count],
                                                flop: flop(.backwardWeights)) {
                    Convolution.backwardWeightsOptimized(g, x: x.readOnly, dy: dy.readOnly, dw: dw.pointer,
                                                         normalizing: applies ? affine.value : nil)
                })
            }
            // Which of this shape's norms carry the ReLU: the stem's and every block's first
            // (stride 2 or not); never a block's second or a shortcut's. Only the stem's writes
            // its output; a block's first only gathers statistics (the next convolution
            // applies it), a block's second and a shortcut's gather statistics here and are
            // applied in the join (the stage's joins row).
            let withReLU = shape.kernel == 1 ? 0 : (shape.inChannels == 3 || shape.stride == 2 ? shape.layers : shape.layers - 2)
            operations += normOperations(row: name, channels: g.outChannels, planeSize: g.outPixels, views: views,
                                         withReLU: withReLU, plain: shape.layers - withReLU,
                                         writesOutput: shape.inChannels == 3, generator: &generator)
            if rebuildsOutputs && shape.inChannels == 3 {
                // The stem's output is rebuilt for layer1's first block and again, on the way,
                // for the downsampling block after layer1's identity blocks.
                operations.append(rebuildOperation(row: name, channels: g.outChannels, planeSize: g.outPixels,
                                                   views: views, count: 2, generator: &generator))
            }
        }
        for stage in 0 ..< 4 {
            let channels = 16 << stage, size = 32 >> stage
            let output = views * channels * size * size
            // A stage's first block halves the image and doubles the channels (but stage 1's).
            let firstInput = stage == 0 ? output : 2 * output
            operations += joinOperations(row: "layer\(stage + 1) joins", channels: channels, planeSize: size * size,
                                         views: views, inputs: [firstInput, output], rebuilds: rebuildsOutputs,
                                         generator: &generator)
        }
        return operations
    }

    /// Per-channel constants of a batch norm (`ChannelAffine`, with its ReLU), for the
    /// operations that apply one as they read.
    /// The closures capture the object, which owns the buffers the pointers point into.
    final class ConstantAffine {
        let scale: FloatBuffer, shift: FloatBuffer
        let relu: Bool
        init(channels: Int, relu: Bool = true, generator: inout SeededGenerator) {
            scale = FloatBuffer(count: channels, generator: &generator)
            shift = FloatBuffer(count: channels, generator: &generator)
            self.relu = relu
        }
        var value: ChannelAffine { ChannelAffine(scale: scale.readOnly, shift: shift.readOnly, relu: relu) }
    }

    /// Batch norm forward and backward on `[views, channels, planeSize]`, `withReLU` of
    /// them with the fused ReLU and `plain` without: the forward pass writes the output
    /// (`writesOutput`) or only gathers the statistics; the backward takes the ReLU's mask
    /// from the input.
    private static func normOperations(row: String, channels: Int, planeSize: Int, views: Int, withReLU: Int,
                                       plain: Int, writesOutput: Bool,
                                       generator: inout SeededGenerator) -> [StepOperation] {
        let g = BatchNormGeometry(batch: views, channels: channels, planeSize: planeSize)
        let x = FloatBuffer(count: g.count, generator: &generator), dy = FloatBuffer(count: g.count, generator: &generator)
        let y = FloatBuffer(uninitializedCount: g.count), dx = FloatBuffer(uninitializedCount: g.count)
        let gamma = FloatBuffer(count: channels, generator: &generator), beta = FloatBuffer(count: channels, generator: &generator)
        let mean = FloatBuffer(uninitializedCount: channels), variance = FloatBuffer(uninitializedCount: channels)
        let dgamma = FloatBuffer(uninitializedCount: channels), dbeta = FloatBuffer(uninitializedCount: channels)
        let affine = ConstantAffine(channels: channels, generator: &generator)
        batchNormStatisticsOptimized(g, x: x.readOnly, mean: mean.pointer, variance: variance.pointer)
        var operations: [StepOperation] = []
        for (relu, count) in [(true, withReLU), (false, plain)] where count > 0 {
            operations.append(StepOperation(kind: .normForward, row: row, count: count, reads: [g.count],
                                            writes: writesOutput ? [g.count] : [], flop: 0) {
                if writesOutput {
                    batchNormForwardTrainingOptimized(g, x: x.readOnly, gamma: gamma.readOnly, beta: beta.readOnly,
                                                      eps: 1e-5, relu: relu, y: y.pointer, mean: mean.pointer,
                                                      variance: variance.pointer)
                } else {
                    batchNormStatisticsOptimized(g, x: x.readOnly, mean: mean.pointer, variance: variance.pointer)
                }
            })
            operations.append(StepOperation(kind: .normBackward, row: row, count: count, reads: [g.count, g.count],
                                            writes: [g.count], flop: 0) {
                batchNormBackwardOptimized(g, x: x.readOnly, dy: dy.readOnly, gamma: gamma.readOnly,
                                           mean: mean.readOnly, variance: variance.readOnly, eps: 1e-5,
                                           reluInput: relu ? affine.value : nil, dx: dx.pointer,
                                           dgamma: dgamma.pointer, dbeta: dbeta.pointer)
            })
        }
        return operations
    }

    /// A stage's two residual joins: forward, each block's last norm applied with the join
    /// in one pass, `relu(affine(main) + shortcut)` (its statistics are in the norm's row),
    /// where a downsampling block's shortcut is its norm's input, normalised as it is read;
    /// backward the ReLU's mask, then the sum of the two paths' gradients at each block's
    /// input (`inputs`). Each tensor has its own buffer, as in the step, so no pass finds
    /// another's data in cache.
    private static func joinOperations(row: String, channels: Int, planeSize: Int, views: Int, inputs: [Int],
                                       rebuilds: Bool, generator: inout SeededGenerator) -> [StepOperation] {
        let output = views * channels * planeSize, input = inputs.max()!
        let g = BatchNormGeometry(batch: views, channels: channels, planeSize: planeSize)
        let main = FloatBuffer(count: output, generator: &generator), shortcut = FloatBuffer(count: output, generator: &generator)
        let y = FloatBuffer(uninitializedCount: output)
        let dy = FloatBuffer(count: output, generator: &generator), gradient = FloatBuffer(uninitializedCount: output)
        let viaMain = FloatBuffer(count: input, generator: &generator), viaShortcut = FloatBuffer(count: input, generator: &generator)
        let dx = FloatBuffer(uninitializedCount: input)
        let affine = ConstantAffine(channels: channels, relu: false, generator: &generator)
        let shortcutAffine = ConstantAffine(channels: channels, relu: false, generator: &generator)
        // The stage's first block downsamples (but layer1's): its join applies the shortcut's norm too.
        let downsamples = inputs[0] != output ? 1 : 0
        func join(_ withShortcutNorm: Bool) {
            batchNormJoinOptimized(g, x: main.readOnly, affine: affine.value, residual: shortcut.readOnly,
                                   residualAffine: withShortcutNorm ? shortcutAffine.value : nil, y: y.pointer)
        }
        join(false)
        var operations: [StepOperation] = []
        for (count, withShortcutNorm) in [(inputs.count - downsamples, false), (downsamples, true)] where count > 0 {
            operations.append(StepOperation(kind: .joinForward, row: row, count: count, reads: [output, output],
                                            writes: [output], flop: 0) { join(withShortcutNorm) })
            if rebuilds {
                // Backward rebuilds each block's output by the same pass from the kept tensors.
                operations.append(StepOperation(kind: .rebuild, row: row, count: count, reads: [output, output],
                                                writes: [output], flop: 0) { join(withShortcutNorm) })
            }
        }
        for size in Set(inputs).sorted() {
            let blocks = inputs.filter { $0 == size }.count
            // A downsampling block's sum is the shortcut's backward-data, which adds as it
            // writes (its row); an identity block's is a pass of its own.
            let sums = size == output
            operations.append(StepOperation(kind: .joinBackward, row: row, count: blocks,
                                            reads: [output, output] + (sums ? [size, size] : []),
                                            writes: [output] + (sums ? [size] : []), flop: 0) {
                reluBackward(y.readOnly, dy.readOnly, gradient.pointer, count: output)
                if sums { add(viaMain.readOnly, viaShortcut.readOnly, dx.pointer, count: size) }
            })
        }
        return operations
    }

    /// A norm's output rebuilt `count` times in backward from its kept input, as
    /// `BatchNorm2d.recomputeOutput` does it for the stem (`ChannelAffine` with the ReLU).
    private static func rebuildOperation(row: String, channels: Int, planeSize: Int, views: Int, count: Int,
                                         generator: inout SeededGenerator) -> StepOperation {
        let size = views * channels * planeSize
        let x = FloatBuffer(count: size, generator: &generator), y = FloatBuffer(uninitializedCount: size)
        let affine = ConstantAffine(channels: channels, relu: true, generator: &generator)
        return StepOperation(kind: .rebuild, row: row, count: count, reads: [size], writes: [size], flop: 0) {
            affine.value.apply(x.readOnly, into: y.pointer, batch: views, channels: channels, plane: planeSize)
        }
    }
}
