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

    /// Whether a training step on the optimized path fuses the batch norms into their
    /// neighbours, instead of running every layer on its own:
    /// - an inner norm only gathers its statistics (`BatchNorm2d.forwardDeferred`), and the
    ///   next convolution applies it, ReLU included, as it reads the norm's input, in the
    ///   forward pass and in the weight gradient (`Conv2d.forward(_:normalizedBy:)`); its
    ///   backward takes the ReLU's mask from the input too, so the normalised tensor is
    ///   never stored;
    /// - the last norm and the join `relu(main + shortcut)` are one pass
    ///   (`BatchNorm2d.forward(_:joining:normalizedBy:)`), which applies a downsampling
    ///   shortcut's norm too as it reads the shortcut convolution's output (that norm only
    ///   gathers its statistics), so neither normalised tensor is written.
    ///
    /// The numbers are the same bit for bit (every value is computed by the same fused
    /// multiply-add, only where it is read changes). On by default; the reference path
    /// always runs the layers one by one.
    public var fusesNormalization = true

    /// Whether a fused training forward that keeps neither input nor output also drops its
    /// first convolution's output (the first norm's input, which the second convolution reads),
    /// and backward computes it again from the block's input, handed back anyway
    /// (`ResNet.recomputedConvolutions`). The same numbers bit for bit.
    var recomputesFirstConvolution = false

    init(convs: [Conv2d], norms: [BatchNorm2d], downsample: (conv: Conv2d, norm: BatchNorm2d)?) {
        contract(norms.dropLast().allSatisfy(\.fusedReLU) && !norms.last!.fusedReLU,
                 "ResidualBlock: every norm but the last carries the ReLU")
        self.convs = convs
        self.norms = norms
        self.downsample = downsample
    }

    public var parameters: [Parameter] {
        var p: [Parameter] = []
        for (c, n) in zip(convs, norms) { p += c.parameters + n.parameters }
        if let d = downsample { p += d.conv.parameters + d.norm.parameters }
        return p
    }

    public var buffers: [Buffer] { norms.flatMap(\.buffers) + (downsample?.norm.buffers ?? []) }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        forward(x, training: training, keepsInputAndOutput: true)
    }

    /// A forward pass that, with `keepsInputAndOutput` false and the block fused, keeps
    /// neither the block's input nor its output for backward: `ResNet` recomputes them in
    /// backward instead (`ResNet.recomputesBlockOutputs`) and hands them back to
    /// `backward(_:output:input:)`. The unfused and reference paths always keep them.
    func forward(_ x: consuming Tensor, training: Bool, keepsInputAndOutput: Bool) -> Tensor {
        let input = consume x
        let fused = training && fusesNormalization && ComputePath.current == .optimized
        let keeps = !fused || keepsInputAndOutput
        let out: Tensor
        if fused {
            // conv → (statistics only) → conv reading the normalised input → … → norm + join,
            // the shortcut's norm (statistics only) applied in the join as well.
            let shortcut = downsample.map { d in
                let c = d.conv.forward(input, training: true, keepsInput: keeps)
                d.norm.forwardDeferred(c)
                return c
            }
            var z = convs[0].forward(input, training: true, keepsInput: keeps)
            for i in 1 ..< convs.count {
                norms[i - 1].forwardDeferred(z)
                z = convs[i].forward(z, normalizedBy: norms[i - 1])
                if i == 1 && !keeps && recomputesFirstConvolution {
                    // Dropped as soon as the second convolution has read it (backward computes it again).
                    norms[0].releaseInput()
                    convs[1].releaseInput()
                }
            }
            if let shortcut {
                out = norms.last!.forward(z, joining: shortcut, normalizedBy: downsample?.norm)
            } else if keeps {
                out = norms.last!.forward(z, joining: input)
            } else {
                // Nothing keeps the input past the join: the output is written over it.
                out = norms.last!.forward(z, joiningOver: consume input)
            }
        } else {
            let shortcut = downsample.map { $0.norm.forward($0.conv.forward(input, training: training), training: training) }
                ?? input
            var main = input
            for i in convs.indices {
                main = norms[i].forward(convs[i].forward(main, training: training), training: training)
            }
            let n = main.count
            shortcut.withPointer { ps in main.withMutablePointer { py in addReLU(py, ps, py, count: n) } }
            out = main
        }
        output = training && keeps ? out : nil
        return out
    }

    /// Whether `recomputeOutput(input:)` needs the block's input: only an identity shortcut
    /// does (a downsampling shortcut's norm keeps its own input).
    var needsInputToRecomputeOutput: Bool { downsample == nil }

    /// The output of the last fused training forward, computed again from what the block's
    /// norms keep for backward anyway (the last norm's input, and the shortcut norm's input
    /// or, for an identity shortcut, `input`) by the same passes: bit for bit what `forward`
    /// returned. Before `backward`.
    func recomputeOutput(input: Tensor?) -> Tensor {
        if let downsample { return norms.last!.recomputeOutput(joiningOutputOf: downsample.norm) }
        guard let input else { contractFailure("ResidualBlock.recomputeOutput: an identity shortcut needs the block's input") }
        return norms.last!.recomputeOutput(joining: input)
    }

    /// `recomputeOutput(input:)` of an identity block, written over `input`, which the caller
    /// no longer needs: bit for bit the same output, without a tensor of its own.
    func recomputeOutput(over input: consuming Tensor) -> Tensor {
        contract(downsample == nil, "ResidualBlock.recomputeOutput(over:): only an identity block joins its input")
        return norms.last!.recomputeOutput(joiningOver: input)
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let y = output else { contractFailure("ResidualBlock.backward before a training forward") }
        output = nil
        return backward(dy, output: y, input: nil)
    }

    /// Backward with the block's output `y` (for the final ReLU's mask) and its input `x` (for
    /// the weight gradients of the convolutions that read it) handed in, recomputed by the
    /// caller after a forward that kept neither (`keepsInputAndOutput: false`); `x` nil means the
    /// convolutions kept it.
    func backward(_ gradient: consuming Tensor, output y: consuming Tensor, input x: Tensor?) -> Tensor {
        // Through the final ReLU; the sum then sends the same gradient down both paths.
        var dy = consume gradient
        let n = dy.count
        y.withPointer { py in dy.withMutablePointer { pg in reluBackward(py, pg, pg, count: n) } }
        _ = consume y  // the output's last use: free it before the layers' backward allocate
        var main = copy dy  // the same storage: the shortcut's backward reads dy after the main path's
        // Fused or not, each layer's backward finds what it needs in its own state (the first
        // convolution's input aside, when it was handed in, and its output when it was dropped:
        // computed again just before the second convolution's weight gradient reads it). A norm
        // whose gradient is no one else's writes its input gradient over it.
        for i in convs.indices.reversed() {
            let dn = norms[i].backward(consume main, overwriting: i < convs.count - 1)
            var given = i == 0 ? x : nil
            if i == 1 && !norms[0].holdsInput {
                guard let x else { contractFailure("ResidualBlock.backward: a dropped first convolution output needs the block's input") }
                let z = convs[0].recomputeOutput(input: x)
                norms[0].restoreInput(z)
                given = z
            }
            main = convs[i].backward(dn, input: given)
        }
        // The shortcut's gradient joins the main path's: added as the convolution writes it
        // for a downsampling shortcut, added after for an identity one.
        if let downsample {
            downsample.conv.backward(downsample.norm.backward(consume dy, overwriting: true), input: x,
                                     addingInputGradientTo: &main)
        } else {
            let m = main.count
            dy.withPointer { ps in main.withMutablePointer { pd in add(pd, ps, pd, count: m) } }
        }
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
