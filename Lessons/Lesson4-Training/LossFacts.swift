import Foundation
import LessonKit
import SimCLR

/// What values NT-Xent can take, held against the documents' numbers.
enum LossFacts {
    /// The card's training table (batch 256, τ 0.5, ResNet-18): epoch → loss.
    static let cardTable: [(epoch: Int, loss: Double)] = [(1, 2.456), (50, 1.234), (100, 0.876), (200, 0.623)]

    static func run(_ report: Report, batch n: Int, temperature tau: Double) {
        report.step("What the loss can be")
        let chance = NTXent.chanceLoss(batch: n)
        let floor = NTXent.lowestPossibleLoss(batch: n, temperature: tau)
        report.say("With N images per step every view has 1 positive and 2N - 2 negatives.")
        report.value("chance level ln(2N - 1), N = \(n)", chance, format: "%.3f")
        report.say("A network that has learned nothing gives all 2N - 1 candidates the same similarity: ℓ = ln(2N - 1).")
        report.value("lowest possible mean loss, N = \(n), τ = \(tau)", floor, format: "%.3f")
        report.say("Even a perfect encoder cannot go lower: positives can at best coincide (cosine 1), and the 2N")
        report.say("unit vectors cannot all be far apart — their cosines sum to at least -2N, so the negatives' mean")
        report.say("is at least -1/(N-1). Jensen's inequality turns that into ln(1 + (2N-2)·exp(-(1 + 1/(N-1))/τ)).")

        let cardChance = NTXent.chanceLoss(batch: 256), cardFloor = NTXent.lowestPossibleLoss(batch: 256, temperature: 0.5)
        report.say("")
        report.say(String(format: "The card trains with batch 256 and τ 0.5: its loss must start near %.3f and stay above %.3f.",
                          cardChance, cardFloor))
        // Which temperature would its last value need? floor(τ) = 0.623 solved for τ.
        let needed = (1 + 1.0 / 255) / -log((exp(0.623) - 1) / 510)
        for row in cardTable {
            report.check("card's loss at epoch \(row.epoch) vs the lowest possible", source: .card, document: row.loss,
                         ours: cardFloor, tolerance: 0,
                         expected: .documentInconsistent(String(format:
                             "below the floor %.3f of NT-Xent at batch 256, τ 0.5 (mean over 2N rows); reaching %.3f needs τ ≤ %.3f",
                             cardFloor, row.loss, needed)))
        }
        report.check("card's 200 epochs at 8 min each (hours)", source: .card, document: 26, ours: 200 * 8 / 60.0,
                     tolerance: 1, format: "%.1f")

        report.say("")
        report.say("The write-up's numbers about the same loss:")
        for batch in [64, 4096] {
            report.check("negatives per view at batch \(batch) (2N - 2)", source: .writeUp,
                         document: batch == 64 ? 126 : 8_190, ours: Double(2 * batch - 2), tolerance: 0, format: "%,.0f")
        }
        report.check("largest similarity/τ at τ 0.5 (1/τ)", source: .writeUp, document: 2, ours: 1 / 0.5, tolerance: 0,
                     format: "%.0f")
        report.check("smallest similarity/τ at τ 0.5 (-1/τ)", source: .writeUp, document: -2, ours: -1 / 0.5, tolerance: 0,
                     format: "%.0f")
        report.say("Its learning rate 0.03 at batch 256 becomes, by the linear scaling rule lr = 0.03 x BS / 256:")
        for batch in [64, 256, 4096] {
            report.say(String(format: "  batch %4d → lr %.4f", batch, CosineSchedule.linearlyScaled(0.03, batchSize: batch)))
        }
    }
}
