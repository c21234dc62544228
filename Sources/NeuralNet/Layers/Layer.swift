/// A piece of a network with a hand-written forward and backward pass.
///
/// `forward` caches what `backward` needs (llm.c style); `backward` takes the gradient of
/// the loss with respect to the output, writes the gradients of the layer's parameters,
/// and returns the gradient with respect to the input. One backward per forward.
public protocol Layer: AnyObject {
    func forward(_ x: consuming Tensor, training: Bool) -> Tensor
    func backward(_ dy: consuming Tensor) -> Tensor
    /// Trainable tensors, in `state_dict` order.
    var parameters: [Parameter] { get }
    /// Non-trainable state, in `state_dict` order.
    var buffers: [Buffer] { get }
}

extension Layer {
    public var buffers: [Buffer] { [] }
}
