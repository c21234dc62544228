import Foundation
import SimCLR

/// Teaching material: the two source documents write NT-Xent differently; both are here,
/// verbatim in structure, so Lesson 4 can show they compute the same number as `NTXent`
/// (and the tests that they match PyTorch).
extension NTXent {
    /// The hands-on card's formulation: cosine similarities over τ, the diagonal masked with
    /// -9e15 (so `exp` of it is 0), and `ℓ_i = -log(exp(s_{i,p}) / Σ_j exp(s_ij))` with explicit
    /// exponentials — no log-sum-exp shift, so it overflows for very small τ, which is why the
    /// main implementation does not compute it this way. Shape: `z` `[2N, D]`.
    public func cardFormulation(_ z: Tensor) -> Double {
        let rows = z.dim(0), n = rows / 2
        let sim = NTXent.cosineSimilarities(z)
        var total = 0.0
        for i in 0 ..< rows {
            var denominator = 0.0
            var numerator = 0.0
            for j in 0 ..< rows {
                let logit = i == j ? -9e15 : Double(sim.data[i * rows + j]) / Double(temperature)
                let e = exp(logit)
                denominator += e
                if j == NTXent.positive(of: i, half: n) { numerator = e }
            }
            total += -log(numerator / denominator)
        }
        return total / Double(rows)
    }

    /// The Food-101 write-up's formulation: the 2N x 2N similarity matrix over τ with the
    /// diagonal set to -inf, treated as logits of a 2N-way classification whose label for
    /// row i is its positive, and PyTorch's `cross_entropy` (a stable log-softmax) on top.
    /// Shape: `z` `[2N, D]`.
    public func writeUpFormulation(_ z: Tensor) -> Double {
        let rows = z.dim(0), n = rows / 2
        let sim = NTXent.cosineSimilarities(z)
        var logits = sim.data.map { Double($0) / Double(temperature) }
        for i in 0 ..< rows { logits[i * rows + i] = -.infinity }
        let labels = (0 ..< rows).map { NTXent.positive(of: $0, half: n) }
        return crossEntropyMean(logits: logits, labels: labels, classes: rows)
    }
}
