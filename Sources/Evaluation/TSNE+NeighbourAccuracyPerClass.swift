/// Which classes a map separates: the leave-one-out k-NN vote of `neighbourAccuracy`, split by
/// the true class of the voting point.
extension TSNE {
    /// The share of each class's points whose `k` nearest other points vote for their class.
    ///
    /// The vote is `TSNE.neighbourAccuracy`'s: majority, a tie going to the tied class whose
    /// member is nearest; so the mean over equally large classes equals its accuracy.
    ///
    /// - Parameters:
    ///   - points: `rows x cols` row-major (a 2-D map, or features).
    ///   - labels: `rows` classes in `0 ..< classes`.
    ///   - k: voters per point, `1 ..< rows`.
    /// - Returns: `classes` accuracies in [0, 1] (0 for a class without points).
    public static func neighbourAccuracyPerClass(points: [Float], rows: Int, cols: Int, labels: [Int], classes: Int,
                                 k: Int) -> [Double] {
        let neighbours = nearestNeighbours(points, rows: rows, cols: cols, k: k).indices
        var correct = [Int](repeating: 0, count: classes), total = correct
        var votes = [Int](repeating: 0, count: classes)
        for i in 0 ..< rows {
            for c in 0 ..< classes { votes[c] = 0 }
            for m in 0 ..< k { votes[labels[Int(neighbours[i * k + m])]] += 1 }
            let most = votes.max() ?? 0
            // Neighbours come nearest first: the first one of a class with the most votes wins.
            var winner = labels[i]
            for m in 0 ..< k where votes[labels[Int(neighbours[i * k + m])]] == most {
                winner = labels[Int(neighbours[i * k + m])]
                break
            }
            total[labels[i]] += 1
            if winner == labels[i] { correct[labels[i]] += 1 }
        }
        return (0 ..< classes).map { total[$0] > 0 ? Double(correct[$0]) / Double(total[$0]) : 0 }
    }
}
