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
    /// Whether a training forward pass keeps its input for the weight gradient. A residual
    /// block turns it off when the input is a batch norm's output that the block rebuilds in
    /// backward and passes to `backward(_:input:)` (`BatchNorm2d.keepsOutput`). On the
    /// reference path the layer always keeps its input.
    public var keepsInput = true
    private var input: Tensor?
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
        contract(x.rank == 4 && x.dim(1) == inChannels,
                 "Conv2d \(weight.name): expected [N, \(inChannels), H, W], got \(x.shape)")
        let g = ConvGeometry(batch: x.dim(0), inChannels: inChannels, height: x.dim(2), width: x.dim(3),
                             outChannels: outChannels, kernel: kernel, stride: stride, padding: padding)
        let y = Tensor(shape: g.outputShape) { out in
            x.withPointer { px in weight.value.withPointer { pw in Convolution.forward(g, x: px, w: pw, y: out.baseAddress!) } }
        }
        if training {
            input = keepsInput || ComputePath.current == .reference ? x : nil
            geometry = g
        } else {
            input = nil
            geometry = nil
        }
        return y
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        backward(dy, input: nil)
    }

    /// Backward with the forward's input supplied by the caller (rebuilt by a residual
    /// block) when the layer did not keep it (`keepsInput`).
    public func backward(_ dy: consuming Tensor, input rebuilt: Tensor?) -> Tensor {
        guard let g = geometry, let x = input ?? rebuilt else {
            contractFailure(geometry == nil ? "Conv2d.backward before a training forward"
                                            : "Conv2d \(weight.name).backward: the input was not kept; pass it")
        }
        contract(x.shape == g.inputShape, "Conv2d \(weight.name).backward: input \(x.shape), expected \(g.inputShape)")
        dy.withPointer { pdy in
            x.withPointer { px in
                weight.grad.withMutablePointer { pdw in Convolution.backwardWeights(g, x: px, dy: pdy, dw: pdw) }
            }
        }
        input = nil
        geometry = nil
        guard computesInputGradient else { return Tensor(zeros: [0]) }
        return Tensor(shape: g.inputShape) { dx in
            dy.withPointer { pdy in
                weight.value.withPointer { pw in Convolution.backwardData(g, dy: pdy, w: pw, dx: dx.baseAddress!) }
            }
        }
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
