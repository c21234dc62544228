/// Which ResNet to build. The documents use ResNet-18 on CIFAR-10/STL-10 (the card) and
/// ResNet-50 on Food-101 (the write-up); the classroom default is a narrow ResNet-18.
public struct ResNetConfig: Equatable, Codable, Sendable, CustomStringConvertible {
    public enum Depth: String, Codable, Sendable, CaseIterable {
        case resnet18, resnet34, resnet50

        /// Blocks per stage (He et al. 2016, Table 1).
        public var blocksPerStage: [Int] {
            switch self {
            case .resnet18: [2, 2, 2, 2]
            case .resnet34, .resnet50: [3, 4, 6, 3]
            }
        }
        public var usesBottleneck: Bool { self == .resnet50 }
    }

    /// The first layers.
    ///
    /// `cifar` (3x3 conv, stride 1, no max pool) keeps 32x32 inputs from shrinking to 8x8
    /// before the first block, as SimCLR's CIFAR experiments do; `imagenet` is
    /// torchvision's 7x7 stride-2 conv + 3x3 stride-2 max pool.
    public enum Stem: String, Codable, Sendable, CaseIterable {
        case cifar, imagenet
    }

    public var depth: Depth
    /// Channels of the first stage (64 in the standard network); stages use 1x, 2x, 4x, 8x.
    public var width: Int
    public var stem: Stem

    public init(depth: Depth = .resnet18, width: Int = 64, stem: Stem = .cifar) {
        self.depth = depth
        self.width = width
        self.stem = stem
    }

    /// Length of the pooled feature vector h: 8·width (ResNet-18/34) or 32·width (ResNet-50).
    public var featureDimension: Int { width * 8 * (depth.usesBottleneck ? Bottleneck.expansion : 1) }

    public var description: String {
        "\(depth.rawValue.replacingOccurrences(of: "resnet", with: "ResNet-")) (width \(width), \(stem.rawValue) stem, h = \(featureDimension)-d)"
    }
}
