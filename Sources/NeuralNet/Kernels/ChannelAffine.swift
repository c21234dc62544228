import Core

/// A training batch norm's output as a function of its input: `y = max(scale[c] · x + shift[c], 0)`
/// for a value `x` of channel `c` (without the max when `relu` is false), where the norm
/// folded its statistics and parameters into `scale = gamma / sqrt(variance + eps)` and
/// `shift = beta - mean · scale`.
///
/// The fused kernels apply it where they read a tensor anyway, instead of reading a
/// normalised copy that a pass of its own wrote: a convolution's input copy
/// (`Convolution.forwardOptimized(…, normalizing:)`) and a batch norm's ReLU mask
/// (`batchNormBackwardOptimized(…, reluInput:)`). Every application computes a value as one
/// fused multiply-add, `shift.addingProduct(x, scale)`, and then the max, in vector lanes and
/// in scalar tails alike, so the values are bit for bit those of the norm's own normalise
/// pass (`simdAffine`, in Core), wherever they are computed.
///
/// Shapes: `scale`, `shift` `[channels]` of the tensor it applies to.
package struct ChannelAffine {
    package let scale: UnsafePointer<Float>
    package let shift: UnsafePointer<Float>
    package let relu: Bool

    package init(scale: UnsafePointer<Float>, shift: UnsafePointer<Float>, relu: Bool) {
        self.scale = scale
        self.shift = shift
        self.relu = relu
    }

    /// Every plane of a `[batch, channels, plane]` tensor, into `destination` (which may be
    /// `source`), on the cores.
    package func apply(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, batch: Int,
                       channels: Int, plane: Int) {
        Parallel.forChunks(batch * channels, minimumChunk: max(1, parallelThreshold / plane)) { planes in
            for p in planes {
                let c = p % channels
                simdAffine(source + p * plane, destination + p * plane, plane, a: scale[c], b: shift[c], relu: relu)
            }
        }
    }
}

/// The constants of `ChannelAffine` from a batch norm's parameters and batch statistics:
/// `scale[c] = gamma[c] / sqrt(variance[c] + eps)`, `shift[c] = beta[c] - mean[c] · scale[c]`.
/// The normalise passes of `BatchNorm+Optimized.swift` fold theirs here too, so every
/// consumer uses the same two numbers per channel.
///
/// Shapes: all `[channels]`.
@inline(__always)
package func foldBatchNorm(channel c: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                           mean: UnsafePointer<Float>, variance: UnsafePointer<Float>, eps: Float)
    -> (scale: Float, shift: Float) {
    let scale = gamma[c] / (variance[c] + eps).squareRoot()
    return (scale, beta[c] - mean[c] * scale)
}
