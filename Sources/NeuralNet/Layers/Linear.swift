import Core

/// Fully connected layer `y = x·wᵀ + b` on `[N, inFeatures]` (PyTorch's `nn.Linear`).
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    private var input: Tensor?

    public init(name: String, inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: inout SeededGenerator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(name: "\(name).weight", role: .weight,
                           value: kaimingUniform(shape: [outFeatures, inFeatures], fanIn: inFeatures, generator: &generator))
        self.bias = bias ? Parameter(name: "\(name).bias", role: .bias,
                                     value: biasUniform(count: outFeatures, fanIn: inFeatures, generator: &generator)) : nil
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        contract(x.rank == 2 && x.dim(1) == inFeatures,
                 "Linear \(weight.name): expected [N, \(inFeatures)], got \(x.shape)")
        let n = x.dim(0)
        let y = Tensor(shape: [n, outFeatures]) { y in
            x.withPointer { px in weight.value.withPointer { pw in
                if let bias {
                    bias.value.withPointer { pb in
                        linearForward(batch: n, inFeatures: inFeatures, outFeatures: outFeatures, x: px, w: pw, b: pb,
                                      y: y.baseAddress!)
                    }
                } else {
                    linearForward(batch: n, inFeatures: inFeatures, outFeatures: outFeatures, x: px, w: pw, b: nil,
                                  y: y.baseAddress!)
                }
            } }
        }
        input = training ? x : nil
        return y
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let x = input else { contractFailure("Linear.backward before a training forward") }
        input = nil
        let n = x.dim(0)
        var dx = Tensor(zeros: [n, inFeatures])
        x.withPointer { px in weight.value.withPointer { pw in dy.withPointer { pdy in
            dx.withMutablePointer { pdx in weight.grad.withMutablePointer { pdw in
                if let bias {
                    bias.grad.withMutablePointer { pdb in
                        linearBackward(batch: n, inFeatures: inFeatures, outFeatures: outFeatures, x: px, w: pw,
                                       dy: pdy, dx: pdx, dw: pdw, db: pdb)
                    }
                } else {
                    linearBackward(batch: n, inFeatures: inFeatures, outFeatures: outFeatures, x: px, w: pw,
                                   dy: pdy, dx: pdx, dw: pdw, db: nil)
                }
            } }
        } } }
        return dx
    }
}
