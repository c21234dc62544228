import Foundation
import LessonKit
import SimCLR

/// Loading the SimCLR encoder, or saying how to make one.
enum Encoders {
    static func simclr(at path: String, report: Report, quick: Bool) throws -> SimCLRModel? {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            report.say("No checkpoint at \(path). Make one with:  swift run Lesson4-Training\(quick ? " --quick" : "")")
            report.say("(about ten minutes; or --quick for a seconds-long one). This run shows the baselines only.")
            return nil
        }
        let (architecture, progress) = try Checkpoint.inspect(url)
        var g = SeededGenerator(seed: 0)
        let model = SimCLRModel(architecture, generator: &g)
        try Checkpoint.load(url, into: model)
        report.text("checkpoint", "\(path): \(architecture), \(progress.epoch) epochs, \(progress.step) steps")
        // Where it came from: Lesson 4, or another trainer such as scripts/torch/train_simclr.py.
        for line in (try? Checkpoint.origin(url))?.lines ?? [] { report.text(line.name, line.value) }
        if let last = progress.records.last {
            report.say(String(format: "Its last epoch: NT-Xent %.3f, kNN monitor %.1f %%.", last.meanLoss, (last.knnTop1 ?? 0) * 100))
        }
        return model
    }
}
