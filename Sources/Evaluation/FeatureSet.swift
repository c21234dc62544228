import Core

/// A labelled set of feature vectors: `rows x cols` row-major floats and one class per row.
/// What feature extraction produces and what the probe and kNN consume.
public struct FeatureSet: Sendable {
    public let rows: Int
    public let cols: Int
    public var values: [Float]
    public let labels: [Int]

    public init(rows: Int, cols: Int, values: [Float], labels: [Int]) {
        contract(values.count == rows * cols, "FeatureSet: \(values.count) values for \(rows)x\(cols)")
        contract(labels.count == rows, "FeatureSet: \(labels.count) labels for \(rows) rows")
        self.rows = rows
        self.cols = cols
        self.values = values
        self.labels = labels
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> FeatureSet {
        var v = [Float]()
        v.reserveCapacity(indices.count * cols)
        for i in indices { v.append(contentsOf: values[i * cols ..< (i + 1) * cols]) }
        return FeatureSet(rows: indices.count, cols: cols, values: v, labels: indices.map { labels[$0] })
    }

    /// Each row scaled to unit Euclidean length (rows of zeros stay zero).
    public func l2Normalized() -> FeatureSet {
        var v = values
        for r in 0 ..< rows {
            var sq: Float = 0
            for c in 0 ..< cols { sq += v[r * cols + c] * v[r * cols + c] }
            let inv = sq > 0 ? 1 / sq.squareRoot() : 0
            for c in 0 ..< cols { v[r * cols + c] *= inv }
        }
        return FeatureSet(rows: rows, cols: cols, values: v, labels: labels)
    }
}

/// Per-dimension standardisation `(x - mean) / std`, fitted on training features and
/// applied unchanged to test features (so the test set never informs the scaling).
public struct Standardizer: Sendable {
    public let mean: [Float]
    public let scale: [Float]

    public init(fitting set: FeatureSet) {
        var mean = [Double](repeating: 0, count: set.cols), sq = mean
        for r in 0 ..< set.rows {
            for c in 0 ..< set.cols {
                let v = Double(set.values[r * set.cols + c])
                mean[c] += v
                sq[c] += v * v
            }
        }
        let n = Double(max(set.rows, 1))
        self.mean = mean.map { Float($0 / n) }
        // Constant dimensions (std 0) are left centred but unscaled.
        self.scale = zip(mean, sq).map { m, s in
            let variance = max(0, s / n - (m / n) * (m / n))
            return variance > 1e-12 ? Float(1 / variance.squareRoot()) : 1
        }
    }

    public func apply(_ set: FeatureSet) -> FeatureSet {
        var v = set.values
        for r in 0 ..< set.rows {
            for c in 0 ..< set.cols { v[r * set.cols + c] = (v[r * set.cols + c] - mean[c]) * scale[c] }
        }
        return FeatureSet(rows: set.rows, cols: set.cols, values: v, labels: set.labels)
    }
}
