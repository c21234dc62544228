import Foundation
import LessonKit
import SimCLR

/// The card's table and the write-up's results, beside ours.
enum CardTable {
    static func run(_ report: Report, rows: [ResultRow], model: SimCLRModel?, quick: Bool) {
        report.step("The card's table beside ours")
        func row(_ name: String) -> ResultRow? { rows.first { $0.name == name } }
        let ourSetup: String
        if let model {
            ourSetup = "ours: \(model.architecture.encoder.depth.rawValue) width \(model.architecture.encoder.width), "
                + "a few epochs on ≤ 10,000 images; the card: width 64, 200 epochs on 50,000 (26 GPU hours)"
        } else {
            ourSetup = "no SimCLR checkpoint in this run"
        }
        if let random = row("random init h") {
            report.check("Random Init, linear probe (card: 5,000 labels)", source: .card, document: 23.4, ours: random.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %",
                         expected: .differentSetup("a random encoder's score depends on its width and initialisation (ours: width \(model?.architecture.encoder.width ?? 16)) and on the probe (ours standardises features and tunes λ)"))
        }
        if let simclr = row("SimCLR h") {
            report.check("SimCLR, linear probe (card: 5,000 labels)", source: .card, document: 78.6, ours: simclr.top1 * 100,
                         tolerance: 3, format: "%.1f", unit: " %", expected: .differentSetup(ourSetup))
        }
        if let supervised = row("supervised, all labels") ?? row("supervised") {
            let all = supervised.name.contains("all")
            report.check("Supervised (card: 50,000 labels)", source: .card, document: 91.2, ours: supervised.top1 * 100, tolerance: 3,
                         format: "%.1f", unit: " %",
                         expected: .differentSetup(all ? "ours: \(Report.format(Double(supervised.labels), "%,.0f")) labels but far fewer epochs than a full supervised schedule"
                                                   : "ours trains on the probe's \(Report.format(Double(supervised.labels), "%,.0f")) labels for a few epochs; --all-labels uses all of them"))
        }
        report.check("the card's '+55.2 %' = 78.6 - 23.4", source: .card, document: 55.2, ours: 78.6 - 23.4, tolerance: 0.05,
                     format: "%.1f")
        report.say("That is +55.2 percentage points, not percent: relative to 23.4 % it is a 236 % improvement.")
        if let simclr = row("SimCLR h"), let random = row("random init h") {
            let gain = (simclr.top1 - random.top1) * 100
            report.value("our gain over the random encoder", gain, format: "%+.1f", unit: "points")
            if !quick {
                report.say(gain >= 5 ? "SimCLR pretraining, without a single label, beats the random encoder on the same probe."
                                     : "The gain is small: train longer (more epochs) or on the full data to see more.")
            }
        }
        report.say("")
        report.say("The write-up (ResNet-50 on Food-101, 101 classes) reports for its linear evaluation:")
        report.say("  top-1 ≈ 72 %, top-5 ≈ 91 % — what its setup reached (it needs Food-101's 5 GB and a GPU).")
        report.say("On 10 CIFAR classes top-5 is nearly free (chance 50 %), so our top-5 reads high.")
    }
}
