import Core
import NeuralNet

extension SimCLRModel {
    /// What one optimisation step measured.
    public struct StepResult: Sendable {
        public let loss: Float
        /// Fraction of rows whose most similar other row is their positive (the
        /// "contrastive accuracy" SimCLR logs): rises from 1/(2N-1) towards 1 as it learns.
        public let contrastiveAccuracy: Float
    }

    /// One SimCLR step on a batch of two views per image.
    ///
    /// - Parameters:
    ///   - views: `[2N, 3, H, W]`, rows `0..<N` the first view of each image and rows
    ///     `N..<2N` the second, in the same image order (as `NTXent` expects). Both views go
    ///     through the network as one batch, so batch norm sees all 2N images.
    ///   - loss: the NT-Xent loss with its temperature.
    ///   - optimizer: updates every parameter with learning rate `lr`.
    public func trainStep(views: Tensor, loss: NTXent, optimizer: Optimizer, lr: Float) -> StepResult {
        let (_, z) = forward(views, training: true)
        let (value, dz) = loss.lossAndGradient(z)
        backward(dz)
        optimizer.step(parameters, lr: lr)
        return StepResult(loss: value, contrastiveAccuracy: Self.contrastiveAccuracy(z))
    }

    /// Share of rows of z `[2N, D]` whose nearest other row (cosine) is their positive.
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
