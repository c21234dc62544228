import Core

/// `max(x, 0)`, computed in place on the incoming tensor's storage when it is not shared
/// (the usual case: the previous layer's fresh output), which saves one activation-sized
/// allocation per use.
public final class ReLU: Layer {
    private var output: Tensor?
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: consuming Tensor, training: Bool) -> Tensor {
        let n = x.count
        x.withMutablePointer { p in reluForward(p, p, count: n) }
        output = training ? x : nil
        return x
    }

    public func backward(_ dy: consuming Tensor) -> Tensor {
        guard let y = output else { contractFailure("ReLU.backward before a training forward") }
        output = nil
        let n = dy.count
        y.withPointer { py in dy.withMutablePointer { p in reluBackward(py, p, p, count: n) } }
        return dy
    }
}
