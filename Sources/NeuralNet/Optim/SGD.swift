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
    private var buffers: [String: [Float]] = [:]

    public init(momentum: Float = 0.9, weightDecay: Float = 1e-4) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter], lr: Float) {
        for p in parameters {
            let count = p.value.count
            var buf = buffers[p.name] ?? []
            let first = buf.isEmpty
            if first { buf = [Float](repeating: 0, count: count) }
            let (m, wd) = (momentum, weightDecay)
            p.grad.withPointer { g in
                p.value.withMutablePointer { w in
                    buf.withUnsafeMutableBufferPointer { b in
                        for i in 0 ..< count {
                            let d = g[i] + wd * w[i]
                            b[i] = first ? d : m * b[i] + d
                            w[i] -= lr * b[i]
                        }
                    }
                }
            }
            buffers[p.name] = buf
        }
        steps += 1
    }

    public var state: [String: Tensor] {
        buffers.reduce(into: [:]) { $0["optimizer.momentum.\($1.key)"] = Tensor(shape: [$1.value.count], data: $1.value) }
    }

    public func load(state: [String: Tensor]) throws {
        buffers = [:]
        for (key, t) in state where key.hasPrefix("optimizer.momentum.") {
            buffers[String(key.dropFirst("optimizer.momentum.".count))] = t.data
        }
    }
}
