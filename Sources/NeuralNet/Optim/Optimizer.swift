/// Updates parameters from their gradients. State (momentum, Adam's moments) is kept per
/// parameter name, so it can be saved in a checkpoint and restored for an exact resume.
public protocol Optimizer: AnyObject {
    /// Applies one update with learning rate `lr` to every parameter in `parameters`.
    func step(_ parameters: [Parameter], lr: Float)
    /// Named state tensors for a checkpoint (e.g. `optimizer.momentum.layer1.0.conv1.weight`).
    var state: [String: Tensor] { get }
    /// Restores what `state` returned, checked against `parameters` (names and sizes).
    /// - Throws: `OptimizerStateError` when the state does not fit the model.
    func load(state: [String: Tensor], for parameters: [Parameter]) throws
    /// Number of steps taken (Adam's bias correction needs it; saved with the state).
    var steps: Int { get set }
    /// Creates the state of `parameters` now, as zeros that the first step treats as new:
    /// the same updates, with the state allocated before training rather than among the
    /// first step's activations (`StateBuffers.reserve`). Optional; `Trainer` calls it.
    func prepare(_ parameters: [Parameter])
}

/// Which optimizer a run uses (the `--optimizer` flag).
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    case sgd, lars, adam
}

/// An optimizer state tensor whose shape does not match its parameter.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}
