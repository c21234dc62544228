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
        var out = x
        for layer in stem { out = layer.forward(out, training: training) }
        for block in blocks { out = block.forward(out, training: training) }
        return pool.forward(out, training: training)
    }

    /// Gradient of the loss with respect to h → parameter gradients (and the input
    /// gradient if `computesInputGradient`, else an empty tensor).
    public func backward(_ dh: Tensor) -> Tensor {
        var g = pool.backward(dh)
        for block in blocks.reversed() { g = block.backward(g) }
        for layer in stem.reversed() { g = layer.backward(g) }
        return g
    }

    /// Number of trainable values (what torchvision's `sum(p.numel())` counts).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
