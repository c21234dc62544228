/// The source samples that one output sample reads along one axis: a run of
/// consecutive source indices starting at `start`, one weight each.
///
/// Resizing is separable: a 2-D bilinear resize is a 1-D resize along the rows
/// followed by one along the columns, each output sample a weighted sum of a few
/// neighbouring inputs. These are PyTorch's weights for `interpolate(mode: "bilinear",
/// align_corners: False)`, which torchvision's tensor `resize` calls.
public struct ResampleTaps: Equatable, Sendable {
    /// First source index read.
    public let start: Int
    /// Weight of source index `start + k`; they sum to 1 (up to rounding).
    public let weights: [Float]

    /// The taps of output sample `index` when `inputSize` samples are resized to `outputSize`.
    ///
    /// - Parameters:
    ///   - index: output sample, `0 ..< outputSize`.
    ///   - inputSize: source samples along this axis.
    ///   - outputSize: output samples along this axis.
    ///   - antialias: `true` gives PyTorch's `antialias=True` kernel (the triangle filter
    ///     stretched by the shrink factor, as PIL does), `false` plain 2-tap bilinear.
    ///     The two agree when enlarging; when shrinking, plain bilinear skips source
    ///     pixels and aliases.
    public init(index: Int, inputSize: Int, outputSize: Int, antialias: Bool) {
        precondition(inputSize > 0 && outputSize > 0 && (0 ..< outputSize).contains(index),
                     "ResampleTaps: index \(index) of \(outputSize) from \(inputSize)")
        // area_pixel_compute_scale with align_corners=False and no explicit scale factor.
        let scale = Float(inputSize) / Float(outputSize)
        if antialias {
            // _compute_indices_min_size_weights_aa: the triangle filter's support (1 source
            // pixel) grows with the shrink factor; the window is cut at the borders and the
            // weights renormalized, which is what clamps the edges.
            let support: Float = scale >= 1 ? scale : 1
            let inverseScale: Float = scale >= 1 ? 1 / scale : 1
            let center = scale * (Float(index) + 0.5)
            let first = max(Int(center - support + 0.5), 0)   // Int() truncates, as C's cast
            let end = min(Int(center + support + 0.5), inputSize)
            var weights = [Float]()
            var total: Float = 0
            for j in first ..< max(first, end) {
                let w = max(0, 1 - abs((Float(j) - center + 0.5) * inverseScale))
                weights.append(w)
                total += w
            }
            if total != 0 {
                for k in weights.indices { weights[k] /= total }
            }
            self.start = first
            self.weights = weights
        } else {
            // area_pixel_compute_source_index + guard_index_and_lambda.
            let source = max(scale * (Float(index) + 0.5) - 0.5, 0)
            let x0 = min(Int(source.rounded(.down)), inputSize - 1)
            let lambda = min(max(source - Float(x0), 0), 1)
            if x0 < inputSize - 1 {
                self.start = x0
                self.weights = [1 - lambda, lambda]
            } else {
                // Both taps land on the last pixel.
                self.start = x0
                self.weights = [(1 - lambda) + lambda]
            }
        }
    }
}
