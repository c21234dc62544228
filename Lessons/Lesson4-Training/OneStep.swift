import Foundation
import LessonKit
import SimCLR

/// The training loop's first step, written out and measured, before the trainer repeats it
/// thousands of times. It runs on a second trainer built from the same configuration — the
/// same initial weights, the same first batch, the same views, the same learning rate — so it
/// computes exactly the loop's first step while the run that follows stays untouched.
enum OneStep {
    /// - Returns: the loss of the step before its update (the loop's first logged loss).
    @discardableResult
    static func run(_ report: Report, config: TrainingConfiguration, images: InMemoryDataset) -> Float {
        report.step("One SimCLR step, by hand")
        let copy = Trainer(config: config, images: images, monitor: nil, checkpoint: nil, log: nil)
        let (model, ntXent) = (copy.model, copy.loss)

        // 1. Two augmented views of each of the first batch's N images: rows 0..<N first views, N..<2N second.
        let views = copy.views(of: copy.batch(0, of: copy.imageOrder(epoch: 1)), epoch: 1, step: 0)
        // 2. Encoder f gives h, projection head g gives z, for all 2N views at once.
        let (h, z) = model.forward(views, training: true)
        // 3. NT-Xent: each view must pick out its partner among the 2N - 1 others.
        let (lossBefore, dz) = ntXent.lossAndGradient(z)
        // 4. Back through g and f to every weight, then one optimizer update.
        model.backward(dz)
        copy.optimizer.step(model.parameters, lr: copy.schedule.rate(at: 0))
        // 5. The same views again: the loss has gone down.
        let lossAfter = ntXent.loss(model.forward(views, training: true).z)

        report.say("""
            The trainer's loop (Sources/SimCLR/Trainer.swift, run) repeats this step; here is its first iteration \
            by hand (Lessons/Lesson4-Training/OneStep.swift): two views of \(config.batchSize) images, \
            h = f(views) \(h.shape) and z = g(h) \(z.shape), NT-Xent, backward, one \
            \(config.optimizer.rawValue.uppercased()) update.
            """)
        report.value("NT-Xent of the batch before the step", Double(lossBefore), format: "%.4f")
        report.value("the same views after one update", Double(lossAfter), format: "%.4f")
        report.say("Training is this step, repeated with new images and new views until the loss stops falling.")
        return lossBefore
    }
}
