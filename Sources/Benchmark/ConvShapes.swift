import SimCLR

/// One convolution shape of a ResNet-18 with the CIFAR stem on 32x32 images, and how
/// many of the network's layers have it.
struct ConvLayerShape {
    let name: String
    /// Layers of the network with exactly this shape.
    let layers: Int
    let inChannels: Int
    let outChannels: Int
    /// Input height and width.
    let size: Int
    let kernel: Int
    let stride: Int

    var padding: Int { kernel / 2 }

    func geometry(batch: Int) -> ConvGeometry {
        ConvGeometry(batch: batch, inChannels: inChannels, height: size, width: size, outChannels: outChannels,
                     kernel: kernel, stride: stride, padding: padding)
    }

    /// E.g. `32→64 3x3/2 16²` (channels, kernel, stride, input size).
    var label: String {
        "\(inChannels)→\(outChannels) \(kernel)x\(kernel)/\(stride) \(size)²"
    }
}

enum ResNet18Shapes {
    /// The distinct convolutions of ResNet-18 (CIFAR stem, first stage `width` channels)
    /// for `imageSize` x `imageSize` images: the stem, then per stage the stride-1 3x3
    /// convolutions, and for stages 2-4 the strided 3x3 that opens the stage and its 1x1
    /// downsampling shortcut.
    static func convolutions(width: Int, imageSize: Int = 32) -> [ConvLayerShape] {
        var shapes = [ConvLayerShape(name: "stem conv1", layers: 1, inChannels: 3, outChannels: width,
                                     size: imageSize, kernel: 3, stride: 1)]
        var size = imageSize
        for stage in 0 ..< 4 {
            let channels = width << stage
            if stage == 0 {
                shapes.append(ConvLayerShape(name: "layer1 3x3", layers: 4, inChannels: channels,
                                             outChannels: channels, size: size, kernel: 3, stride: 1))
                continue
            }
            let previous = channels / 2
            shapes.append(ConvLayerShape(name: "layer\(stage + 1).0.conv1", layers: 1, inChannels: previous,
                                         outChannels: channels, size: size, kernel: 3, stride: 2))
            shapes.append(ConvLayerShape(name: "layer\(stage + 1).0.downsample", layers: 1, inChannels: previous,
                                         outChannels: channels, size: size, kernel: 1, stride: 2))
            size /= 2
            shapes.append(ConvLayerShape(name: "layer\(stage + 1) 3x3", layers: 3, inChannels: channels,
                                         outChannels: channels, size: size, kernel: 3, stride: 1))
        }
        return shapes
    }

    /// Whether the shapes account for every multiply-add the library's own count gives
    /// for the same network (a guard against this table drifting from `ResNet`).
    static func matchesLibraryCount(width: Int, imageSize: Int = 32) -> Bool {
        var generator = SeededGenerator(seed: 0)
        let net = ResNet(ResNetConfig(depth: .resnet18, width: width, stem: .cifar), generator: &generator)
        let ours = convolutions(width: width, imageSize: imageSize)
            .reduce(0) { $0 + $1.layers * $1.geometry(batch: 1).multiplyAdds }
        return ours == net.multiplyAdds(height: imageSize, width: imageSize)
    }
}

/// Which implementation `conv2d…Optimized` picks for a shape.
///
/// The rules are internal to NeuralNet (`Conv3x3Direct.applies(to:)`, `Conv3x3Direct.fold(for:)`,
/// `Conv3x3Direct.channelLanesApplies(to:)`, `channelLanesForwardApplies(to:)`, `channelLanesBackwardDataApplies(to:)` and the channel conditions in `Conv2D+Optimized.swift`), so they are restated here to
/// label the tables; if the library changes them, these labels must follow.
enum ConvKernelPath: String {
    /// `Conv3x3Direct` on the image as it is (widths that are a multiple of 32, or 16).
    case direct = "direct"
    /// `Conv3x3Direct` on small images folded side by side into 64-wide composites.
    case folded = "folded"
    /// Small images, stride 2, or (weight gradient) 16-wide images, with 32 channels in the
    /// vector lanes (`Conv3x3Direct+ChannelLanes*.swift`).
    case channelLanes = "channel lanes"
    case im2col = "im2col"

    enum Pass { case forward, backwardData, backwardWeights }

    static func of(_ g: ConvGeometry, _ pass: Pass) -> ConvKernelPath {
        let shape = (g.kernel, g.stride, g.padding)
        let small = g.width < 16
        switch pass {
        case .forward:
            if g.outChannels % 32 == 0 && (shape == (3, 1, 1) && small || shape == (3, 2, 1)) { return .channelLanes }
        case .backwardData:
            if g.inChannels % 32 == 0 && shape == (3, 1, 1) && small { return .channelLanes }
        case .backwardWeights:
            if g.outChannels % 32 == 0 && (shape == (3, 1, 1) && g.width <= 16 || shape == (3, 2, 1)) { return .channelLanes }
        }
        guard shape == (3, 1, 1) else { return .im2col }
        let channelsFit: Bool
        switch pass {
        case .forward: channelsFit = g.outChannels % 8 == 0
        case .backwardData: channelsFit = g.inChannels % 8 == 0
        case .backwardWeights: channelsFit = g.outChannels % 2 == 0
        }
        guard channelsFit else { return .im2col }
        if g.width % 32 == 0 || (g.width == 16 && g.height % 2 == 0) { return .direct }
        // Images narrower than 16 fold at least two to a 64-wide composite.
        return small && g.width >= 2 ? .folded : .im2col
    }

    /// Short label for the conv table.
    var abbreviation: String {
        switch self {
        case .direct: "dir"
        case .folded: "fold"
        case .channelLanes: "lanes"
        case .im2col: "gemm"
        }
    }

    /// How many images the im2col path unrolls into one GEMM when each of `threads`
    /// cores takes an equal share of `batch` (`convImagesPerGEMM` in NeuralNet): enough
    /// for at least 512 columns.
    static func imagesPerGEMM(_ g: ConvGeometry, threads: Int) -> Int {
        let share = (g.batch + threads - 1) / threads
        return max(1, min(share, (512 + g.outPixels - 1) / g.outPixels))
    }
}
