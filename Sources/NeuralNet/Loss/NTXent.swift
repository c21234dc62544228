import Core
import Foundation

/// The NT-Xent loss of SimCLR (normalized temperature-scaled cross entropy).
///
/// Input: projections z `[2N, D]`, rows `0..<N` the first view of each image and rows
/// `N..<2N` the second, so the positive of row i is row `(i + N) mod 2N` and the other
/// 2N - 2 rows are its negatives. With `ẑ = z / ‖z‖` and `s_ij = ẑ_i · ẑ_j / τ`:
///
///     ℓ_i = -s_{i,p(i)} + log Σ_{j ≠ i} exp(s_ij),      L = (1 / 2N) Σ_i ℓ_i
///
/// The log-sum-exp is computed stably (subtracting the row maximum), and the gradient is
/// written by hand: `∂L/∂s_ij = (softmax_i(j) - [j = p(i)]) / 2N` for `j ≠ i`, which flows
/// back through the symmetric product and the normalisation.
public struct NTXent: Sendable {
    public let temperature: Float

    public init(temperature: Float) {
        contract(temperature > 0, "NTXent: the temperature must be positive")
        self.temperature = temperature
    }

    /// Loss and gradient with respect to `z`. Shapes: `z` `[2N, D]` → gradient `[2N, D]`.
    /// Dispatches on `ComputePath.current`.
    public func lossAndGradient(_ z: Tensor) -> (loss: Float, gradient: Tensor) {
        contract(z.rank == 2 && z.dim(0) % 2 == 0 && z.dim(0) >= 4,
                 "NTXent: expected [2N, D] with N ≥ 2, got \(z.shape)")
        switch ComputePath.current {
        case .reference: return referenceLossAndGradient(z)
        case .optimized: return optimizedLossAndGradient(z)
        }
    }

    /// The loss alone.
    public func loss(_ z: Tensor) -> Float { lossAndGradient(z).loss }

    /// Cosine similarities `ẑ_i · ẑ_j` of all pairs (before the temperature), `[2N, 2N]`:
    /// what the lessons print and plot.
    public static func cosineSimilarities(_ z: Tensor) -> Tensor {
        let (rows, d) = (z.dim(0), z.dim(1))
        let (zn, _) = normalizeRows(z.data, rows: rows, d: d)
        var s = [Float](repeating: 0, count: rows * rows)
        gemm(.none, .transposed, m: rows, n: rows, k: d, a: zn, lda: d, b: zn, ldb: d, c: &s, ldc: rows)
        return Tensor(shape: [rows, rows], data: s)
    }

    /// Row i's positive partner.
    @inline(__always)
    public static func positive(of i: Int, half n: Int) -> Int { i < n ? i + n : i - n }

    /// What column j of the similarity matrix is to row i: the row itself (masked out of the
    /// softmax), its positive, or one of its negatives. The reference loss reads its mask here.
    public enum PairRole: Sendable, Equatable { case itself, positive, negative }

    /// The role of column `j` for row `i` when the batch has `n` images (`2n` views).
    @inline(__always)
    public static func role(of j: Int, forRow i: Int, half n: Int) -> PairRole {
        j == i ? .itself : (j == positive(of: i, half: n) ? .positive : .negative)
    }

    /// Negatives each view is contrasted with at a batch of `images` images: the columns of
    /// one row of the loss's mask that are neither the row itself nor its positive.
    public static func negativesPerView(images: Int) -> Int {
        (0 ..< 2 * images).filter { role(of: $0, forRow: 0, half: images) == .negative }.count
    }

    /// The logits of the loss, `sim(z_i, z_j) / τ` for all pairs, `[2N, 2N]` (diagonal included).
    public func scaledSimilarities(_ z: Tensor) -> Tensor {
        let s = NTXent.cosineSimilarities(z)
        return Tensor(shape: s.shape, data: s.data.map { $0 / temperature })
    }

    /// `ẑ = z / max(‖z‖, 1e-12)` row by row (PyTorch's `F.normalize`), and the norms.
    static func normalizeRows(_ z: [Float], rows: Int, d: Int) -> (normalized: [Float], norms: [Float]) {
        var out = z
        var norms = [Float](repeating: 0, count: rows)
        for i in 0 ..< rows {
            var sq: Float = 0
            for k in 0 ..< d { sq += z[i * d + k] * z[i * d + k] }
            let norm = max(sq.squareRoot(), 1e-12)
            norms[i] = norm
            for k in 0 ..< d { out[i * d + k] = z[i * d + k] / norm }
        }
        return (out, norms)
    }

    /// Back through the normalisation: `dz_i = (dẑ_i - ẑ_i (ẑ_i · dẑ_i)) / ‖z_i‖`.
    static func normalizeRowsBackward(_ dzn: [Float], normalized zn: [Float], norms: [Float], rows: Int, d: Int) -> [Float] {
        var dz = dzn
        for i in 0 ..< rows {
            var dotp: Float = 0
            for k in 0 ..< d { dotp += zn[i * d + k] * dzn[i * d + k] }
            for k in 0 ..< d { dz[i * d + k] = (dzn[i * d + k] - zn[i * d + k] * dotp) / norms[i] }
        }
        return dz
    }
}
