/// Shapes and costs of a ResNet, computed from its layers without running it.
extension ResNet {
    /// One row of the architecture table a lesson prints.
    public struct Stage: Sendable {
        public let name: String
        public let outputShape: [Int]   // [channels, height, width] or [features]
        public let parameters: Int
        public let multiplyAdds: Int
    }

    /// The stem, each of the four stages, and the pooling, for one `height x width` image.
    public func stages(height: Int, width: Int) -> [Stage] {
        var (h, w) = (height, width)
        var rows: [Stage] = []
        let stemConv = firstConv
        var macs = stemConv.multiplyAdds(height: h, width: w)
        (h, w) = stemConv.outputSize(height: h, width: w)
        if config.stem == .imagenet { (h, w) = ((h + 2 - 3) / 2 + 1, (w + 2 - 3) / 2 + 1) }
        rows.append(Stage(name: config.stem == .cifar ? "stem (3x3 conv)" : "stem (7x7 conv, max pool)",
                          outputShape: [config.width, h, w],
                          parameters: stem.flatMap(\.parameters).reduce(0) { $0 + $1.value.count }, multiplyAdds: macs))
        let perStage = config.depth.blocksPerStage
        var index = 0
        for (s, count) in perStage.enumerated() {
            var params = 0
            macs = 0
            var channels = 0
            for block in blocks[index ..< index + count] {
                let (inH, inW) = (h, w)
                for conv in block.convs {
                    macs += conv.multiplyAdds(height: h, width: w)
                    (h, w) = conv.outputSize(height: h, width: w)
                    channels = conv.outChannels
                }
                if let d = block.downsample { macs += d.conv.multiplyAdds(height: inH, width: inW) }
                params += block.parameters.reduce(0) { $0 + $1.value.count }
            }
            index += count
            rows.append(Stage(name: "layer\(s + 1) (\(count) blocks)", outputShape: [channels, h, w],
                              parameters: params, multiplyAdds: macs))
        }
        rows.append(Stage(name: "global average pool → h", outputShape: [config.featureDimension], parameters: 0,
                          multiplyAdds: 0))
        return rows
    }

    /// Forward multiply-adds of one image (convolutions; batch norm, ReLU and pooling are
    /// a rounding error and, as in the usual FLOP counts, not included).
    public func multiplyAdds(height: Int, width: Int) -> Int {
        stages(height: height, width: width).reduce(0) { $0 + $1.multiplyAdds }
    }
}
