// Lesson 2 — The model: encoder f(·) and projection head g(·).
//
// What it teaches is `summary` below: the one description its --help, its page and its notebook show.
import ArgumentParser
import Foundation
import LessonKit
import SimCLR

struct Lesson2: LessonCommand {
    static let commandName = "Lesson2-Model"
    /// What the lesson teaches.
    static let summary = "SimCLR needs two networks in a row: an encoder f that turns an image into a representation h (a ResNet without its classifier) and a small MLP head g that maps h to z, where the contrastive loss is computed. This lesson builds the documents' encoders and heads, checks their sizes against torchvision and shows what flows through them."

    @OptionGroup var options: LessonOptions

    @Option(help: "Where to save the classroom model and a sample batch for the PyTorch bridge.")
    var checkpoints = "checkpoints"

    func run() throws {
        options.apply()
        let report = options.report(lesson: "lesson2", title: "Lesson 2 — The model: a ResNet encoder and a projection head",
            summary: Self.summary)
        var generator = SeededGenerator(seed: options.seed)

        // SimCLR's networks, in the card's words: "Input (3×32×32) → ResNet-18 → h (512-dim) → MLP → z (128-dim)".
        // We build that as an encoder f, ResNet-18 without its classifier, giving h, and a head g,
        // Linear-ReLU-Linear with a hidden width of 512 (our choice), giving z. For 32x32 images the encoder starts
        // with a 3x3 convolution of stride 1 and no max pool (the "CIFAR stem", our choice; the card names none):
        // torchvision's 7x7 stride-2 stem and max pool would shrink the image to 8x8 before the first block.
        // The sizes below are read from what the built model outputs and holds, then checked against torchvision.
        report.step("The card's model, as we build it: ResNet-18 on 32x32 images")
        let card = SimCLRModel(.card, generator: &generator)
        // Any input has these shapes; a fixed ramp keeps the lesson's random draws untouched.
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

        // The classroom trains the same ResNet-18 at a quarter of the width: stages of 16/32/64/128 channels instead
        // of 64/128/256/512. A convolution's multiply-adds grow with input times output channels, so a quarter of the
        // width costs 1/16 of the work, and a class can train it in minutes on a laptop's CPU.
        report.step("The classroom model: the same ResNet-18 at a quarter of the width")
        let classroom = SimCLRModel(.classroom, generator: &generator)
        report.check("trunk parameters, width 16", source: .torchvision, document: Double(facts.cifarTrunk16),
                     ours: Double(classroom.encoder.parameterCount), tolerance: 0, format: "%,.0f")
        report.check("forward FLOPs per image, width 16", source: .torchvision, document: Double(facts.flopsW16),
                     ours: Double(2 * classroom.encoder.multiplyAdds(height: 32, width: 32)), tolerance: 0, format: "%,.0f")
        StageTable.run(report, classroom.encoder, card.encoder)

        // The write-up's networks: a ResNet-50 trunk (h of 2048) and a head 2048 → 512 → 128 (its hidden width is
        // 4 x 128), and for linear evaluation `nn.Sequential(*list(model.children())[:-1])` with `nn.Linear(2048, 101)`.
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
        // The linear probe, and what it receives: one small image through our ResNet-50 trunk.
        let linearProbe = Linear(name: "fc", inFeatures: writeUp.architecture.encoder.featureDimension, outFeatures: 101,
                                 generator: &generator)
        report.check("write-up's probe nn.Linear(2048, 101): parameters", source: .torchvision,
                     document: Double(facts.probe2048to101),
                     ours: Double(linearProbe.parameters.map(\.value.count).reduce(0, +)), tolerance: 0, format: "%,.0f")
        let small = Tensor(shape: [1, 3, 64, 64], data: (0 ..< 3 * 64 * 64).map { _ in Float(generator.normal()) })
        let trunkOutput = writeUp.encoder.forward(small, training: false)
        report.text("our ResNet-50 encoder's output for 1 image", "\(trunkOutput.shape)")
        report.check("what the probe receives has the probe's 2048 inputs", source: .writeUp, document: 2048,
                     ours: Double(trunkOutput.shape.last ?? 0), tolerance: 0, format: "%.0f")
        report.say("""
            In PyTorch, children()[:-1] drops only the fc layer and keeps AdaptiveAvgPool2d, whose output is \
            [N, 2048, 1, 1]. nn.Linear acts on the last dimension (size 1), so the write-up's code needs a \
            torch.flatten(x, 1) between the two, which it does not show. Our encoder's global average pool \
            returns [N, 2048] directly.
            """)
        let r50at224 = 2 * writeUp.encoder.multiplyAdds(height: 224, width: 224)
        report.check("FLOPs at 224 px incl. the 2048 → 1000 classifier", source: .torchvision, document: Double(facts.flops50),
                     ours: Double(r50at224 + 2 * 2048 * 1000), tolerance: 0, format: "%,.0f")
        report.value("trunk FLOPs at the write-up's 256 px", Double(2 * writeUp.encoder.multiplyAdds(height: 256, width: 256)) / 1e9,
                     format: "%.2f", unit: "GFLOP per image")

        // A real image through the (still untrained) classroom encoder, stage by stage: each stage after the first
        // halves the picture's height and width and doubles its channels, and global average pooling turns the last
        // stage's maps into h. NT-Xent only looks at directions: z is divided by its length before similarities are
        // taken.
        report.step("One image through the classroom model")
        let test = try LessonData.locate(options, report: report).load(.test)
        let cat = test.labels.firstIndex(of: test.classNames.firstIndex(of: "cat") ?? 3) ?? 0
        let x = ImageBatch.normalized(test, indices: [cat], normalization: .cifar10)
        report.say("The first test image of class cat, normalised with the CIFAR-10 mean and std, shape \(x.shape).")
        var maps: [(stage: String, output: Tensor)] = []
        var out = x
        for layer in classroom.encoder.stem { out = layer.forward(out, training: false) }
        maps.append(("stem", out))
        for (i, block) in classroom.encoder.blocks.enumerated() {
            out = block.forward(out, training: false)
            if i % 2 == 1 { maps.append(("layer\(i / 2 + 1)", out)) }      // two basic blocks per stage
        }
        for (stage, t) in maps { report.say("after \(stage): \(t.shape)") }
        let (h, z) = classroom.forward(x, training: false)
        report.say("The classroom model gives h of \(h.dim(1)) and z of \(z.dim(1)) numbers (the card's model: 512 and 128).")
        report.value("‖z‖ before normalisation", Double(z.data.map { $0 * $0 }.reduce(0, +).squareRoot()), format: "%.3f")
        try FeatureMaps.write(report, options: options, maps: maps, original: test.rgbImage(at: cat))

        // Every layer has two implementations with the same signature: plain nested loops a student can read against
        // the formula, and an optimized path (SIMD registers, packed data, both cores). --reference runs the loops;
        // the tests check the two agree. Here both run the classroom encoder forward and backward.
        report.step("Speed: the explicit loops against the optimized kernels")
        let reference = Speed.imagesPerSecond(classroom.encoder, path: .reference, images: options.quick ? 1 : 2)
        _ = Speed.imagesPerSecond(classroom.encoder, path: .optimized, images: options.quick ? 8 : 32)  // warm-up
        let optimized = Speed.imagesPerSecond(classroom.encoder, path: .optimized, images: options.quick ? 16 : 128)
        report.value("reference loops, forward", reference.forward, format: "%.1f", unit: "images/s")
        report.value("reference loops, forward + backward", reference.training, format: "%.2f", unit: "images/s")
        report.value("optimized, forward", optimized.forward, format: "%.0f", unit: "images/s")
        report.value("optimized, forward + backward", optimized.training, format: "%.0f", unit: "images/s")
        report.value("speed-up, forward + backward", optimized.training / reference.training, format: "%.0f", unit: "x")

        // A model is its parameters: saved as safetensors under torchvision's names, loaded into a fresh model of the
        // same architecture, it computes the same features; loaded into another architecture it is refused. A sample
        // batch lets PyTorch check that it computes the same h and z from the same weights.
        report.step("Saving the model, and loading it into PyTorch")
        let folder = URL(fileURLWithPath: checkpoints)
        let saved = folder.appendingPathComponent("lesson2-classroom.safetensors")
        let untrained = Checkpoint.Progress(epoch: 0, step: 0, seed: options.seed, records: [], settings: "lesson2: untrained")
        try Checkpoint.save(classroom, optimizer: nil, progress: untrained, to: saved)
        report.say("Saved \(Report.displayPath(saved)) (safetensors, torchvision's parameter names).")
        var g3 = SeededGenerator(seed: options.seed &+ 1)
        let reloaded = SimCLRModel(.classroom, generator: &g3)
        try Checkpoint.load(saved, into: reloaded)
        let batch = ImageBatch.normalized(test, indices: Array(0 ..< min(8, test.count)), normalization: .cifar10)
        let a = classroom.forward(batch, training: false), b = reloaded.forward(batch, training: false)
        report.text("features after save and load", a.h == b.h && a.z == b.z ? "identical" : "different")
        try Saving.showRefusal(report, of: saved, using: &g3)
        let sample = folder.appendingPathComponent("lesson2-bridge-sample.safetensors")
        try SafeTensors.write([("input", batch), ("h", a.h), ("z", a.z)], metadata: ["what": "Lesson 2 bridge sample"], to: sample)
        report.say("To check PyTorch computes the same features (optional; see scripts/torch/README.md):")
        report.say("  python scripts/torch/bridge.py \(Report.displayPath(saved)) \(Report.displayPath(sample))")

        // Where the parameters and the work are, stage by stage, at both widths.
        report.step("Figures")
        try StageTable.write(report, options: options, models: [("classroom (width 16)", classroom.encoder),
                                                                 ("card, as we build it (width 64)", card.encoder)])
        try report.finish()
    }
}

Lesson2.main()
