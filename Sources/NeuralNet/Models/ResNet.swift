import Core

/// The encoder f(·) of SimCLR: a ResNet trunk without its classification layer, mapping
/// images `[N, 3, H, W]` to features h `[N, featureDimension]` after global average pooling.
///
/// Parameter names follow torchvision (`conv1`, `bn1`, `layer1.0.conv1`, …, no `fc`), so a
/// checkpoint loads into `torchvision.models.resnet18()` with the same stem.
public final class ResNet: Layer {
    public let config: ResNetConfig
    /// The layers before the first residual block: conv, batch norm with ReLU, and max pool
    /// for the ImageNet stem.
    public let stem: [Layer]
    let firstConv: Conv2d
    public let blocks: [ResidualBlock]
    let pool = GlobalAveragePool()

    /// Whether a training forward on the optimized path drops the output of the stem and of
    /// every residual block once the next layers have read it, and backward recomputes each
    /// from tensors the layers keep anyway (a block's last norm input, and its shortcut norm's
    /// input or the block before's output) as it reaches that block. The recomputed values
    /// are the forward's bit for bit. On by default: it keeps about 30 % fewer activations
    /// between the passes, for a few extra passes over memory in backward.
    public var recomputesBlockOutputs = true
    /// Which convolution outputs a training forward that drops the block outputs drops as well,
    /// for backward to compute them again (`ConvolutionRecomputation`); nil lets the network
    /// choose by the batch's size (`recomputation(batch:height:width:)`).
    public var recomputedConvolutions: ConvolutionRecomputation?
    /// The bytes of convolution outputs (`keptConvolutionBytes`) past which the network's own
    /// choice drops the stem's and the first stage's: 256 MiB, which the classroom step passes
    /// from about 220 images (437 views) up.
    public var recomputationThreshold = 256 << 20
    /// Whether the last training forward dropped the block outputs (the blocks ran fused).
    private var recomputing = false
    /// The stem's output, kept when it ends in a layer that cannot recompute it (the ImageNet
    /// stem's max pool).
    private var stemOutput: Tensor?
    /// Whether the last training forward dropped the stem convolution's output (the stem
    /// norm's input), which backward computes again from the images the convolution keeps.
    private var droppedStemConvolution = false
    /// The stem's batch norm (after its convolution in both stems).
    var stemNorm: BatchNorm2d { stem[1] as! BatchNorm2d }

    public init(_ config: ResNetConfig, generator: inout SeededGenerator) {
        self.config = config
        let w = config.width
        switch config.stem {
        case .cifar:
            firstConv = Conv2d(name: "conv1", inChannels: 3, outChannels: w, kernel: 3, stride: 1, padding: 1,
                               generator: &generator)
            stem = [firstConv, BatchNorm2d(name: "bn1", channels: w, relu: true)]
        case .imagenet:
            firstConv = Conv2d(name: "conv1", inChannels: 3, outChannels: w, kernel: 7, stride: 2, padding: 3,
                               generator: &generator)
            stem = [firstConv, BatchNorm2d(name: "bn1", channels: w, relu: true), MaxPool2d()]
        }
        firstConv.computesInputGradient = false
        var blocks: [ResidualBlock] = []
        var inChannels = w
        for (stage, count) in config.depth.blocksPerStage.enumerated() {
            let channels = w << stage
            for b in 0 ..< count {
                let name = "layer\(stage + 1).\(b)"
                let stride = (stage > 0 && b == 0) ? 2 : 1
                if config.depth.usesBottleneck {
                    blocks.append(Bottleneck(name: name, inChannels: inChannels, channels: channels, stride: stride,
                                             generator: &generator))
                    inChannels = channels * Bottleneck.expansion
                } else {
                    blocks.append(BasicBlock(name: name, inChannels: inChannels, channels: channels, stride: stride,
                                             generator: &generator))
                    inChannels = channels
                }
            }
        }
        self.blocks = blocks
    }

    /// Whether `backward` returns the gradient of the input images (off by default: training
    /// never needs it, and it costs one of the largest GEMMs).
    public var computesInputGradient: Bool {
        get { firstConv.computesInputGradient }
        set { firstConv.computesInputGradient = newValue }
    }

    public var parameters: [Parameter] { stem.flatMap(\.parameters) + blocks.flatMap(\.parameters) }
    public var buffers: [Buffer] { stem.flatMap(\.buffers) + blocks.flatMap(\.buffers) }

    /// Images `[N, 3, H, W]` → h `[N, featureDimension]`.
    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        contract(x.rank == 4 && x.dim(1) == 3, "ResNet: expected images [N, 3, H, W], got \(x.shape)")
        recomputing = training && recomputesBlockOutputs && ComputePath.current == .optimized
            && blocks.allSatisfy(\.fusesNormalization)
        let plan = recomputing ? recomputedConvolutions ?? recomputation(batch: x.dim(0), height: x.dim(2), width: x.dim(3))
                               : .none
        var out = x
        droppedStemConvolution = plan != .none
        for layer in stem {
            if droppedStemConvolution && layer === stemNorm {
                // Its input, dropped anyway, becomes its output.
                out = stemNorm.forwardOverwritingInput(consume out)
            } else {
                out = layer.forward(consume out, training: training)
            }
        }
        stemOutput = recomputing && !(stem.last is BatchNorm2d) ? out : nil
        let firstStage = config.depth.blocksPerStage[0]
        for (i, block) in blocks.enumerated() {
            block.recomputesFirstConvolution = plan == .stemAndFirstStage && i < firstStage
            out = block.forward(consume out, training: training, keepsInputAndOutput: !recomputing)
        }
        return pool.forward(out, training: training)
    }

    /// Gradient of the loss with respect to h → parameter gradients (and the input
    /// gradient if `computesInputGradient`, else an empty tensor).
    public func backward(_ dh: Tensor) -> Tensor {
        var g = pool.backward(dh)
        if recomputing {
            // Each block gets its output (for the final ReLU's mask) and its input (for the
            // weight gradients of the convolutions that read it), rebuilt just before it needs
            // them. Rebuilding an identity block's output rebuilds its input on the way, which
            // is the next block's input: it is carried down instead of being rebuilt again.
            recomputing = false
            var (output, carried) = rebuiltOutput(ofBlock: blocks.count - 1)
            for k in blocks.indices.reversed() {
                let (input, below) = carried.map { ($0, nil) } ?? rebuiltOutput(ofBlock: k - 1)
                carried = below
                g = blocks[k].backward(g, output: consume output, input: input)
                output = input
            }
            stemOutput = nil
            if droppedStemConvolution { restoreStemConvolution() }
        } else {
            for block in blocks.reversed() { g = block.backward(g) }
        }
        for layer in stem.reversed() { g = layer.backward(g) }
        return g
    }

    /// The output of block `k` in the last training forward (the stem's for k = -1), rebuilt
    /// from what the layers kept, and the block's input when rebuilding needed it: an identity
    /// block needs the block before's output, rebuilt the same way, back to a block with a
    /// downsampling shortcut or the stem. Nothing else is cached, so at most a few outputs are
    /// in memory at once (ResNet-18 rebuilds each block's output once and the stem's twice).
    ///
    /// With `keepingInput` false the caller discards the input, so the rebuild may write the
    /// output over it: no tensor of its own (the chain of identity blocks then holds one
    /// output at a time).
    private func rebuiltOutput(ofBlock k: Int, keepingInput: Bool = true) -> (output: Tensor, input: Tensor?) {
        if k < 0 {
            if let stemOutput { return (stemOutput, nil) }
            guard let norm = stem.last as? BatchNorm2d else { contractFailure("ResNet: the stem's output was not kept") }
            // A dropped stem convolution is computed for this rebuild and overwritten by it: the
            // next use may be a stage away, where memory is tightest.
            if droppedStemConvolution { return (norm.recomputeOutput(over: firstConv.recomputeOutput(input: nil)), nil) }
            return (norm.recomputeOutput(), nil)
        }
        guard blocks[k].needsInputToRecomputeOutput else { return (blocks[k].recomputeOutput(input: nil), nil) }
        let input = rebuiltOutput(ofBlock: k - 1, keepingInput: false).output
        if keepingInput { return (blocks[k].recomputeOutput(input: input), input) }
        return (blocks[k].recomputeOutput(over: input), nil)
    }

    /// Hands the stem norm its input again, computed by the stem convolution from the images
    /// it kept: bit for bit what the forward computed.
    private func restoreStemConvolution() {
        stemNorm.restoreInput(firstConv.recomputeOutput(input: nil))
    }

    /// Number of trainable values (what torchvision's `sum(p.numel())` counts).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
