import Foundation
import LessonKit
import SimCLR

/// Saves the classroom model, reloads it, shows a wrong-architecture load failing clearly,
/// and writes a sample batch for `scripts/torch/bridge.py`.
enum Saving {
    static func run(_ report: Report, model: SimCLRModel, images: InMemoryDataset, folder: URL, seed: UInt64) throws {
        let url = folder.appendingPathComponent("lesson2-classroom.safetensors")
        let progress = Checkpoint.Progress(epoch: 0, step: 0, seed: seed, records: [], settings: "lesson2: untrained")
        try Checkpoint.save(model, optimizer: nil, progress: progress, to: url)
        report.say("Saved \(Report.displayPath(url)) (safetensors, torchvision's parameter names).")
        var g = SeededGenerator(seed: seed &+ 1)
        let copy = SimCLRModel(.classroom, generator: &g)
        try Checkpoint.load(url, into: copy)
        let x = ImageBatch.normalized(images, indices: Array(0 ..< min(8, images.count)), normalization: .cifar10)
        let a = model.forward(x, training: false), b = copy.forward(x, training: false)
        // Our own round trip, not a document's claim: recorded as a value the tests read.
        report.text("features after save and load", a.h == b.h && a.z == b.z ? "identical" : "different")
        do {
            try Checkpoint.load(url, into: SimCLRModel(.card, generator: &g))
            report.say("(unexpected: a width-16 checkpoint loaded into a width-64 model)")
        } catch {
            report.say("Loading it into the card's model as we build it (width 64) is refused in one line:")
            report.say("  \(error)")
        }
        let sample = folder.appendingPathComponent("lesson2-bridge-sample.safetensors")
        try SafeTensors.write([("input", x), ("h", a.h), ("z", a.z)], metadata: ["what": "Lesson 2 bridge sample"], to: sample)
        report.say("To check PyTorch computes the same features (optional; see scripts/torch/README.md):")
        report.say("  python scripts/torch/bridge.py \(Report.displayPath(url)) \(Report.displayPath(sample))")
    }
}
