import Foundation
import LessonKit
import SimCLR

/// What the lesson's SimCLR step by hand printed (the step itself is written out in main.swift).
enum OneStep {
    /// - Parameters: `h`, `z`: the step's features and projections; `before`, `after`: NT-Xent of
    ///   the batch before and after its one update.
    static func describe(_ report: Report, h: Tensor, z: Tensor, before: Float, after: Float, config: TrainingConfiguration) {
        report.say("""
            Two views of \(config.batchSize) images, h = f(views) \(h.shape) and z = g(h) \(z.shape), NT-Xent, \
            backward, one \(config.optimizer.rawValue.uppercased()) update: the code above is the first iteration of \
            the trainer's loop.
            """)
        report.value("NT-Xent of the batch before the step", Double(before), format: "%.4f")
        report.value("the same views after one update", Double(after), format: "%.4f")
        report.say("Training is this step, repeated with new images and new views until the loss stops falling.")
    }
}
