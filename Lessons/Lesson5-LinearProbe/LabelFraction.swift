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

    /// Epochs of the supervised network trained on `perClass` labels per class: `base` at 500,
    /// more for fewer labels (each epoch is shorter), about the square root, at most 150.
    static func epochs(perClass: Int, base: Int) -> Int {
        let epochs = Int((Double(base) * (500 / Double(max(perClass, 1))).squareRoot()).rounded())
        return max(base, min(epochs, 150))
    }

    /// Prints the curve as a table (with the epochs each supervised network trained) and records
    /// its points for the tests.
    static func table(_ report: Report, _ points: [Point], epochs: [Int]) {
        func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
        report.say("""
            Test top-1 for each number of labels per class: linear probes on the frozen features of your model, \
            the long run and the random encoder; the same network trained end to end with those labels, in this \
            run for the epochs shown, and shipped for as many epochs as its held-out labels chose.
            """)
        report.table([.right("labels/class"), .right("SimCLR"), .right("long run"), .right("random"),
                      .right("supervised"), .right("epochs"), .right("shipped supervised")],
                     zip(points, epochs).map { p, e in
                         ["\(p.perClass)", percent(p.simclr), percent(p.longRun), percent(p.random), percent(p.supervised),
                          "\(e)", percent(p.supervisedBest)]
                     })
        for p in points { record(report, p) }
    }

    /// Where the long run's probe stands against the best supervised network with the same
    /// labels, decided by the noise of two accuracies on the same test images; then the card's
    /// and the write-up's claims about labels, held against those same numbers.
    static func compareWithSupervised(_ points: [Point], testImages n: Int, report: Report) {
        let compared = points.compactMap { p in
            p.longRun.flatMap { long in p.supervisedBest.map { (perClass: p.perClass, simclr: long, supervised: $0) } }
        }
        for p in compared {
            let gap = AccuracyGap(expected: p.simclr, other: p.supervised, testImages: n)
            report.record("label fraction \(p.perClass) long run minus shipped supervised", gap.gap)
            let verdict = gap.outcome == .holds ? "ahead of" : gap.outcome == .contradicted ? "behind" : "level with"
            report.say(String(format: "With %d labels per class the long run's probe is %@ the best supervised network "
                              + "(%+.1f points, noise ±%.1f).", p.perClass, verdict, gap.gap, gap.noise))
        }
        guard let fewest = compared.min(by: { $0.perClass < $1.perClass }) else { return }
        // The card's Key Insight, "high performance with only a small amount of labeled data", compares nothing
        // with supervised training; our reading of it is that the long run beats it where labels are fewest.
        let few = AccuracyGap(expected: fewest.simclr, other: fewest.supervised, testImages: n)
        report.check("our reading of the card's Key Insight: SimCLR ahead of supervised training with the fewest labels "
                     + "(\(fewest.perClass) per class, long run)",
                     source: .card, document: "ahead",
                     ours: few.outcome == .holds ? "ahead" : few.outcome == .contradicted ? "behind" : few.outcome.rawValue,
                     unless: MeasuredDifference.exception(few.outcome, reason: String(format:
                         "the long run and the supervised network differ by %+.1f points, inside the ±%.1f noise", few.gap, few.noise)))
        // The write-up's "competitive with supervised baselines trained from scratch".
        let competitive = CompetitiveWithSupervised(compared, testImages: n)
        let worst = competitive.points.min { $0.gap < $1.gap }
        report.check("SimCLR \"competitive with supervised baselines trained from scratch\" (our CIFAR-10 version: every "
                     + "label count, long run)",
                     source: .writeUp, document: "competitive", ours: competitive.outcome)
        if let worst {
            report.say(String(format: """
                "Competitive" measured as: at each number of labels the long run's probe is at most %.0f points (or the \
                noise, if larger) below the supervised network trained from scratch with those labels. Closest call: \
                %d labels per class, %+.1f points.
                """, CompetitiveWithSupervised.tolerance, worst.perClass, worst.gap))
        }
    }

    static func record(_ report: Report, _ p: Point) {
        if let s = p.simclr { report.record("label fraction \(p.perClass) SimCLR", s * 100) }
        if let s = p.longRun { report.record("label fraction \(p.perClass) long run", s * 100) }
        report.record("label fraction \(p.perClass) random", p.random * 100)
        report.record("label fraction \(p.perClass) supervised", p.supervised * 100)
        if let s = p.supervisedBest { report.record("label fraction \(p.perClass) shipped supervised", s * 100) }
    }

    /// The main comparison's results as a point of the label-fraction curve.
    static func knownPoint(_ rows: [ResultRow], perClass: Int) -> LabelFraction.Point? {
        guard let random = rows.first(where: { $0.name == "random init h" }),
              let supervised = rows.first(where: { $0.name == "supervised" }) else { return nil }
        return LabelFraction.Point(perClass: perClass, simclr: rows.first { $0.name == "SimCLR h" }?.top1,
                                   longRun: rows.first { $0.name == ShippedModel.name }?.top1,
                                   random: random.top1, supervised: supervised.top1)
    }
}
