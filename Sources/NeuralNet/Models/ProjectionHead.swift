import Core

/// SimCLR's projection head g(·), mapping features h to the vectors z on which the
/// contrastive loss is computed.
///
/// It is `Linear(h, hidden) → ReLU → Linear(hidden, out)`, or one of the two heads the
/// SimCLR paper compares it with (a single linear layer, or none, the loss then being
/// computed on h itself). Named as a PyTorch `nn.Sequential` under `projector.`
/// (`projector.0.weight`, `projector.2.bias`, …).
public final class ProjectionHead: Layer {
    /// Which head.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// `Linear(h, hidden) → ReLU → Linear(hidden, out)`: SimCLR's head.
        case mlp
        /// `Linear(h, out)`.
        case linear
        /// No head: z = h.
        case none
    }

    public let kind: Kind
    /// The first linear layer: h → hidden for the MLP, h → out for the linear head; nil without a head.
    public let first: Linear?
    let relu = ReLU()
    /// The MLP's second layer, hidden → out; nil for the other heads.
    public let second: Linear?
    public let inFeatures: Int

    public init(inFeatures: Int, hidden: Int, outFeatures: Int, kind: Kind = .mlp, prefix: String = "projector",
                generator: inout SeededGenerator) {
        self.kind = kind
        self.inFeatures = inFeatures
        switch kind {
        case .mlp:
            first = Linear(name: "\(prefix).0", inFeatures: inFeatures, outFeatures: hidden, generator: &generator)
            second = Linear(name: "\(prefix).2", inFeatures: hidden, outFeatures: outFeatures, generator: &generator)
        case .linear:
            first = Linear(name: "\(prefix).0", inFeatures: inFeatures, outFeatures: outFeatures, generator: &generator)
            second = nil
        case .none:
            first = nil
            second = nil
        }
    }

    /// The MLP's hidden width (0 for the other heads).
    public var hidden: Int { kind == .mlp ? first!.outFeatures : 0 }
    /// The width of z.
    public var outFeatures: Int { second?.outFeatures ?? first?.outFeatures ?? inFeatures }
    public var parameters: [Parameter] { (first?.parameters ?? []) + (second?.parameters ?? []) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// h `[B, inFeatures]` → z `[B, outFeatures]`.
    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        switch kind {
        case .mlp: second!.forward(relu.forward(first!.forward(x, training: training), training: training), training: training)
        case .linear: first!.forward(x, training: training)
        case .none: x
        }
    }

    /// ∂L/∂z `[B, outFeatures]` → ∂L/∂h `[B, inFeatures]`, writing the head's gradients.
    public func backward(_ dy: consuming Tensor) -> Tensor {
        switch kind {
        case .mlp: first!.backward(relu.backward(second!.backward(dy)))
        case .linear: first!.backward(dy)
        case .none: dy
        }
    }
}
