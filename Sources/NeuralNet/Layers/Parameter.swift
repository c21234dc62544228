/// A trainable tensor and its gradient, named as PyTorch's `state_dict` would name it
/// (e.g. `layer1.0.conv1.weight`), so checkpoints load into the same PyTorch model.
public final class Parameter {
    /// What the tensor is for: optimizers treat them differently (LARS and the usual
    /// weight-decay practice exclude batch-norm parameters and biases).
    public enum Role: String, Sendable {
        case weight
        case bias
        case normScale
        case normShift
    }

    public let name: String
    public let role: Role
    public var value: Tensor
    /// Written by the layer's backward pass (overwritten, not accumulated: each parameter
    /// is used once per forward pass).
    public var grad: Tensor

    public init(name: String, role: Role, value: Tensor) {
        self.name = name
        self.role = role
        self.value = value
        self.grad = Tensor(zeros: value.shape)
    }

    /// Biases and batch-norm parameters: excluded from weight decay and LARS adaptation.
    public var isScaleOrShift: Bool { role != .weight }
}

/// A non-trainable tensor kept in the `state_dict` (batch norm's running statistics).
public final class Buffer {
    public let name: String
    public var value: Tensor
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
    }
}
