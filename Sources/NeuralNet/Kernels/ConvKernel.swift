import Core

/// The optimized convolution's kernels, and the one place that chooses among them.
///
/// Every optimized pass of a convolution (forward, backward-data, backward-weights) runs one
/// of six kernels. `choose` is the only place the choice is made: `Convolution.…Optimized` call
/// it, the benchmark labels its tables with it, and tests and `Benchmark conv --kernel NAME`
/// force a kernel through `forced` to check and time each variant on its own. The table of
/// which ResNet-18 layer takes which kernel, and why, is in this folder's README.
package enum ConvKernel: String, CaseIterable, Sendable {
    /// `Conv3x3Direct`: 3x3 stride-1 on images 32 (or 16, even height) pixels wide, a row of
    /// pixels in the vector lanes.
    case direct
    /// The same direct kernel on small images (narrower than 16) folded side by side into
    /// 64-wide composites with zero separators.
    case folded
    /// Small images (narrower than 16) and stride-2 3x3 layers with 32 channels in the vector
    /// lanes: the GEMM micro-kernel reading the im2col matrix in place.
    case channelLanes = "channel-lanes"
    /// im2col (or col2im) and the blocked GEMM: any shape.
    case im2col
    /// Winograd F(2x2, 3x3) (`Winograd`, `Winograd+Optimized.swift`): 3x3 stride-1 padding-1
    /// convolutions with 16 multiplies per 2x2 output tile and channel pair instead of 36, as
    /// 16 GEMMs between transformed filters and transformed input tiles, in all three passes.
    /// `choose` takes it for layers with `winogradChannels` or more channels on both sides
    /// whose planes `winograd4x4` does not take.
    case winograd
    /// Winograd F(4x4, 3x3) (`Winograd4x4`): 36 multiplies per 4x4 output tile and channel
    /// pair (F(2x2)'s 64 for the same outputs), on planes whose sides are multiples of 4 and
    /// that hold at most 256 pixels, 16 images at a time in the vector lanes.
    case winograd4x4 = "winograd-4x4"

    /// The three passes of a convolution.
    package enum Pass: String, CaseIterable, Sendable {
        case forward
        case backwardData = "backward-data"
        case backwardWeights = "backward-weights"
    }

    /// A kernel to use wherever it supports the shape, instead of `choose`'s pick (tests and
    /// the benchmark); nil in normal runs. Set it before a pass starts, not during one.
    nonisolated(unsafe) package static var forced: ConvKernel?

    /// The kernel a pass on `g` runs: `forced` if set and able to compute it; Winograd
    /// F(4x4, 3x3) for a 3x3 stride-1 layer on a plane it covers with `winograd4x4Channels` or
    /// more channels on both sides; F(2x2, 3x3) for one with `winogradChannels` or more;
    /// otherwise the first kernel of the preference order channel lanes, direct/folded, im2col
    /// that can. The order is the measured one (see this folder's README): F(4x4) beats the
    /// others on small planes from 32 channels, F(2x2) on larger planes from 64, channel lanes
    /// beat the direct kernel wherever both apply, and both beat im2col.
    package static func choose(_ g: ConvGeometry, _ pass: Pass) -> ConvKernel {
        if let forced, supports(forced, g, pass) { return forced }
        let channels = min(g.inChannels, g.outChannels)
        if supports(.winograd4x4, g, pass) && channels >= winograd4x4Channels { return .winograd4x4 }
        if supports(.winograd, g, pass) && channels >= winogradChannels { return .winograd }
        for kernel in [ConvKernel.channelLanes, .direct, .folded] where supports(kernel, g, pass) { return kernel }
        return .im2col
    }

    /// Channels (on both sides) from which a 3x3 stride-1 layer takes Winograd in every pass:
    /// its transforms cost a pass over the input and output tiles per call, which the 2.25x
    /// fewer multiplies repay only when each transformed tile meets many filters (the
    /// measurements are in this folder's README).
    package static let defaultWinogradChannels = 64

    /// `defaultWinogradChannels`, or another threshold for the benchmark to compare
    /// (`Benchmark step --winograd-from N`); set it before a pass starts, not during one.
    nonisolated(unsafe) package static var winogradChannels = defaultWinogradChannels

    /// Channels (on both sides) from which a 3x3 stride-1 layer on a plane `Winograd4x4` covers
    /// (sides multiples of 4, at most 256 pixels) takes F(4x4, 3x3): from 32, a quarter of the
    /// direct sum's multiplies repays the transforms even on 16x16 planes (layer2); with 16
    /// channels (32x32 planes) the direct kernel stays faster (this folder's README).
    package static let defaultWinograd4x4Channels = 32

    /// `defaultWinograd4x4Channels`, or another threshold for the benchmark to compare
    /// (`Benchmark step --winograd4x4-from N`); set it before a pass starts, not during one.
    nonisolated(unsafe) package static var winograd4x4Channels = defaultWinograd4x4Channels

    /// Multiply-adds of one pass of `g` by this kernel: Winograd's elementwise products where
    /// it runs, the direct sum's `g.multiplyAdds` elsewhere.
    package func multiplyAdds(_ g: ConvGeometry) -> Int {
        switch self {
        case .winograd: Winograd.multiplyAdds(g)
        case .winograd4x4: Winograd4x4.multiplyAdds(g)
        default: g.multiplyAdds
        }
    }

    /// Whether `kernel` computes `pass` of the convolution `g`.
    package static func supports(_ kernel: ConvKernel, _ g: ConvGeometry, _ pass: Pass) -> Bool {
        let threeByThree = g.kernel == 3 && g.padding == 1
        let stride1 = threeByThree && g.stride == 1
        switch kernel {
        case .im2col:
            return true
        case .winograd:
            // All three passes, any channel counts and image sizes.
            return stride1
        case .winograd4x4:
            return Winograd4x4.applies(g)
        case .channelLanes:
            // The channels the pass produces must fill 32-wide lanes.
            switch pass {
            case .forward: return threeByThree && g.outChannels % 32 == 0 && (g.stride == 2 || (g.stride == 1 && g.width < 16))
            case .backwardData: return stride1 && g.width < 16 && g.inChannels % 32 == 0
            case .backwardWeights:
                // The same shapes under either register tile, so that both tiles sum every
                // weight gradient in the same order and a seed trains to the same numbers on
                // every build. (On 32-wide images the narrow channel-lane tile was a few per
                // cent faster on AVX2 than the direct kernel's spilling wide tile, but it sums
                // in another order: scripts/bench/README.md, "Measurement history".)
                return threeByThree && g.outChannels % 32 == 0 && (g.stride == 2 || (g.stride == 1 && g.width <= 16))
            }
        case .direct, .folded:
            guard stride1 && directChannelsFit(g, pass) else { return false }
            let folds = Conv3x3Direct.fold(for: g) != nil
            if kernel == .folded { return folds }
            return !folds && (g.width % 32 == 0 || (g.width == 16 && g.height % 2 == 0))
        }
    }

    /// Whether the kernel applies a preceding batch norm (`ChannelAffine`) as it copies its
    /// input, in the forward and weight-gradient passes: the direct and channel-lane kernels in
    /// their padded copies, Winograd as it splits the rows for the input transform. The others
    /// are given a normalised copy (`Convolution.withNormalizedInput`).
    package var normalizesAsItReads: Bool {
        self == .direct || self == .channelLanes || self == .winograd || self == .winograd4x4
    }

    /// The direct kernel's register tile holds 8 produced channels (2 for the weight gradient).
    private static func directChannelsFit(_ g: ConvGeometry, _ pass: Pass) -> Bool {
        switch pass {
        case .forward: g.outChannels % 8 == 0
        case .backwardData: g.inChannels % 8 == 0
        case .backwardWeights: g.outChannels % 2 == 0
        }
    }
}
