import Core
import NeuralNet

extension SimCLRModel {
    /// Share of rows of z `[2N, D]` whose nearest other row (cosine) is their positive: the
    /// "contrastive accuracy" SimCLR logs, rising from 1/(2N-1) towards 1 as it learns.
    public static func contrastiveAccuracy(_ z: Tensor) -> Float {
        let rows = z.dim(0), n = rows / 2
        let s = NTXent.cosineSimilarities(z).data
        var hits = 0
        for i in 0 ..< rows {
            var best = -Float.infinity, arg = -1
            for j in 0 ..< rows where j != i && s[i * rows + j] > best { best = s[i * rows + j]; arg = j }
            if arg == NTXent.positive(of: i, half: n) { hits += 1 }
        }
        return Float(hits) / Float(rows)
    }
}
