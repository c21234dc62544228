import Core

/// 2-D convolution without bias: input `[N, inChannels, H, W]` → output
/// `[N, outChannels, H', W']`, weight `[outChannels, inChannels, k, k]`.
public final class Conv2d: Layer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    public let padding: Int
    public let weight: Parameter
    /// The first convolution of a network does not need the gradient of its input (the
    /// images); skipping it saves a large GEMM per step.
    public var computesInputGradient = true
    private var input: Tensor?
    /// The batch norm whose output the last training forward convolved, computing it from the
    /// norm's input as it read it (`forward(_:normalizedBy:)`); backward reads it the same way.
    private var inputNorm: BatchNorm2d?
    private var geometry: ConvGeometry?

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                generator: inout SeededGenerator) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        let shape = [outChannels, inChannels, kernel, kernel]
        weight = Parameter(name: "\(name).weight", role: .weight,
                           value: kaimingUniform(shape: shape, fanIn: inChannels * kernel * kernel, generator: &generator))
    }

    public var parameters: [Parameter] { [weight] }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        forward(x, training: training, keepsInput: true)
    }

    /// A forward pass that, with `keepsInput` false, keeps no reference to `x` for backward:
    /// the caller recomputes the input and hands it to `backward(_:input:)`, so that `x` need
    /// not stay in memory between the two passes (`ResNet.recomputesBlockOutputs`).
    public func forward(_ x: consuming Tensor, training: Bool, keepsInput: Bool) -> Tensor {
        let g = geometry(x)
        let y = Tensor(shape: g.outputShape) { out in
            x.withPointer { px in weight.value.withPointer { pw in Convolution.forward(g, x: px, w: pw, y: out.baseAddress!) } }
        }
        input = training && keepsInput ? x : nil
        inputNorm = nil
        geometry = training ? g : nil
        return y
    }

    /// A training forward pass on the output of `norm`, whose input is `x`, after
    /// `norm.forwardDeferred(x)`: the kernel applies the norm (and its ReLU) as it reads `x`
    /// (`ChannelAffine`), so the normalised tensor is never stored, and the weight gradient
    /// reads `x` the same way in backward. The numbers are those of
    /// `forward(norm.forward(x))` bit for bit.
    public func forward(_ x: consuming Tensor, normalizedBy norm: BatchNorm2d) -> Tensor {
        let g = geometry(x)
        let y = Tensor(shape: g.outputShape) { out in
            x.withPointer { px in weight.value.withPointer { pw in norm.withAffine { affine in
                Convolution.forward(g, x: px, w: pw, y: out.baseAddress!, normalizing: affine)
            } } }
        }
        input = x
        inputNorm = norm
        geometry = g
        return y
    }

    /// The output of the last training forward, computed again by the same kernel from the
    /// input it read: bit for bit what that forward returned (the kernel's sums run in a fixed
    /// order). `x` is that input, or nil when the forward kept it. Before `backward`, and only
    /// after a forward on a plain input (not `forward(_:normalizedBy:)`).
    public func recomputeOutput(input given: Tensor?) -> Tensor {
        guard let g = geometry, let x = given ?? input else {
            contractFailure("Conv2d \(weight.name).recomputeOutput: no input (a training forward, or one handed back, is needed)")
        }
        contract(inputNorm == nil, "Conv2d \(weight.name).recomputeOutput: the forward normalised its input")
        contract(x.shape == g.inputShape, "Conv2d \(weight.name).recomputeOutput: input \(x.shape), forward read \(g.inputShape)")
        return Tensor(shape: g.outputShape) { out in
            x.withPointer { px in weight.value.withPointer { pw in Convolution.forward(g, x: px, w: pw, y: out.baseAddress!) } }
        }
    }

    /// Drops the input the last training forward kept for backward: the caller hands the same
    /// values to `backward(_:input:)`. The norm the forward applied as it read stays.
    func releaseInput() { input = nil }

    private func geometry(_ x: Tensor) -> ConvGeometry {
        contract(x.rank == 4 && x.dim(1) == inChannels,
                 "Conv2d \(weight.name): expected [N, \(inChannels), H, W], got \(x.shape)")
        return ConvGeometry(batch: x.dim(0), inChannels: inChannels, height: x.dim(2), width: x.dim(3),
                            outChannels: outChannels, kernel: kernel, stride: stride, padding: padding)
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        backward(dy, input: nil)
    }

    /// Backward of the last training forward pass, reading `x` as its input, or the input
    /// the forward kept when `x` is nil. `x` must hold the values the forward read (a
    /// forward with `keepsInput: false` kept none).
    public func backward(_ dy: consuming Tensor, input given: Tensor?) -> Tensor {
        let g = weightGradient(dy, input: given)
        guard computesInputGradient else { return Tensor(zeros: [0]) }
        return Tensor(shape: g.inputShape) { dx in
            dy.withPointer { pdy in
                weight.value.withPointer { pw in Convolution.backwardData(g, dy: pdy, w: pw, dx: dx.baseAddress!) }
            }
        }
    }

    /// Backward as `backward(_:input:)`, with the input gradient added to `sum` instead of
    /// returned: bit for bit `sum + backward(dy, input: x)`, and for a 1x1 stride-2 shortcut
    /// without a tensor of the input's size of its own (`Convolution.backwardDataAdding`).
    func backward(_ dy: consuming Tensor, input given: Tensor?, addingInputGradientTo sum: inout Tensor) {
        let g = weightGradient(dy, input: given)
        contract(computesInputGradient, "Conv2d \(weight.name).backward(addingInputGradientTo:): it computes no input gradient")
        contract(sum.shape == g.inputShape, "Conv2d \(weight.name).backward: sum \(sum.shape), input \(g.inputShape)")
        dy.withPointer { pdy in weight.value.withPointer { pw in sum.withMutablePointer { ps in
            Convolution.backwardDataAdding(g, dy: pdy, w: pw, dx: ps)
        } } }
    }

    /// The weight gradient of the last training forward (reading `x`, or the kept input when
    /// nil), after which the layer holds nothing of that forward. Returns its geometry.
    private func weightGradient(_ dy: Tensor, input given: Tensor?) -> ConvGeometry {
        guard let g = geometry, let x = given ?? input else {
            contractFailure("Conv2d \(weight.name).backward: no input (a training forward, or one handed back, is needed)")
        }
        contract(x.shape == g.inputShape, "Conv2d \(weight.name).backward: input \(x.shape), forward read \(g.inputShape)")
        dy.withPointer { pdy in
            x.withPointer { px in
                weight.grad.withMutablePointer { pdw in
                    if let inputNorm {
                        inputNorm.withAffine { Convolution.backwardWeights(g, x: px, dy: pdy, dw: pdw, normalizing: $0) }
                    } else {
                        Convolution.backwardWeights(g, x: px, dy: pdy, dw: pdw)
                    }
                }
            }
        }
        input = nil
        inputNorm = nil
        geometry = nil
        return g
    }
}

extension Conv2d {
    /// Output size for an input of `height x width` (PyTorch's rule).
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height + 2 * padding - kernel) / stride + 1, (width + 2 * padding - kernel) / stride + 1)
    }

    /// Multiply-adds of one image through this layer.
    public func multiplyAdds(height: Int, width: Int) -> Int {
        let (h, w) = outputSize(height: height, width: width)
        return outChannels * inChannels * kernel * kernel * h * w
    }
}
