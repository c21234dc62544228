import Core
import Foundation

/// Adam (Kingma & Ba 2015) as `torch.optim.Adam`: L2 weight decay added to the gradient,
/// bias-corrected first and second moments,
///
///     g ← ∇ + wd·w;  m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
///     w ← w - lr · (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε)
public final class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public var steps = 0
    private var first = StateBuffers()
    private var second = StateBuffers()

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter], lr: Float) {
        steps += 1
        let c1 = 1 - Float(pow(Double(beta1), Double(steps)))
        let c2 = 1 - Float(pow(Double(beta2), Double(steps)))
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        for p in parameters {
            let count = p.value.count
            first.update(p.name, count: count) { m, _ in
                second.update(p.name, count: count) { v, _ in
                    p.grad.withPointer { g in
                        p.value.withMutablePointer { w in
                            for i in 0 ..< count {
                                let d = g[i] + wd * w[i]
                                m[i] = b1 * m[i] + (1 - b1) * d
                                v[i] = b2 * v[i] + (1 - b2) * d * d
                                w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }

    public func prepare(_ parameters: [Parameter]) {
        first.reserve(for: parameters)
        second.reserve(for: parameters)
    }

    public var state: [String: Tensor] {
        first.tensors(prefix: "optimizer.exp_avg.").merging(second.tensors(prefix: "optimizer.exp_avg_sq.")) { a, _ in a }
    }

    public func load(state: [String: Tensor], for parameters: [Parameter]) throws {
        // "exp_avg." is not a prefix of "exp_avg_sq." (the dot), so the two sets stay apart.
        try first.load(state, prefix: "optimizer.exp_avg.", for: parameters)
        try second.load(state, prefix: "optimizer.exp_avg_sq.", for: parameters)
    }
}
