import Core
import Foundation
import NeuralNet

/// The network SimCLR trains: an encoder f and a projection head g.
///
/// The encoder (a ResNet trunk) maps an image to its representation h, and the projection
/// head (an MLP) maps h to z, where the contrastive loss is computed. After training the
/// head is discarded and h is used.
public final class SimCLRModel {
    /// Everything needed to rebuild the same network (stored in checkpoints).
    public struct Architecture: Codable, Equatable, Sendable, CustomStringConvertible {
        public var encoder: ResNetConfig
        public var hidden: Int
        public var projection: Int
        /// SimCLR's MLP head, or one of the heads the paper compares it with (Lesson 4's
        /// projection-head step trains all three).
        public var head: ProjectionHead.Kind = .mlp

        /// The classroom model, which Lesson 4's `--preset classroom` (its default) trains:
        /// ResNet-18 with the CIFAR stem at width 16 (h = 128-d), head 128 → 512 → 128.
        public static let classroom = Architecture(encoder: ResNetConfig(depth: .resnet18, width: 16, stem: .cifar),
                                                   hidden: 512, projection: 128)
        /// The card's model as we build it: ResNet-18 at width 64 (the card's h of 512), with the CIFAR
        /// stem (our choice for 32 px) and head 512 → 512 (our hidden width) → 128 (the card's z).
        public static let card = Architecture(encoder: ResNetConfig(depth: .resnet18, width: 64, stem: .cifar),
                                              hidden: 512, projection: 128)
        /// The write-up's model: ResNet-50 (ImageNet stem, h = 2048-d), head 2048 → 512 → 128.
        public static let writeUp = Architecture(encoder: ResNetConfig(depth: .resnet50, width: 64, stem: .imagenet),
                                                 hidden: 512, projection: 128)

        public init(encoder: ResNetConfig, hidden: Int, projection: Int, head: ProjectionHead.Kind = .mlp) {
            self.encoder = encoder
            self.hidden = hidden
            self.projection = projection
            self.head = head
        }

        public var description: String {
            switch head {
            case .mlp: "\(encoder) → head \(encoder.featureDimension)→\(hidden)→\(projection)"
            case .linear: "\(encoder) → linear head \(encoder.featureDimension)→\(projection)"
            case .none: "\(encoder), no head (the loss on h)"
            }
        }

        /// The width of z: the head's output, or h's without a head.
        public var zDimension: Int { head == .none ? encoder.featureDimension : projection }
    }

    public let architecture: Architecture
    public let encoder: ResNet
    public let head: ProjectionHead

    /// Builds the network with PyTorch's default initialisation drawn from `generator`.
    public init(_ architecture: Architecture, generator: inout SeededGenerator) {
        self.architecture = architecture
        encoder = ResNet(architecture.encoder, generator: &generator)
        head = ProjectionHead(inFeatures: architecture.encoder.featureDimension, hidden: architecture.hidden,
                              outFeatures: architecture.projection, kind: architecture.head, generator: &generator)
    }

    /// Images `[B, 3, H, W]` → (h `[B, featureDimension]`, z `[B, projection]`).
    public func forward(_ images: Tensor, training: Bool) -> (h: Tensor, z: Tensor) {
        let h = encoder.forward(images, training: training)
        return (h, head.forward(h, training: training))
    }

    /// Back-propagates ∂L/∂z through the head and the encoder, writing every gradient.
    public func backward(_ dz: Tensor) {
        _ = encoder.backward(head.backward(dz))
    }

    public var parameters: [Parameter] { encoder.parameters + head.parameters }
    public var buffers: [Buffer] { encoder.buffers }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// The head is written only when it is not SimCLR's MLP, so every checkpoint and settings digest
/// written before heads could be chosen reads (and compares) exactly as before.
extension SimCLRModel.Architecture {
    private enum CodingKeys: String, CodingKey { case encoder, hidden, projection, head }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(encoder: try c.decode(ResNetConfig.self, forKey: .encoder), hidden: try c.decode(Int.self, forKey: .hidden),
                  projection: try c.decode(Int.self, forKey: .projection),
                  head: try c.decodeIfPresent(ProjectionHead.Kind.self, forKey: .head) ?? .mlp)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.encoder, forKey: .encoder)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(projection, forKey: .projection)
        if head != .mlp { try c.encode(head, forKey: .head) }
    }
}
