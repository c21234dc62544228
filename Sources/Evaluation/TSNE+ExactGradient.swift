import Core
import Foundation

extension TSNE {
    /// The gradient of the t-SNE objective (and, if asked, its value) for a 2-D map.
    public struct Objective: Sendable {
        /// `N x 2` row-major `∂C/∂y_i`.
        public let gradient: [Double]
        /// `KL(P ‖ Q)` of the map with the un-exaggerated `P`, when requested.
        public let kl: Double?
    }

    /// The exact gradient, all `N²` pairs, written as loops that follow the formula
    /// (van der Maaten & Hinton 2008, eq. 5, with the Student-t kernel of one degree
    /// of freedom):
    ///
    ///     w_ij = 1 / (1 + ‖y_i − y_j‖²),   Z = Σ_{k≠l} w_kl,   q_ij = w_ij / Z
    ///     ∂C/∂y_i = 4 Σ_j (α p_ij − q_ij) w_ij (y_i − y_j)
    ///
    /// `α` is the early-exaggeration factor (1 outside it). The factor 4 is kept, as in
    /// scikit-learn's `_kl_divergence`; bhtsne's `computeExactGradient` drops it and
    /// folds it into its learning rate, so bhtsne's η = 200 equals η = 50 here.
    ///
    /// - Parameters:
    ///   - p: joint probabilities from `exactProbabilities`.
    ///   - y: `N x 2` row-major map.
    ///   - exaggeration: `α`, multiplies `P` in the attraction.
    ///   - computeKL: also return `KL(P ‖ Q) = Σ_{i≠j} p_ij log(p_ij / q_ij)`.
    public static func exactGradient(_ p: DenseProbabilities, points y: [Double], exaggeration: Double = 1,
                                     computeKL: Bool = false) -> Objective {
        let n = p.count
        contract(y.count == 2 * n, "y must be N x 2")
        var gradient = [Double](repeating: 0, count: 2 * n)
        var kl = 0.0
        y.withUnsafeBufferPointer { y in
            p.values.withUnsafeBufferPointer { pv in
                gradient.withUnsafeMutableBufferPointer { g in
                    // Pass 1: the normalisation Z over ordered pairs (each unordered pair twice).
                    var z = 0.0
                    for i in 0 ..< n {
                        for j in i + 1 ..< n {
                            let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                            z += 2 / (1 + dx * dx + dy * dy)
                        }
                    }
                    // Pass 2: pairwise forces; the pair's force on j is minus its force on i.
                    let inverseZ = 1 / z
                    for i in 0 ..< n {
                        var gx = 0.0, gy = 0.0
                        for j in i + 1 ..< n {
                            let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                            let w = 1 / (1 + dx * dx + dy * dy)
                            let pij = pv[i * n + j]
                            let q = w * inverseZ
                            let mult = 4 * (exaggeration * pij - q) * w
                            gx += mult * dx
                            gy += mult * dy
                            g[2 * j] -= mult * dx
                            g[2 * j + 1] -= mult * dy
                            if computeKL && pij > 0 { kl += 2 * pij * log(pij / q) }
                        }
                        g[2 * i] += gx
                        g[2 * i + 1] += gy
                    }
                }
            }
        }
        return Objective(gradient: gradient, kl: computeKL ? kl : nil)
    }

    /// `KL(P ‖ Q)` of a map over all pairs, for the exact path.
    ///
    /// - Parameters:
    ///   - p: joint probabilities.
    ///   - y: `N x 2` row-major map.
    public static func klDivergence(_ p: DenseProbabilities, points y: [Double]) -> Double {
        exactGradient(p, points: y, computeKL: true).kl ?? 0
    }
}
