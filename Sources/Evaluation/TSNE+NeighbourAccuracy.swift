extension TSNE {
    /// Leave-one-out k-nearest-neighbour accuracy inside an embedding.
    ///
    /// Each point's label is predicted by a majority vote of its `k` nearest other points,
    /// and the share of correct predictions is returned. In a t-SNE map it measures "the
    /// map clusters by class": 1 when every point sits among its own class.
    ///
    /// A tied vote goes to the tied class whose member is nearest. Neighbours at equal
    /// distance are taken in index order.
    ///
    /// - Parameters:
    ///   - points: `rows x cols` row-major embedding (2 columns for a t-SNE map).
    ///   - labels: `rows` class labels (any integers).
    ///   - k: voters per point, `1 ..< rows`.
    /// - Returns: accuracy in [0, 1].
    /// - Throws: `EmbeddingError` for mismatched shapes or a `k` out of range.
    public static func neighbourAccuracy(points: [Float], rows n: Int, cols: Int, labels: [Int],
                                         k: Int = 5) throws -> Double {
        guard points.count == n * cols, labels.count == n else {
            throw EmbeddingError("neighbour accuracy: \(points.count) values and \(labels.count) labels do not make \(n) points of \(cols) columns with one label each")
        }
        guard k >= 1, k < n else {
            throw EmbeddingError("neighbour accuracy: k = \(k) must be between 1 and \(n - 1) for \(n) points")
        }
        let neighbours = nearestNeighbours(points, rows: n, cols: cols, k: k).indices
        var correct = 0
        var votes: [Int: Int] = [:]
        for i in 0 ..< n {
            votes.removeAll(keepingCapacity: true)
            var most = 0
            for m in 0 ..< k {
                let label = labels[Int(neighbours[i * k + m])]
                let count = (votes[label] ?? 0) + 1
                votes[label] = count
                most = max(most, count)
            }
            // The first class, in order of distance, with the most votes.
            var winner = labels[Int(neighbours[i * k])]
            for m in 0 ..< k where votes[labels[Int(neighbours[i * k + m])]] == most {
                winner = labels[Int(neighbours[i * k + m])]
                break
            }
            if winner == labels[i] { correct += 1 }
        }
        return Double(correct) / Double(n)
    }
}
