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
    private var first: [String: [Float]] = [:]
    private var second: [String: [Float]] = [:]

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
        for p in parameters {
            let count = p.value.count
            var m = first[p.name] ?? [Float](repeating: 0, count: count)
            var v = second[p.name] ?? [Float](repeating: 0, count: count)
            p.grad.withPointer { g in
                p.value.withMutablePointer { w in
                    for i in 0 ..< count {
                        let d = g[i] + weightDecay * w[i]
                        m[i] = beta1 * m[i] + (1 - beta1) * d
                        v[i] = beta2 * v[i] + (1 - beta2) * d * d
                        w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
                    }
                }
            }
            first[p.name] = m
            second[p.name] = v
        }
    }

    public var state: [String: Tensor] {
        var s: [String: Tensor] = [:]
        for (k, v) in first { s["optimizer.exp_avg.\(k)"] = Tensor(shape: [v.count], data: v) }
        for (k, v) in second { s["optimizer.exp_avg_sq.\(k)"] = Tensor(shape: [v.count], data: v) }
        return s
    }

    public func load(state: [String: Tensor]) throws {
        first = [:]
        second = [:]
        for (key, t) in state {
            if key.hasPrefix("optimizer.exp_avg_sq.") {
                second[String(key.dropFirst("optimizer.exp_avg_sq.".count))] = t.data
            } else if key.hasPrefix("optimizer.exp_avg.") {
                first[String(key.dropFirst("optimizer.exp_avg.".count))] = t.data
            }
        }
    }
}
