import Core

/// LARS (You et al. 2017) as the SimCLR paper trains with it.
///
/// It is SGD with momentum whose step for each weight tensor is scaled by a trust ratio
/// `η · ‖w‖ / ‖g + wd·w‖`, so every layer moves by a similar fraction of its size whatever
/// its gradient scale. Batch-norm parameters and biases are excluded from both the
/// adaptation and weight decay (SimCLR's `exclude_from_weight_decay` /
/// `exclude_from_layer_adaptation`):
///
///     g ← ∇ + wd·w;  r ← η‖w‖/‖g‖ (1 if either norm is 0);  v ← m·v + lr·r·g;  w ← w - v
public final class LARS: Optimizer {
    public let momentum: Float
    public let weightDecay: Float
    /// SimCLR's `eeta`, the trust coefficient.
    public let trustCoefficient: Float
    public var steps = 0
    private var velocity = StateBuffers()

    public init(momentum: Float = 0.9, weightDecay: Float = 1e-6, trustCoefficient: Float = 0.001) {
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.trustCoefficient = trustCoefficient
    }

    /// The trust ratio for one tensor (exposed for the lesson and tests).
    public func trustRatio(weightNorm: Float, updateNorm: Float) -> Float {
        weightNorm > 0 && updateNorm > 0 ? trustCoefficient * weightNorm / updateNorm : 1
    }

    public func step(_ parameters: [Parameter], lr: Float) {
        for p in parameters {
            let count = p.value.count
            let adapt = !p.isScaleOrShift
            let wd = adapt ? weightDecay : 0
            // Two passes over g + wd·w (norms, then the update) instead of a temporary copy.
            var wSq: Float = 0, uSq: Float = 0
            p.grad.withPointer { g in
                p.value.withPointer { w in
                    for i in 0 ..< count {
                        let u = g[i] + wd * w[i]
                        wSq += w[i] * w[i]
                        uSq += u * u
                    }
                }
            }
            let ratio = adapt ? trustRatio(weightNorm: wSq.squareRoot(), updateNorm: uSq.squareRoot()) : 1
            let scaled = lr * ratio, m = momentum
            velocity.update(p.name, count: count) { v, _ in
                p.grad.withPointer { g in
                    p.value.withMutablePointer { w in
                        for i in 0 ..< count {
                            v[i] = m * v[i] + scaled * (g[i] + wd * w[i])
                            w[i] -= v[i]
                        }
                    }
                }
            }
        }
        steps += 1
    }

    public func prepare(_ parameters: [Parameter]) {
        velocity.reserve(for: parameters)
    }

    public var state: [String: Tensor] { velocity.tensors(prefix: "optimizer.velocity.") }

    public func load(state: [String: Tensor], for parameters: [Parameter]) throws {
        try velocity.load(state, prefix: "optimizer.velocity.", for: parameters)
    }
}
