import Foundation
import LessonKit
import SimCLR

/// The write-up's linear evaluation: `nn.Sequential(*list(model.children())[:-1])` as the
/// frozen encoder, and `nn.Linear(2048, 101)` on top.
enum WriteUpProbe {
    static func run(_ report: Report, writeUp: SimCLRModel, facts: ModelFacts.Numbers,
                    generator: inout SeededGenerator) throws {
        let features = writeUp.architecture.encoder.featureDimension
        let probe = Linear(name: "fc", inFeatures: features, outFeatures: 101, generator: &generator)
        report.check("write-up's probe nn.Linear(2048, 101): parameters", source: .torchvision,
                     document: Double(facts.probe2048to101), ours: Double(probe.parameters.map(\.value.count).reduce(0, +)),
                     tolerance: 0, format: "%,.0f")
        // One small image through our ResNet-50 trunk: what the probe receives.
        let image = Tensor(shape: [1, 3, 64, 64], data: (0 ..< 3 * 64 * 64).map { _ in Float(generator.normal()) })
        let h = writeUp.encoder.forward(image, training: false)
        report.text("our ResNet-50 encoder's output for 1 image", "\(h.shape)")
        report.check("what the probe receives has the probe's 2048 inputs", source: .writeUp, document: 2048,
                     ours: Double(h.shape.last ?? 0), tolerance: 0, format: "%.0f")
        report.say("""
            In PyTorch, children()[:-1] drops only the fc layer and keeps AdaptiveAvgPool2d, whose output is \
            [N, 2048, 1, 1]. nn.Linear acts on the last dimension (size 1), so the write-up's code needs a \
            torch.flatten(x, 1) between the two, which it does not show. Our encoder's global average pool \
            returns [N, 2048] directly.
            """)
    }
}
