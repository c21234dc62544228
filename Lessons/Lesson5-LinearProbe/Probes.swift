import Foundation
import LessonKit
import SimCLR

/// One line of the comparison: a representation, how it was evaluated, and what it scored.
struct ResultRow {
    let name: String
    let labels: Int
    let top1: Double
    let top5: Double
    var knn: Double?
    var confusion: [Int]?
    /// How a network trained here or shipped was set up, for the card's table: its width and epochs.
    var setup: (width: Int, epochs: Int)?
}

/// Linear probes (and kNN) on frozen features: SimCLR's h and z, a random encoder, raw pixels.
enum Probes {
    static func run(_ report: Report, model: SimCLRModel?, longRun: LessonCheckpoint?, labelled: InMemoryDataset, test: InMemoryDataset,
                    architecture: SimCLRModel.Architecture, seed: UInt64) throws -> [ResultRow] {
        report.step("Linear probes on frozen features")
        var rows: [ResultRow] = []
        let classes = labelled.classNames.count
        func evaluate(_ name: String, _ train: FeatureSet, _ testFeatures: FeatureSet, knn: Bool) -> ResultRow {
            let probe = LinearProbe(training: train, classes: classes)
            let result = probe.evaluate(testFeatures)
            var row = ResultRow(name: name, labels: train.rows, top1: result.top1, top5: result.top5,
                                confusion: result.confusion)
            var line = String(format: "%@: top-1 %.1f %%, top-5 %.1f %% (%d-d, λ %.0e, %d L-BFGS iterations)",
                              name, result.top1 * 100, result.top5 * 100, train.cols, probe.weightDecay, probe.iterations)
            if knn {
                row.knn = KNNClassifier(training: train, classes: classes, k: min(200, train.rows)).evaluate(testFeatures).top1
                line += String(format: "; kNN %.1f %%", row.knn! * 100)
            }
            report.say(line)
            report.record("\(name) top-1", result.top1 * 100)
            report.record("\(name) top-5", result.top5 * 100)
            if let k = row.knn { report.record("\(name) kNN", k * 100) }
            return row
        }
        if let model {
            let h = FeatureExtractor.features(model, of: labelled, layer: .encoder, normalization: .cifar10)
            let hTest = FeatureExtractor.features(model, of: test, layer: .encoder, normalization: .cifar10)
            rows.append(evaluate("SimCLR h", h, hTest, knn: true))
            let z = FeatureExtractor.features(model, of: labelled, layer: .projection, normalization: .cifar10)
            let zTest = FeatureExtractor.features(model, of: test, layer: .projection, normalization: .cifar10)
            rows.append(evaluate("SimCLR z", z, zTest, knn: true))
        }
        if let longRun {
            let h = FeatureExtractor.features(longRun.model, of: labelled, layer: .encoder, normalization: .cifar10)
            let hTest = FeatureExtractor.features(longRun.model, of: test, layer: .encoder, normalization: .cifar10)
            var row = evaluate(ShippedModel.name, h, hTest, knn: true)
            row.setup = (longRun.model.architecture.encoder.width, longRun.progress.epoch)
            rows.append(row)
        }
        var g = SeededGenerator(seed: seed, .randomEncoder)
        let random = SimCLRModel(architecture, generator: &g)
        let r = FeatureExtractor.features(random, of: labelled, normalization: .cifar10)
        let rTest = FeatureExtractor.features(random, of: test, normalization: .cifar10)
        rows.append(evaluate("random init h", r, rTest, knn: true))
        rows.append(evaluate("raw pixels", pixels(labelled), pixels(test), knn: false))
        if let simclr = rows.first(where: { $0.name == "SimCLR h" }), let z = rows.first(where: { $0.name == "SimCLR z" }) {
            checkEncoderOutputBeatsHead(report, h: simclr.top1, z: z.top1, testImages: test.count)
        }
        return rows
    }

    /// The write-up's "Always evaluate at the encoder output, not the projection head output",
    /// held against our h and z probes (`EncoderVersusHead` decides what counts as a difference).
    static func checkEncoderOutputBeatsHead(_ report: Report, h: Double, z: Double, testImages n: Int) {
        let finding = EncoderVersusHead(h: h, z: z, testImages: n)
        report.value("probe on h minus probe on z", finding.gap, format: "%+.1f",
                     unit: String(format: "points (noise ±%.1f)", finding.noise))
        report.check("better features: encoder output h or head output z", source: .writeUp, document: "h > z",
                     ours: finding.outcome, unless: finding.exception)
        report.say("""
            The head is trained to discard what the augmentations change (colour, position), which a classifier \
            may still need: that is why SimCLR probes h, and why the write-up evaluates at the encoder output.
            """)
    }

    /// Raw pixels in [0, 1] as 3,072-d features (the probe standardises them).
    static func pixels(_ images: InMemoryDataset) -> FeatureSet {
        let values = images.pixels.map { Float($0) / 255 }
        return FeatureSet(rows: images.count, cols: images.width * images.height * 3, values: values, labels: images.labels)
    }
}
