import Datasets
import Foundation

extension SupervisedBaseline {
    /// How many epochs the supervised baseline trains, chosen without the test set.
    ///
    /// One network per candidate is trained on four fifths of the labelled images and scored
    /// on the fifth held out (every fifth image of each class, the linear probe's split).
    public struct EpochChoice: Codable, Equatable, Sendable {
        /// Epoch counts tried, in the order tried.
        public var candidates: [Int]
        /// Top-1 on the held-out fifth after each candidate, in [0, 1].
        public var heldOutTop1: [Double]
        /// The candidate with the best held-out accuracy (ties go to fewer epochs).
        public var chosen: Int
    }

    /// The stratified 80/20 split: every fifth image of each class (the 5th, 10th, …) held out.
    /// - Returns: indices into `labelled`, each list in data set order.
    public static func heldOutSplit(_ labelled: InMemoryDataset) -> (fit: [Int], heldOut: [Int]) {
        var seen = [Int](repeating: 0, count: labelled.classNames.count)
        var fit: [Int] = [], heldOut: [Int] = []
        for (i, y) in labelled.labels.enumerated() {
            if seen[y] % 5 == 4 { heldOut.append(i) } else { fit.append(i) }
            seen[y] += 1
        }
        return (fit, heldOut)
    }

    /// Trains `configuration` once per candidate epoch count on four fifths of `labelled`,
    /// scores each on the held-out fifth and picks the best.
    ///
    /// - Parameters:
    ///   - candidates: epoch counts to try (at least one, each at least 1).
    ///   - progress: called after each candidate with its epochs and held-out top-1.
    public static func chooseEpochs(_ labelled: InMemoryDataset, candidates: [Int], configuration: Configuration,
                                    classes: Int, progress: (Int, Double) -> Void = { _, _ in }) -> EpochChoice {
        contract(!candidates.isEmpty && candidates.allSatisfy { $0 >= 1 }, "chooseEpochs: candidates must be positive")
        let (fit, heldOut) = heldOutSplit(labelled)
        contract(!heldOut.isEmpty, "chooseEpochs: \(labelled.count) images leave none to hold out; give at least 5 per class")
        let fitSet = labelled.subset(fit), heldOutSet = labelled.subset(heldOut)
        var scores: [Double] = []
        for epochs in candidates {
            var config = configuration
            config.epochs = epochs
            config.batchSize = min(configuration.batchSize, fitSet.count)
            let baseline = SupervisedBaseline(config: config, classes: classes)
            baseline.train(fitSet)
            let top1 = baseline.evaluate(heldOutSet).top1
            scores.append(top1)
            progress(epochs, top1)
        }
        var best = 0
        for i in scores.indices where scores[i] > scores[best] || (scores[i] == scores[best] && candidates[i] < candidates[best]) {
            best = i
        }
        return EpochChoice(candidates: candidates, heldOutTop1: scores, chosen: candidates[best])
    }
}
