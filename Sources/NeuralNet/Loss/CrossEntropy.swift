import Core
import Foundation

/// Softmax cross entropy averaged over the batch (PyTorch's `F.cross_entropy`, reduction
/// "mean"), computed with a stable log-sum-exp; -inf logits (masked classes) contribute 0.
///
/// Shapes: `logits` `[batch, classes]`, `labels` `[batch]` with values in `0..<classes`.
public func crossEntropyMean(logits: [Double], labels: [Int], classes: Int) -> Double {
    let batch = labels.count
    var total = 0.0
    for b in 0 ..< batch {
        let row = logits[(b * classes) ..< ((b + 1) * classes)]
        let maxLogit = row.max()!
        let logSumExp = maxLogit + log(row.reduce(0) { $0 + exp($1 - maxLogit) })
        total += logSumExp - row[b * classes + labels[b]]
    }
    return total / Double(batch)
}

/// Softmax cross entropy (mean over the batch) and its gradient with respect to the
/// logits, `(softmax - onehot) / batch`: the linear probe's loss.
///
/// Shapes: `logits` `[batch, classes]` → gradient `[batch, classes]`; `labels` `[batch]`.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (loss: Float, gradient: Tensor) {
    let batch = logits.dim(0), classes = logits.dim(1)
    contract(labels.count == batch, "softmaxCrossEntropy: \(labels.count) labels for \(batch) rows")
    var gradient = logits.data
    var total = 0.0
    for b in 0 ..< batch {
        contract(labels[b] >= 0 && labels[b] < classes, "softmaxCrossEntropy: label \(labels[b]) out of range")
        let base = b * classes
        var maxLogit = -Float.infinity
        for c in 0 ..< classes { maxLogit = max(maxLogit, logits.data[base + c]) }
        var sum: Double = 0
        for c in 0 ..< classes { sum += exp(Double(logits.data[base + c] - maxLogit)) }
        let logSumExp = Double(maxLogit) + log(sum)
        total += logSumExp - Double(logits.data[base + labels[b]])
        for c in 0 ..< classes {
            gradient[base + c] = Float(exp(Double(logits.data[base + c]) - logSumExp) / Double(batch))
        }
        gradient[base + labels[b]] -= 1 / Float(batch)
    }
    return (Float(total / Double(batch)), Tensor(shape: logits.shape, data: gradient))
}
