import Augmentation
import Core
import Datasets
import Evaluation
import Foundation
import NeuralNet

/// Runs a frozen encoder over a data set: evaluation mode (batch norm uses its running
/// statistics), no augmentation, the same normalisation as in training.
public enum FeatureExtractor {
    /// Which representation to read out.
    public enum Layer: String, Sendable {
        /// h, the encoder's pooled features (what SimCLR evaluates).
        case encoder
        /// z, after the projection head (the write-up: "Always evaluate at the encoder output, not the projection head output").
        case projection
    }

    /// Features of every image of `dataset` (or of `indices`), in batches.
    /// - Parameter progress: called with the number of images done.
    public static func features(_ model: SimCLRModel, of dataset: InMemoryDataset, indices: [Int]? = nil,
                                layer: Layer = .encoder, normalization: Normalization, batchSize: Int = 256,
                                progress: (Int) -> Void = { _ in }) -> FeatureSet {
        let list = indices ?? Array(0 ..< dataset.count)
        let cols = layer == .encoder ? model.architecture.encoder.featureDimension : model.architecture.zDimension
        var values = [Float]()
        values.reserveCapacity(list.count * cols)
        var start = 0
        while start < list.count {
            let chunk = list[start ..< min(start + batchSize, list.count)]
            let x = ImageBatch.normalized(dataset, indices: chunk, normalization: normalization)
            let (h, z) = model.forward(x, training: false)
            values += layer == .encoder ? h.data : z.data
            start += chunk.count
            progress(start)
        }
        return FeatureSet(rows: list.count, cols: cols, values: values, labels: list.map { dataset.labels[$0] })
    }

    /// The same for an encoder alone (e.g. a supervised baseline without a projection head).
    public static func features(_ encoder: ResNet, of dataset: InMemoryDataset, indices: [Int]? = nil,
                                normalization: Normalization, batchSize: Int = 256) -> FeatureSet {
        let list = indices ?? Array(0 ..< dataset.count)
        var values = [Float]()
        var start = 0
        while start < list.count {
            let chunk = list[start ..< min(start + batchSize, list.count)]
            values += encoder.forward(ImageBatch.normalized(dataset, indices: chunk, normalization: normalization),
                                      training: false).data
            start += chunk.count
        }
        return FeatureSet(rows: list.count, cols: encoder.config.featureDimension, values: values,
                          labels: list.map { dataset.labels[$0] })
    }
}
