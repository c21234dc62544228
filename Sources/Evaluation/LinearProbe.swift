import Core
import Foundation
import NeuralNet

/// The linear evaluation protocol: a multinomial logistic-regression classifier trained on
/// frozen features.
///
/// Features are standardised with the training set's statistics, then
/// `L(W, b) = mean CE(W x + b, y) + (λ/2)‖W‖²` is minimised by full-batch L-BFGS. L-BFGS
/// rather than SGD because the problem is small and convex: it converges to the same
/// optimum every run in a few hundred iterations, with no learning rate or epoch count to
/// tune, so the accuracy measures the features and not the optimiser. λ is chosen on a
/// held-out fifth of the training labels (never the test set), then the classifier is
/// refitted on all of them — as the SimCLR paper tunes its probe's ℓ2 penalty.
public struct LinearProbe: Sendable {
    public let classes: Int
    public let standardizer: Standardizer
    /// `[classes, cols]` weights and `[classes]` biases of the fitted classifier.
    public let weights: [Float]
    public let bias: [Float]
    public let weightDecay: Double
    public let iterations: Int
    public let converged: Bool
    /// Validation accuracy for each λ tried (empty when λ was given).
    public let validation: [(weightDecay: Double, accuracy: Double)]

    /// The λ values tried when none is given.
    public static let weightDecayGrid: [Double] = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]

    /// Fits the probe. - Parameter weightDecay: λ, or nil to choose it on held-out labels.
    public init(training: FeatureSet, classes: Int, weightDecay: Double? = nil, maxIterations: Int = 500) {
        self.classes = classes
        var tried: [(Double, Double)] = []
        var lambda = weightDecay ?? 0
        if weightDecay == nil {
            // Every fifth example of each class is held out: a stratified 80/20 split.
            var seen = [Int](repeating: 0, count: classes)
            var fit: [Int] = [], held: [Int] = []
            for (i, y) in training.labels.enumerated() {
                (seen[y] % 5 == 4 ? { held.append(i) } : { fit.append(i) })()
                seen[y] += 1
            }
            var best = -1.0
            for candidate in LinearProbe.weightDecayGrid {
                let probe = LinearProbe(training: training.subset(fit), classes: classes, weightDecay: candidate,
                                        maxIterations: maxIterations)
                let accuracy = probe.evaluate(training.subset(held)).top1
                tried.append((candidate, accuracy))
                // Ties go to the stronger penalty (the simpler classifier).
                if accuracy >= best { best = accuracy; lambda = candidate }
            }
        }
        let standardizer = Standardizer(fitting: training)
        let x = standardizer.apply(training)
        let cols = training.cols
        let parameterCount = classes * cols + classes
        let result = LBFGS(maxIterations: maxIterations).minimize(from: [Double](repeating: 0, count: parameterCount)) { theta in
            LinearProbeObjective.evaluate(theta, set: x, classes: classes, lambda: lambda)
        }
        self.standardizer = standardizer
        self.weights = result.x[0 ..< classes * cols].map { Float($0) }
        self.bias = result.x[classes * cols ..< parameterCount].map { Float($0) }
        self.weightDecay = lambda
        self.iterations = result.iterations
        self.converged = result.converged
        self.validation = tried
    }


    /// Class scores `[rows, classes]` for raw (unstandardised) features.
    public func logits(_ set: FeatureSet) -> [Float] {
        let x = standardizer.apply(set)
        var out = [Float](repeating: 0, count: set.rows * classes)
        linearForward(batch: set.rows, inFeatures: set.cols, outFeatures: classes, x: x.values, w: weights, b: bias, y: &out)
        return out
    }

    /// Top-1 and top-5 accuracy and the confusion matrix on a labelled set.
    public func evaluate(_ set: FeatureSet) -> ClassificationResult {
        ClassificationResult(scores: logits(set), labels: set.labels, classes: classes)
    }
}

/// The probe's objective, exposed so tests can check its gradient by finite differences.
package enum LinearProbeObjective {
    /// Value and gradient of `mean CE(W x + b, y) + (λ/2)‖W‖²` at `theta` = (W `[classes, cols]`
    /// row-major, then b `[classes]`), on features that are already standardised.
    package static func evaluate(_ theta: [Double], set x: FeatureSet, classes: Int, lambda: Double)
        -> (value: Double, gradient: [Double]) {
        let (n, cols) = (x.rows, x.cols)
        let w = theta[0 ..< classes * cols].map { Float($0) }
        let b = theta[classes * cols ..< theta.count].map { Float($0) }
        var logits = [Float](repeating: 0, count: n * classes)
        linearForward(batch: n, inFeatures: cols, outFeatures: classes, x: x.values, w: w, b: b, y: &logits)
        let (loss, dlogits) = softmaxCrossEntropy(logits: Tensor(shape: [n, classes], data: logits), labels: x.labels)
        var dw = [Float](repeating: 0, count: classes * cols), db = [Float](repeating: 0, count: classes)
        dlogits.withPointer { dy in
            linearBackward(batch: n, inFeatures: cols, outFeatures: classes, x: x.values, w: w, dy: dy, dx: nil,
                           dw: &dw, db: &db)
        }
        var gradient = [Double](repeating: 0, count: theta.count)
        var penalty = 0.0
        for i in 0 ..< classes * cols {
            penalty += theta[i] * theta[i]
            gradient[i] = Double(dw[i]) + lambda * theta[i]
        }
        for c in 0 ..< classes { gradient[classes * cols + c] = Double(db[c]) }
        return (Double(loss) + lambda / 2 * penalty, gradient)
    }

}

/// Accuracy of class scores against labels.
public struct ClassificationResult: Sendable {
    public let top1: Double
    public let top5: Double
    /// `confusion[true * classes + predicted]` counts.
    public let confusion: [Int]
    public let classes: Int
    public let predictions: [Int]

    /// - Parameter scores: `[rows, classes]`, higher is more likely.
    public init(scores: [Float], labels: [Int], classes: Int) {
        let rows = labels.count
        var hits1 = 0, hits5 = 0
        var confusion = [Int](repeating: 0, count: classes * classes)
        var predictions = [Int](repeating: 0, count: rows)
        for r in 0 ..< rows {
            let row = scores[r * classes ..< (r + 1) * classes]
            let ranked = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
                .map { $0 - r * classes }
            predictions[r] = ranked[0]
            if ranked[0] == labels[r] { hits1 += 1 }
            if ranked.prefix(5).contains(labels[r]) { hits5 += 1 }
            confusion[labels[r] * classes + ranked[0]] += 1
        }
        self.top1 = rows > 0 ? Double(hits1) / Double(rows) : 0
        self.top5 = rows > 0 ? Double(hits5) / Double(rows) : 0
        self.confusion = confusion
        self.classes = classes
        self.predictions = predictions
    }
}
