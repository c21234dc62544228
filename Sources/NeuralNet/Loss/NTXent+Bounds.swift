import Foundation

/// What the loss can be, for a batch of N images (2N views) at temperature τ.
extension NTXent {
    /// Each row's loss ℓ_i (not averaged), in Double: for printing a worked example.
    /// Shape: `z` `[2N, D]` → `[2N]`.
    public func rowLosses(_ z: Tensor) -> [Double] {
        let rows = z.dim(0), n = rows / 2
        let sim = NTXent.cosineSimilarities(z)
        return (0 ..< rows).map { i in
            let logits = (0 ..< rows).filter { $0 != i }.map { Double(sim.data[i * rows + $0]) / Double(temperature) }
            let top = logits.max()!
            let logSumExp = top + log(logits.reduce(0) { $0 + exp($1 - top) })
            return logSumExp - Double(sim.data[i * rows + NTXent.positive(of: i, half: n)]) / Double(temperature)
        }
    }

    /// The loss of a network that has learned nothing.
    ///
    /// When every similarity is equal, each row's softmax is uniform over its 2N - 1
    /// candidates and ℓ = ln(2N - 1) (6.236 for N = 256). A freshly initialised network
    /// starts close to it.
    public static func chanceLoss(batch n: Int) -> Double {
        log(Double(2 * n - 1))
    }

    /// The lowest value the mean NT-Xent can take for N images at temperature τ:
    ///
    ///     L ≥ ln(1 + (2N - 2) · exp(-(1 + 1/(N - 1)) / τ))
    ///
    /// Why: each row's loss is ln(1 + Σ_neg exp((c_ij - c_ip)/τ)) with cosines c ∈ [-1, 1].
    /// By Jensen's inequality (exp and then ln(1 + (2N-2)e^x) are convex) it is at least
    /// ln(1 + (2N-2) exp(m/τ)), where m is the mean over rows of (mean negative cosine -
    /// positive cosine). Positive cosines are at most 1, and since |Σ_i ẑ_i|² ≥ 0 the
    /// cosines of all pairs sum to at least -2N, so the negatives' mean is at least
    /// -1/(N-1): m ≥ -1 - 1/(N-1). Equality needs each pair collapsed to one point and the N
    /// points a regular simplex (possible when the dimension is at least N - 1).
    /// For N = 256 and τ = 0.5 the bound is 4.241: no correct implementation goes below it.
    public static func lowestPossibleLoss(batch n: Int, temperature: Double) -> Double {
        log(1 + Double(2 * n - 2) * exp(-(1 + 1 / Double(n - 1)) / temperature))
    }
}
