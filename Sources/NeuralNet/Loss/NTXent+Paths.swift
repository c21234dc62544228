import Core
import Foundation

extension NTXent {
    /// The loss as explicit loops over rows and columns, following the formula.
    func referenceLossAndGradient(_ z: Tensor) -> (loss: Float, gradient: Tensor) {
        let rows = z.dim(0), n = rows / 2, d = z.dim(1)
        let (zn, norms) = NTXent.normalizeRows(z.data, rows: rows, d: d)
        let tau = Double(temperature)
        var s = [Double](repeating: 0, count: rows * rows)
        for i in 0 ..< rows {
            for j in 0 ..< rows {
                var dotp = 0.0
                for k in 0 ..< d { dotp += Double(zn[i * d + k]) * Double(zn[j * d + k]) }
                s[i * rows + j] = dotp / tau
            }
        }
        // ds[i][j] = ∂L/∂s_ij
        var ds = [Double](repeating: 0, count: rows * rows)
        var total = 0.0
        for i in 0 ..< rows {
            // The softmax runs over every column but the row itself (the mask).
            let candidates = (0 ..< rows).filter { NTXent.role(of: $0, forRow: i, half: n) != .itself }
            var maxLogit = -Double.infinity
            for j in candidates { maxLogit = max(maxLogit, s[i * rows + j]) }
            var sum = 0.0
            for j in candidates { sum += exp(s[i * rows + j] - maxLogit) }
            let logSumExp = maxLogit + log(sum)
            let p = NTXent.positive(of: i, half: n)
            total += logSumExp - s[i * rows + p]
            for j in candidates {
                let softmax = exp(s[i * rows + j] - logSumExp)
                ds[i * rows + j] = (softmax - (NTXent.role(of: j, forRow: i, half: n) == .positive ? 1 : 0)) / Double(rows)
            }
        }
        // s = ẑẑᵀ/τ  ⇒  dẑ_i = Σ_j (ds_ij + ds_ji) ẑ_j / τ
        var dzn = [Float](repeating: 0, count: rows * d)
        for i in 0 ..< rows {
            for k in 0 ..< d {
                var acc = 0.0
                for j in 0 ..< rows { acc += (ds[i * rows + j] + ds[j * rows + i]) * Double(zn[j * d + k]) }
                dzn[i * d + k] = Float(acc / tau)
            }
        }
        let dz = NTXent.normalizeRowsBackward(dzn, normalized: zn, norms: norms, rows: rows, d: d)
        return (Float(total / Double(rows)), Tensor(shape: z.shape, data: dz))
    }

    /// The same computation with the two `[2N x D] x [D x 2N]` products done by the
    /// optimized GEMM and the row softmax vectorised; float accumulation throughout.
    func optimizedLossAndGradient(_ z: Tensor) -> (loss: Float, gradient: Tensor) {
        let rows = z.dim(0), n = rows / 2, d = z.dim(1)
        let (zn, norms) = NTXent.normalizeRows(z.data, rows: rows, d: d)
        let invTau = 1 / temperature
        var s = [Float](repeating: 0, count: rows * rows)
        gemmOptimized(.none, .transposed, m: rows, n: rows, k: d, a: zn, lda: d, b: zn, ldb: d, c: &s, ldc: rows)
        var losses = [Double](repeating: 0, count: rows)
        s.withUnsafeMutableBufferPointer { sp in
            losses.withUnsafeMutableBufferPointer { lp in
                let sBase = sp.baseAddress!
                Parallel.forChunks(rows, minimumChunk: 64) { range in
                    for i in range {
                        let row = sBase + i * rows
                        var maxLogit = -Float.infinity
                        for j in 0 ..< rows {
                            row[j] *= invTau
                            if j != i { maxLogit = max(maxLogit, row[j]) }
                        }
                        let p = NTXent.positive(of: i, half: n)
                        let positiveLogit = row[p]
                        var sum: Float = 0
                        for j in 0 ..< rows where j != i {
                            row[j] = Foundation.exp(row[j] - maxLogit)
                            sum += row[j]
                        }
                        let scale = 1 / (sum * Float(rows))
                        // Row i of ∂L/∂s: softmax minus the one-hot positive, over 2N.
                        for j in 0 ..< rows { row[j] *= scale }
                        row[i] = 0
                        row[p] -= 1 / Float(rows)
                        lp[i] = Double(maxLogit + Foundation.log(sum) - positiveLogit)
                    }
                }
            }
        }
        // dẑ = (ds + dsᵀ) ẑ / τ, as two products: ds·ẑ then dsᵀ·ẑ accumulated.
        var dzn = [Float](repeating: 0, count: rows * d)
        gemmOptimized(.none, .none, m: rows, n: d, k: rows, a: s, lda: rows, b: zn, ldb: d, c: &dzn, ldc: d)
        gemmOptimized(.transposed, .none, m: rows, n: d, k: rows, a: s, lda: rows, b: zn, ldb: d, c: &dzn, ldc: d,
                      accumulate: true)
        for i in dzn.indices { dzn[i] *= invTau }
        let dz = NTXent.normalizeRowsBackward(dzn, normalized: zn, norms: norms, rows: rows, d: d)
        return (Float(losses.reduce(0, +) / Double(rows)), Tensor(shape: z.shape, data: dz))
    }
}
