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

/// How the benchmark labels the kernels of `ConvKernel` (the library's own table).
extension ConvKernel {
    /// Short label for the conv table.
    var abbreviation: String {
        switch self {
        case .direct: "dir"
        case .folded: "fold"
        case .channelLanes: "lanes"
        case .im2col: "gemm"
        case .winograd: "wino"
        case .winograd4x4: "wino4"
        }
    }

    /// How many images the im2col path unrolls into one GEMM when each of `threads`
    /// cores takes an equal share of `batch` (`imagesPerGEMM` in NeuralNet): enough
    /// for at least 512 columns.
    static func imagesPerGEMM(_ g: ConvGeometry, threads: Int) -> Int {
        let share = (g.batch + threads - 1) / threads
        return max(1, min(share, (512 + g.outPixels - 1) / g.outPixels))
    }
}
