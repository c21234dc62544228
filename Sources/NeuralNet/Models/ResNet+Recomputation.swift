/// What a training forward drops and backward computes again, beyond the block outputs.
extension ResNet {
    /// Which convolutions' outputs a training forward that drops the block outputs
    /// (`recomputesBlockOutputs`) drops too, for backward to compute them again by the same
    /// kernel from an input it has at hand anyway: the same numbers bit for bit, fewer bytes
    /// kept between the passes for a few more multiply-adds.
    ///
    /// A convolution's output is a batch norm's input, which backward needs (for x̂, and for
    /// the next convolution's weight gradient, which reads it normalised). Dropping pays where
    /// the output is large next to the convolution's cost: the stem's (3 input channels) and
    /// the first stage's (every 3x3 layer costs the same multiply-adds, and the first stage's
    /// planes are the largest). The other stages' are always kept, and so are the shortcuts':
    /// their input is a block output that backward has only after rebuilding the blocks before.
    public enum ConvolutionRecomputation: String, Sendable, CaseIterable {
        /// Keep every convolution's output.
        case none
        /// Drop the stem convolution's: the largest tensor the forward keeps (as large as
        /// the first stage's), from a convolution of 3 input channels, computed again for
        /// each of backward's two rebuilds of the stem's output and for the stem's backward
        /// (three times 0.55 ms at 64 classroom images, about 1.3 % of the step).
        case stem
        /// Drop the stem's and the first convolution's of every block of the first stage,
        /// computed again in that block's backward: with the stem's, a third of what the
        /// classroom step keeps, for one more forward pass of those layers (about 4 % of the
        /// step).
        case stemAndFirstStage = "stem-and-first-stage"
    }

    /// What the network drops for a batch of `batch` images of `height x width` when
    /// `recomputedConvolutions` is nil.
    ///
    /// Nothing until the forward would keep more than `recomputationThreshold` bytes of
    /// convolution outputs; past it, the stem's and the first stage's (about 5 % of the
    /// classroom step's time for a third of what it keeps): below it the memory is small
    /// and not worth the time. The ImageNet stem's 7x7 convolution is a real share of the
    /// forward pass, so such a network keeps everything.
    public func recomputation(batch: Int, height: Int, width: Int) -> ConvolutionRecomputation {
        guard config.stem == .cifar else { return .none }
        return keptConvolutionBytes(batch: batch, height: height, width: width) > recomputationThreshold
            ? .stemAndFirstStage : .none
    }

    /// Bytes of convolution outputs (every batch norm's input) a training forward that drops
    /// the block outputs keeps for backward, at `batch` images of `height x width`.
    public func keptConvolutionBytes(batch: Int, height: Int, width: Int) -> Int {
        var (h, w) = firstConv.outputSize(height: height, width: width)
        var floats = firstConv.outChannels * h * w
        if config.stem == .imagenet { (h, w) = ((h + 2 - 3) / 2 + 1, (w + 2 - 3) / 2 + 1) }
        for block in blocks {
            let (inH, inW) = (h, w)
            for conv in block.convs {
                (h, w) = conv.outputSize(height: h, width: w)
                floats += conv.outChannels * h * w
            }
            if let d = block.downsample {
                let (sh, sw) = d.conv.outputSize(height: inH, width: inW)
                floats += d.conv.outChannels * sh * sw
            }
        }
        return 4 * floats * batch
    }
}
