import Foundation
import LessonKit
import SimCLR

/// One SimCLR step written out, before the trainer repeats it thousands of times. It runs on
/// a fresh copy of the model (same architecture and seed), so the run that follows is the
/// same with or without it.
enum OneStep {
    static func run(_ report: Report, config: TrainingConfiguration, images: InMemoryDataset) {
        report.step("One SimCLR step, by hand")
        var generator = SeededGenerator(seed: config.seed, stream: [0x0E57])
        let model = SimCLRModel(config.architecture, generator: &generator)
        let ntXent = NTXent(temperature: config.temperature)
        let sgd = SGD(momentum: config.momentum, weightDecay: config.weightDecay)
        let n = config.batchSize, side = config.imageSize

        // 1. Two augmented views of each of N images: rows 0..<N first views, N..<2N second views.
        let batch = config.pipeline(imageSize: side).augmentPairs((0 ..< n).map { images.rgbImage(at: $0) },
                                                                  using: &generator)
        let views = Tensor(shape: [2 * n, 3, side, side], data: batch.firstViews + batch.secondViews)
        // 2. Encoder f gives h, projection head g gives z, for all 2N views at once.
        let (h, z) = model.forward(views, training: true)
        // 3. NT-Xent: each view must pick out its partner among the 2N - 1 others.
        let (lossBefore, dz) = ntXent.lossAndGradient(z)
        // 4. Back through g and f to every weight, then one SGD update.
        model.backward(dz)
        sgd.step(model.parameters, lr: config.peakLearningRate)
        // 5. The same views again: the loss has gone down.
        let lossAfter = ntXent.loss(model.forward(views, training: true).z)

        report.say("""
            Lessons/Lesson4-Training/OneStep.swift does it in five lines: two views of \(n) images, \
            h = f(views) \(h.shape) and z = g(h) \(z.shape), NT-Xent, backward, one SGD update.
            """)
        report.value("NT-Xent of the batch before the step", Double(lossBefore), format: "%.4f")
        report.value("the same views after one SGD step", Double(lossAfter), format: "%.4f")
        report.say("Training is this step, repeated with new images and new views until the loss stops falling.")
    }
}
