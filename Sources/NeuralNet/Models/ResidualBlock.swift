import Core

/// The two kinds of ResNet block share one shape: a main path of conv-BN(-ReLU) pairs,
/// a shortcut (identity, or 1x1 conv + BN when the shape changes), and `relu(main + shortcut)`.
///
/// `BasicBlock` (ResNet-18/34) and `Bottleneck` (ResNet-50) differ only in the main path.
public class ResidualBlock: Layer {
    /// The main path as alternating convolutions and batch norms; a ReLU follows every
    /// batch norm except the last, whose output joins the shortcut (those norms are built
    /// with the ReLU fused in: `BatchNorm2d(relu: true)`).
    let convs: [Conv2d]
    let norms: [BatchNorm2d]
    let downsample: (conv: Conv2d, norm: BatchNorm2d)?
    private var output: Tensor?

    /// Whether the outputs of the main path's inner norms (each the input of the next
    /// convolution) are dropped after the forward pass and rebuilt in backward from the
    /// norm's input and statistics (`BatchNorm2d.rebuiltOutput`), instead of being kept
    /// between the passes. Rebuilding costs one normalise pass per inner norm in backward
    /// and saves one activation per inner norm (a quarter of a basic block's, two fifths of
    /// a bottleneck's); the numbers are the same bit for bit. On by default; the reference
    /// path keeps everything.
    public var rebuildsInnerActivations = true {
        didSet { applyKeeping() }
    }

    init(convs: [Conv2d], norms: [BatchNorm2d], downsample: (conv: Conv2d, norm: BatchNorm2d)?) {
        contract(norms.dropLast().allSatisfy(\.fusedReLU) && !norms.last!.fusedReLU,
                 "ResidualBlock: every norm but the last carries the ReLU")
        self.convs = convs
        self.norms = norms
        self.downsample = downsample
        applyKeeping()
    }

    private func applyKeeping() {
        for i in 1 ..< convs.count {
            convs[i].keepsInput = !rebuildsInnerActivations
            norms[i - 1].keepsOutput = !rebuildsInnerActivations
        }
    }

    public var parameters: [Parameter] {
        var p: [Parameter] = []
        for (c, n) in zip(convs, norms) { p += c.parameters + n.parameters }
        if let d = downsample { p += d.conv.parameters + d.norm.parameters }
        return p
    }

    public var buffers: [Buffer] { norms.flatMap(\.buffers) + (downsample?.norm.buffers ?? []) }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        let input = copy x  // read by both paths; the consuming parameter needs an explicit copy
        var out = norms[0].forward(convs[0].forward(input, training: training), training: training)
        for i in 1 ..< convs.count {
            out = norms[i].forward(convs[i].forward(out, training: training), training: training)
        }
        let shortcut = downsample.map { $0.norm.forward($0.conv.forward(input, training: training), training: training) } ?? input
        let n = out.count
        shortcut.withPointer { ps in out.withMutablePointer { py in addReLU(py, ps, py, count: n) } }
        output = training ? out : nil
        return out
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let y = output else { contractFailure("ResidualBlock.backward before a training forward") }
        output = nil
        // Through the final ReLU; the sum then sends the same gradient down both paths.
        let n = dy.count
        y.withPointer { py in dy.withMutablePointer { pg in reluBackward(py, pg, pg, count: n) } }
        let g = dy
        var main = g
        // norms[i]'s output (the input of convs[i + 1]), kept or rebuilt: the convolution's
        // weight gradient reads it, then the norm's fused ReLU takes its mask from it.
        var normOutput: Tensor?
        for i in convs.indices.reversed() {
            let dz = norms[i].backward(main, output: normOutput)
            normOutput = i > 0 ? norms[i - 1].rebuiltOutput() : nil
            main = convs[i].backward(dz, input: normOutput)
        }
        let viaShortcut = downsample.map { $0.conv.backward($0.norm.backward(g)) } ?? g
        let m = main.count  // the block's input size, not its output's
        viaShortcut.withPointer { ps in main.withMutablePointer { pd in add(pd, ps, pd, count: m) } }
        return main
    }
}

/// ResNet-18/34's block: 3x3 conv (stride s) - BN - ReLU - 3x3 conv - BN, plus shortcut.
public final class BasicBlock: ResidualBlock {
    public static let expansion = 1

    public init(name: String, inChannels: Int, channels: Int, stride: Int, generator: inout SeededGenerator) {
        let c1 = Conv2d(name: "\(name).conv1", inChannels: inChannels, outChannels: channels, kernel: 3,
                        stride: stride, padding: 1, generator: &generator)
        let c2 = Conv2d(name: "\(name).conv2", inChannels: channels, outChannels: channels, kernel: 3,
                        stride: 1, padding: 1, generator: &generator)
        var down: (Conv2d, BatchNorm2d)?
        if stride != 1 || inChannels != channels {
            down = (Conv2d(name: "\(name).downsample.0", inChannels: inChannels, outChannels: channels, kernel: 1,
                           stride: stride, generator: &generator),
                    BatchNorm2d(name: "\(name).downsample.1", channels: channels))
        }
        super.init(convs: [c1, c2],
                   norms: [BatchNorm2d(name: "\(name).bn1", channels: channels, relu: true),
                           BatchNorm2d(name: "\(name).bn2", channels: channels)],
                   downsample: down)
    }
}

/// ResNet-50's block (torchvision's "v1.5", stride on the 3x3): 1x1 conv - BN - ReLU -
/// 3x3 conv (stride s) - BN - ReLU - 1x1 conv to 4x the channels - BN, plus shortcut.
public final class Bottleneck: ResidualBlock {
    public static let expansion = 4

    public init(name: String, inChannels: Int, channels: Int, stride: Int, generator: inout SeededGenerator) {
        let out = channels * Bottleneck.expansion
        let c1 = Conv2d(name: "\(name).conv1", inChannels: inChannels, outChannels: channels, kernel: 1,
                        generator: &generator)
        let c2 = Conv2d(name: "\(name).conv2", inChannels: channels, outChannels: channels, kernel: 3,
                        stride: stride, padding: 1, generator: &generator)
        let c3 = Conv2d(name: "\(name).conv3", inChannels: channels, outChannels: out, kernel: 1,
                        generator: &generator)
        var down: (Conv2d, BatchNorm2d)?
        if stride != 1 || inChannels != out {
            down = (Conv2d(name: "\(name).downsample.0", inChannels: inChannels, outChannels: out, kernel: 1,
                           stride: stride, generator: &generator),
                    BatchNorm2d(name: "\(name).downsample.1", channels: out))
        }
        super.init(convs: [c1, c2, c3],
                   norms: [BatchNorm2d(name: "\(name).bn1", channels: channels, relu: true),
                           BatchNorm2d(name: "\(name).bn2", channels: channels, relu: true),
                           BatchNorm2d(name: "\(name).bn3", channels: out)],
                   downsample: down)
    }
}
