import Foundation
import LessonKit
import SimCLR

/// Accuracy as a function of how many labels there are: where self-supervision pays.
enum LabelFraction {
    struct Point {
        let perClass: Int
        var simclr: Double?
        /// The shipped long-run model's probe (nil when it is not evaluated).
        var longRun: Double?
        var random: Double
        var supervised: Double
        /// The shipped supervised network for this many labels (epochs chosen on held-out labels).
        var supervisedBest: Double?
    }

    /// - Parameter known: results already measured (the main comparison's labels per class),
    ///   reused rather than trained again.
    static func run(_ report: Report, model: SimCLRModel?, longRun: SimCLRModel?, train: InMemoryDataset, test: InMemoryDataset,
                    architecture: ResNetConfig, fractions: [Int], supervisedEpochs: Int, seed: UInt64,
                    known: Point?, shipped: [Int: Double]) throws -> [Point] {
        report.step("How many labels? The label-fraction curve")
        report.say("With few labels, the features learned without labels matter most (the card's and the paper's point).")
        let classes = train.classNames.count
        var g = SeededGenerator(seed: seed, stream: [0x2A4D])
        let random = SimCLRModel(model?.architecture ?? .classroom, generator: &g)
        let simclrTest = model.map { FeatureExtractor.features($0, of: test, normalization: .cifar10) }
        let longRunTest = longRun.map { FeatureExtractor.features($0, of: test, normalization: .cifar10) }
        let randomTest = FeatureExtractor.features(random, of: test, normalization: .cifar10)
        var points: [Point] = []
        func percent(_ v: Double?, _ width: Int) -> String {
            let text = v.map { String(format: "%.1f %%", $0 * 100) } ?? "—"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        report.say("labels/class   SimCLR probe   long-run probe   random probe   supervised: this run    shipped")
        for k in fractions {
            if let known, known.perClass == k {
                var known = known
                known.supervisedBest = shipped[k]
                points.append(known)
                report.say(String(format: "%12d   %@   %@   %@   %@   %@ (from the comparison above)", k,
                                  percent(known.simclr, 12), percent(known.longRun, 14), percent(known.random, 12),
                                  percent(known.supervised, 18), percent(shipped[k], 8)))
                record(report, known)
                continue
            }
            let subset = train.firstPerClass(k)
            let simclr = model.map { m in
                LinearProbe(training: FeatureExtractor.features(m, of: subset, normalization: .cifar10), classes: classes)
                    .evaluate(simclrTest!).top1
            }
            let longRunAccuracy = longRun.map { m in
                LinearProbe(training: FeatureExtractor.features(m, of: subset, normalization: .cifar10), classes: classes)
                    .evaluate(longRunTest!).top1
            }
            let randomAccuracy = LinearProbe(training: FeatureExtractor.features(random, of: subset, normalization: .cifar10),
                                             classes: classes).evaluate(randomTest).top1
            // Fewer labels get more epochs (each is a shorter epoch), about the square root.
            let epochs = Int((Double(supervisedEpochs) * (500 / Double(max(k, 1))).squareRoot()).rounded())
            var config = SupervisedBaseline.Configuration(encoder: architecture, epochs: max(supervisedEpochs, min(epochs, 150)))
            config.seed = seed
            config.batchSize = min(128, subset.count)
            let baseline = SupervisedBaseline(config: config, classes: classes)
            baseline.train(subset)
            let supervised = baseline.evaluate(test).top1
            points.append(Point(perClass: k, simclr: simclr, longRun: longRunAccuracy, random: randomAccuracy,
                                supervised: supervised, supervisedBest: shipped[k]))
            report.say(String(format: "%12d   %@   %@   %@   %@   %@ (this run: %d epochs)", k, percent(simclr, 12),
                              percent(longRunAccuracy, 14), percent(randomAccuracy, 12), percent(supervised, 18),
                              percent(shipped[k], 8), config.epochs))
            record(report, points[points.count - 1])
        }
        compareWithSupervised(points, testImages: test.count, report: report)
        return points
    }

    /// Where the long run's probe stands against the best supervised network with the same
    /// labels, decided by the noise of two accuracies on the same test images.
    static func compareWithSupervised(_ points: [Point], testImages n: Int, report: Report) {
        for p in points {
            guard let long = p.longRun, let best = p.supervisedBest else { continue }
            let gap = (long - best) * 100
            let mean = (long + best) / 2
            let noise = 2 * (2 * mean * (1 - mean) / Double(n)).squareRoot() * 100
            report.record("label fraction \(p.perClass) long run minus shipped supervised", gap)
            let verdict = gap > noise ? "ahead of" : gap < -noise ? "behind" : "level with"
            report.say(String(format: "With %d labels per class the long run's probe is %@ the best supervised network "
                              + "(%+.1f points, noise ±%.1f).", p.perClass, verdict, gap, noise))
        }
    }

    static func record(_ report: Report, _ p: Point) {
        if let s = p.simclr { report.record("label fraction \(p.perClass) SimCLR", s * 100) }
        if let s = p.longRun { report.record("label fraction \(p.perClass) long run", s * 100) }
        report.record("label fraction \(p.perClass) random", p.random * 100)
        report.record("label fraction \(p.perClass) supervised", p.supervised * 100)
        if let s = p.supervisedBest { report.record("label fraction \(p.perClass) shipped supervised", s * 100) }
    }
}
