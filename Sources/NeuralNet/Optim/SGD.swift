import Core

/// Stochastic gradient descent with momentum and weight decay, PyTorch's exact update:
///
///     g ← ∇ + wd · p;   buf ← g on the first step, else momentum · buf + g;   p ← p - lr · buf
///
/// Weight decay applies to every parameter, as `torch.optim.SGD(model.parameters(), ...)`
/// does in the Food-101 write-up.
public final class SGD: Optimizer {
    public let momentum: Float
    public let weightDecay: Float
    public var steps = 0
    private var buffers = StateBuffers()

    public init(momentum: Float = 0.9, weightDecay: Float = 1e-4) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter], lr: Float) {
        let (m, wd) = (momentum, weightDecay)
        for p in parameters {
            let count = p.value.count
            buffers.update(p.name, count: count) { b, first in
                p.grad.withPointer { g in
                    p.value.withMutablePointer { w in
                        for i in 0 ..< count {
                            let d = g[i] + wd * w[i]
                            b[i] = first ? d : m * b[i] + d
                            w[i] -= lr * b[i]
                        }
                    }
                }
            }
        }
        steps += 1
    }

    public func prepare(_ parameters: [Parameter]) {
        buffers.reserve(for: parameters)
    }

    public var state: [String: Tensor] { buffers.tensors(prefix: "optimizer.momentum.") }

    public func load(state: [String: Tensor], for parameters: [Parameter]) throws {
        try buffers.load(state, prefix: "optimizer.momentum.", for: parameters)
    }
}
