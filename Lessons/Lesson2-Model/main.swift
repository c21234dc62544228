// Lesson 2 — The model: encoder f(·) and projection head g(·).
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson2: ParsableCommand {
    /// What the lesson teaches.
    static let summary = "SimCLR needs two networks in a row: an encoder f that turns an image into a representation h (a ResNet without its classifier) and a small MLP head g that maps h to z, where the contrastive loss is computed. This lesson builds the documents' encoders and heads, checks their sizes against torchvision and shows what flows through them."

    static let configuration = CommandConfiguration(
        commandName: "Lesson2-Model",
        abstract: summary)

    @OptionGroup var options: LessonOptions

    @Option(help: "Where to save the classroom model and a sample batch for the PyTorch bridge.")
    var checkpoints = "checkpoints"

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson2", title: "Lesson 2 — The model: a ResNet encoder and a projection head",
            summary: Self.summary)
        var generator = SeededGenerator(seed: options.seed)

        report.step("The card's model, as we build it: ResNet-18 on 32x32 images")
        let card = SimCLRModel(.card, generator: &generator)
        report.say("""
            The card: "Input (3×32×32) → ResNet-18 → h (512-dim) → MLP → z (128-dim)". We build it as \
            x → encoder f: ResNet-18 without its classifier → h → head g: Linear-ReLU-Linear (hidden 512, our \
            choice) → z. For 32x32 images we use a 3x3 stem convolution with stride 1 and no max pool (the \
            'CIFAR stem', our choice; the card names none): torchvision's 7x7 stride-2 conv + max pool would \
            shrink the image to 8x8 before the first block.
            """)
        // The sizes are read from what the built model outputs, not from its configuration.
        // (Any input has these shapes; a fixed ramp keeps the lesson's random draws untouched.)
        let probe = Tensor(shape: [1, 3, 32, 32], data: (0 ..< 3 * 32 * 32).map { Float($0 % 17) / 17 - 0.5 })
        let (probeH, probeZ) = card.forward(probe, training: false)
        report.check("h of one 3x32x32 image through the card's model", source: .card, document: "[1, 512]",
                     ours: "\(probeH.shape)")
        report.check("z of one 3x32x32 image through the card's model", source: .card, document: "[1, 128]",
                     ours: "\(probeZ.shape)")
        let facts = ModelFacts.torchvision
        report.check("ResNet-18 trunk parameters, CIFAR stem", source: .torchvision, document: Double(facts.cifarTrunk64),
                     ours: Double(card.encoder.parameterCount), tolerance: 0, format: "%,.0f")
        var g2 = SeededGenerator(seed: options.seed)
        let imagenetStem = ResNet(ResNetConfig(depth: .resnet18, width: 64, stem: .imagenet), generator: &g2)
        report.check("ResNet-18 trunk parameters, ImageNet stem", source: .torchvision, document: Double(facts.imagenetTrunk18),
                     ours: Double(imagenetStem.parameterCount), tolerance: 0, format: "%,.0f")
        report.say("The difference, 7,680, is the stem alone: 64 x 3 x 7 x 7 = 9,408 weights against 64 x 3 x 3 x 3 = 1,728.")
        report.check("projection head 512 → 512 → 128", source: .torchvision, document: Double(facts.head512),
                     ours: Double(card.head.parameterCount), tolerance: 0, format: "%,.0f")
        report.check("forward FLOPs per image, width 64", source: .torchvision, document: Double(facts.flopsW64),
                     ours: Double(2 * card.encoder.multiplyAdds(height: 32, width: 32)), tolerance: 0, format: "%,.0f")

        report.step("The classroom model: the same ResNet-18 at a quarter of the width")
        let classroom = SimCLRModel(.classroom, generator: &generator)
        report.say("""
            Width 16 (stages of 16/32/64/128 channels instead of 64/128/256/512) has 1/16 of the multiply-adds, \
            so a class can train it in minutes on a laptop CPU. Everything else is the card's network as we build it.
            """)
        report.check("trunk parameters, width 16", source: .torchvision, document: Double(facts.cifarTrunk16),
                     ours: Double(classroom.encoder.parameterCount), tolerance: 0, format: "%,.0f")
        report.check("forward FLOPs per image, width 16", source: .torchvision, document: Double(facts.flopsW16),
                     ours: Double(2 * classroom.encoder.multiplyAdds(height: 32, width: 32)), tolerance: 0, format: "%,.0f")
        StageTable.run(report, classroom.encoder, card.encoder)

        report.step("The write-up's model: ResNet-50 on Food-101 at 256 px")
        let writeUp = SimCLRModel(.writeUp, generator: &generator)
        report.check("ResNet-50 trunk parameters", source: .torchvision, document: Double(facts.trunk50),
                     ours: Double(writeUp.encoder.parameterCount), tolerance: 0, format: "%,.0f")
        // The head's widths, read from what its layers output for one 2048-d h.
        let h2048 = Tensor(shape: [1, 2048], data: (0 ..< 2048).map { Float($0 % 17) / 17 - 0.5 })
        report.check("head's hidden layer output for one h (4 x 128)", source: .writeUp, document: "[1, 512]",
                     ours: writeUp.head.first.map { "\($0.forward(h2048, training: false).shape)" } ?? "no hidden layer")
        report.check("head's output z for one h", source: .writeUp, document: "[1, 128]",
                     ours: "\(writeUp.head.forward(h2048, training: false).shape)")
        report.check("projection head 2048 → 512 → 128", source: .torchvision, document: Double(facts.head2048),
                     ours: Double(writeUp.head.parameterCount), tolerance: 0, format: "%,.0f")
        try WriteUpProbe.run(report, writeUp: writeUp, facts: facts, generator: &generator)
        let r50at224 = 2 * writeUp.encoder.multiplyAdds(height: 224, width: 224)
        report.check("FLOPs at 224 px incl. the 2048 → 1000 classifier", source: .torchvision, document: Double(facts.flops50),
                     ours: Double(r50at224 + 2 * 2048 * 1000), tolerance: 0, format: "%,.0f")
        report.value("trunk FLOPs at the write-up's 256 px", Double(2 * writeUp.encoder.multiplyAdds(height: 256, width: 256)) / 1e9,
                     format: "%.2f", unit: "GFLOP per image")

        report.step("One image through the classroom model")
        let source = try LessonData.locate(options, report: report)
        let test = try source.load(.test)
        try FeatureMaps.run(report, model: classroom, images: test, options: options)

        report.step("Speed: the explicit loops against the optimized kernels")
        Speed.run(report, model: classroom, quick: options.quick)

        report.step("Saving the model, and loading it into PyTorch")
        try Saving.run(report, model: classroom, images: test, folder: URL(fileURLWithPath: checkpoints), seed: options.seed)

        report.step("Figures")
        try StageTable.write(report, options: options, models: [("classroom (width 16)", classroom.encoder),
                                                                 ("card, as we build it (width 64)", card.encoder)])
        try report.finish()
    }
}

Lesson2.main()
