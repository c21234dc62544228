import Core
import Foundation
import NeuralNet

/// The network SimCLR trains: an encoder f (a ResNet trunk) that maps an image to its
/// representation h, and a projection head g (an MLP) that maps h to z, where the
/// contrastive loss is computed. After training the head is discarded and h is used.
public final class SimCLRModel {
    /// Everything needed to rebuild the same network (stored in checkpoints).
    public struct Architecture: Codable, Equatable, Sendable, CustomStringConvertible {
        public var encoder: ResNetConfig
        public var hidden: Int
        public var projection: Int

        /// The classroom model (the README's classroom run): ResNet-18 with the CIFAR stem at width 16
        /// (h = 128-d), head 128 → 512 → 128.
        public static let classroom = Architecture(encoder: ResNetConfig(depth: .resnet18, width: 16, stem: .cifar),
                                                   hidden: 512, projection: 128)
        /// The card's model: ResNet-18, CIFAR stem, width 64 (h = 512-d), head 512 → 512 → 128.
        public static let card = Architecture(encoder: ResNetConfig(depth: .resnet18, width: 64, stem: .cifar),
                                              hidden: 512, projection: 128)
        /// The write-up's model: ResNet-50 (ImageNet stem, h = 2048-d), head 2048 → 512 → 128.
        public static let writeUp = Architecture(encoder: ResNetConfig(depth: .resnet50, width: 64, stem: .imagenet),
                                                 hidden: 512, projection: 128)

        public init(encoder: ResNetConfig, hidden: Int, projection: Int) {
            self.encoder = encoder
            self.hidden = hidden
            self.projection = projection
        }

        public var description: String {
            "\(encoder) → head \(encoder.featureDimension)→\(hidden)→\(projection)"
        }
    }

    public let architecture: Architecture
    public let encoder: ResNet
    public let head: ProjectionHead

    /// Builds the network with PyTorch's default initialisation drawn from `generator`.
    public init(_ architecture: Architecture, generator: inout SeededGenerator) {
        self.architecture = architecture
        encoder = ResNet(architecture.encoder, generator: &generator)
        head = ProjectionHead(inFeatures: architecture.encoder.featureDimension, hidden: architecture.hidden,
                              outFeatures: architecture.projection, generator: &generator)
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
