import Core

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
        contract(inputSize > 0 && outputSize > 0 && (0 ..< outputSize).contains(index),
                 "ResampleTaps: index \(index) of \(outputSize) from \(inputSize)")
        let window = Resample.window(index: index, inputSize: inputSize, outputSize: outputSize, antialias: antialias)
        var weights = [Float](repeating: 0, count: window.count)
        weights.withUnsafeMutableBufferPointer {
            Resample.weights(index: index, inputSize: inputSize, outputSize: outputSize, antialias: antialias,
                             window: window, into: $0.baseAddress!)
        }
        self.start = window.start
        self.weights = weights
    }
}

/// PyTorch's resampling formulas, shared by `ResampleTaps` (reference) and
/// `ResampleTable` (optimized) so that both paths use the very same weights.
enum Resample {
    /// area_pixel_compute_scale with align_corners=False and no explicit scale factor.
    @inline(__always)
    static func scale(_ inputSize: Int, _ outputSize: Int) -> Float { Float(inputSize) / Float(outputSize) }

    /// The run of source samples output `index` reads.
    static func window(index: Int, inputSize: Int, outputSize: Int, antialias: Bool) -> (start: Int, count: Int) {
        let scale = scale(inputSize, outputSize)
        if antialias {
            // _compute_indices_min_size_weights_aa: the triangle filter's support (1 source
            // pixel) grows with the shrink factor; the window is cut at the borders.
            let support: Float = scale >= 1 ? scale : 1
            let center = scale * (Float(index) + 0.5)
            let first = max(Int(center - support + 0.5), 0)   // Int() truncates, as C's cast
            let end = min(Int(center + support + 0.5), inputSize)
            return (first, max(end - first, 0))
        }
        // area_pixel_compute_source_index + guard_index_and_lambda; at the last pixel
        // both taps land on it, which is one tap here.
        let x0 = bilinearSource(index: index, scale: scale, inputSize: inputSize).x0
        return (x0, x0 < inputSize - 1 ? 2 : 1)
    }

    /// Writes the `window.count` weights of output `index` to `out`.
    static func weights(index: Int, inputSize: Int, outputSize: Int, antialias: Bool,
                        window: (start: Int, count: Int), into out: UnsafeMutablePointer<Float>) {
        let scale = scale(inputSize, outputSize)
        if antialias {
            let inverseScale: Float = scale >= 1 ? 1 / scale : 1
            let center = scale * (Float(index) + 0.5)
            var total: Float = 0
            for k in 0 ..< window.count {
                let w = max(0, 1 - abs((Float(window.start + k) - center + 0.5) * inverseScale))
                out[k] = w
                total += w
            }
            // Renormalizing is what clamps the edges.
            if total != 0 {
                for k in 0 ..< window.count { out[k] /= total }
            }
            return
        }
        let lambda = bilinearSource(index: index, scale: scale, inputSize: inputSize).lambda
        if window.count == 2 {
            out[0] = 1 - lambda
            out[1] = lambda
        } else {
            out[0] = (1 - lambda) + lambda
        }
    }

    @inline(__always)
    static func bilinearSource(index: Int, scale: Float, inputSize: Int) -> (x0: Int, lambda: Float) {
        let source = max(scale * (Float(index) + 0.5) - 0.5, 0)
        let x0 = min(Int(source.rounded(.down)), inputSize - 1)
        return (x0, min(max(source - Float(x0), 0), 1))
    }
}
