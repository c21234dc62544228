import Core

/// SimCLR's projection head g(·): `Linear(h, hidden) → ReLU → Linear(hidden, out)`, mapping
/// features h to the vectors z on which the contrastive loss is computed. Named as a
/// PyTorch `nn.Sequential` under `projector.` (`projector.0.weight`, `projector.2.bias`, …).
public final class ProjectionHead: Layer {
    public let first: Linear
    let relu = ReLU()
    public let second: Linear

    public init(inFeatures: Int, hidden: Int, outFeatures: Int, prefix: String = "projector",
                generator: inout SeededGenerator) {
        first = Linear(name: "\(prefix).0", inFeatures: inFeatures, outFeatures: hidden, generator: &generator)
        second = Linear(name: "\(prefix).2", inFeatures: hidden, outFeatures: outFeatures, generator: &generator)
    }

    public var inFeatures: Int { first.inFeatures }
    public var hidden: Int { first.outFeatures }
    public var outFeatures: Int { second.outFeatures }
    public var parameters: [Parameter] { first.parameters + second.parameters }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        second.forward(relu.forward(first.forward(x, training: training), training: training), training: training)
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        first.backward(relu.backward(second.backward(dy)))
    }
}
