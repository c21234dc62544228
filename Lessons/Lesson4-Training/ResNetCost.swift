import SimCLR

/// The encoder cost of the card's model as we build it (width 64), computed from the model
/// rather than typed in.
enum ResNetCost {
    static let cardMultiplyAdds: Int = {
        var g = SeededGenerator(seed: 0)
        return ResNet(ResNetConfig(depth: .resnet18, width: 64, stem: .cifar), generator: &g).multiplyAdds(height: 32, width: 32)
    }()
}
