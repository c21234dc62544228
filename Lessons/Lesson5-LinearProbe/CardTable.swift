import Foundation
import LessonKit
import SimCLR

/// The card's table and the write-up's results, beside ours.
enum CardTable {
    static func run(_ report: Report, rows: [ResultRow], model: SimCLRModel?, setup: PretrainingSetup?,
                    longRunSetup: PretrainingSetup?, quick: Bool) {
        report.step("The card's table beside ours")
        func row(_ name: String) -> ResultRow? { rows.first { $0.name == name } }
        let encoderWidth = model?.architecture.encoder.width ?? SimCLRModel.Architecture.classroom.encoder.width
        if let random = row("random init h") {
            report.check("Random Init, linear probe (card: 5,000 labels)", source: .card, document: 23.4, ours: random.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %",
                         unless: .differentSetup("our random encoder has width \(encoderWidth) (width 64: our inference from the card's h of 512); its score depends "
                                                 + "on width and initialisation", when: encoderWidth != 64))
        }
        if let simclr = row("SimCLR h") {
            report.check("SimCLR, linear probe (card: 5,000 labels)", source: .card, document: 78.6, ours: simclr.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %", unless: setup?.cardException)
        }
        if let long = row(ShippedModel.name), let longRunSetup {
            let differences = longRunSetup.differencesFromCard
            report.check("\(ShippedModel.name), linear probe (card's SimCLR: 5,000 labels)", source: .card, document: 78.6,
                         ours: long.top1 * 100, tolerance: 3, format: "%.1f", unit: " %",
                         unless: longRunSetup.cardException)
            // The random encoder is built with the class's model's architecture: a fair zero for
            // the long run only when that is the long run's too.
            if let random = row("random init h"), encoderWidth == longRunSetup.width {
                report.check("gain of the long run over the random encoder (the card's +55.2%; 78.6 - 23.4 = 55.2, our arithmetic)",
                             source: .card,
                             document: 55.2, ours: (long.top1 - random.top1) * 100, tolerance: 3, format: "%+.1f",
                             unit: " points",
                             unless: .differentSetup("pretrained with " + differences.joined(separator: ", ")
                                                     + "; our random encoder has width \(encoderWidth) (width 64: our inference from the card's h of 512)",
                                                     when: !differences.isEmpty || encoderWidth != 64))
            }
        }
        if let supervised = row("supervised, all labels (shipped)") ?? row("supervised, all labels") ?? row("supervised") {
            let labels = supervised.labels
            let width = supervised.setup?.width ?? encoderWidth
            let how = supervised.setup.map { "for \($0.epochs) epochs (a shipped run)" } ?? "for a few epochs"
            report.check("Supervised (card: 50,000 labels)", source: .card, document: 91.2, ours: supervised.top1 * 100, tolerance: 3,
                         format: "%.1f", unit: " %",
                         unless: .differentSetup("ours trains width \(width) on \(Report.format(Double(labels), "%,.0f")) "
                                                 + "labels \(how)" + (labels < 50_000 ? "; --all-labels uses all 50,000" : "")
                                                 + "; the card gives no setup for this row (width 64 is our assumption)",
                                                 when: labels != 50_000 || width != 64))
        }
        report.explain("the card's '+55.2%'", source: .card, document: "+55.2%", arithmetic: "78.6 - 23.4",
                       result: String(format: "%.1f", 78.6 - 23.4))
        report.say("As we read it, that is 55.2 percentage points (78.6 - 23.4), not percent: relative to 23.4 % it is a 236 % improvement.")
        if let simclr = row("SimCLR h"), let random = row("random init h") {
            let gain = (simclr.top1 - random.top1) * 100
            report.value("our gain over the random encoder", gain, format: "%+.1f", unit: "points")
            if !quick {
                report.say(gain >= 5 ? "SimCLR pretraining, without a single label, beats the random encoder on the same probe."
                                     : "The gain is small: train longer (more epochs) or on the full data to see more.")
            }
        }
        report.say("")
        report.say("The write-up (ResNet-50 on Food-101, 101 classes) reports under Results (as we read it, its linear evaluation's):")
        report.say("  top-1 ≈ 72 %, top-5 ≈ 91 % — what its setup reached; Food-101 is not bundled with these lessons.")
        report.say("On 10 CIFAR classes top-5 is nearly free (chance 50 %), so our top-5 reads high.")
    }
}
