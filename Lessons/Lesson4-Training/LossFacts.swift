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
        report.say("""
            Even a perfect encoder cannot go lower: positives can at best coincide (cosine 1), and the 2N \
            unit vectors cannot all be far apart — their cosines sum to at least -2N, so the negatives' mean \
            is at least -1/(N-1). Jensen's inequality turns that into ln(1 + (2N-2)·exp(-(1 + 1/(N-1))/τ)).
            """)

        let cardChance = NTXent.chanceLoss(batch: 256), cardFloor = NTXent.lowestPossibleLoss(batch: 256, temperature: 0.5)
        report.say("")
        report.say(String(format: "The card trains with batch 256 and τ 0.5: its loss must start near %.3f and stay above %.3f.",
                          cardChance, cardFloor))
        for row in cardTable {
            let tau = temperatureNeeded(toReach: row.loss, batch: 256)
            report.check("card's loss at epoch \(row.epoch) vs the lowest possible", source: .card, document: row.loss,
                         ours: cardFloor, tolerance: 0.0005,
                         unless: .documentInconsistent(String(format:
                             "below the floor %.3f of NT-Xent at batch 256, τ 0.5 (mean over 2N rows); reaching %.3f needs τ ≤ %.3f",
                             cardFloor, row.loss, tau), when: row.loss < cardFloor))
        }
        report.explain("card's 200 epochs at 8 min each (hours)", source: .card, document: "26", arithmetic: "200 x 8 min / 60",
                       result: String(format: "%.1f", 200 * 8 / 60.0))

        report.say("")
        report.say("The write-up's numbers about the same loss, computed by our NT-Xent:")
        for batch in [64, 4096] {
            report.check("negatives per view at batch \(batch) (the loss's mask)", source: .writeUp,
                         document: batch == 64 ? 126 : 8_190, ours: Double(NTXent.negativesPerView(images: batch)),
                         tolerance: 0, format: "%,.0f")
        }
        // Two images whose views are v, -v (first views) and v, -v (second views): every pair is
        // parallel or antiparallel, so the loss's logits reach both ends of their range.
        let v: [Float] = [0.6, -0.8, 0]
        let extremes = NTXent(temperature: 0.5).scaledSimilarities(Tensor(shape: [4, 3], data: v + v.map { -$0 } + v + v.map { -$0 }))
        let offDiagonal = (0 ..< 16).filter { $0 % 5 != 0 }.map { Double(extremes.data[$0]) }
        report.check("largest similarity/τ at τ 0.5 (parallel views)", source: .writeUp, document: 2,
                     ours: offDiagonal.max() ?? .nan, tolerance: 1e-6, format: "%.0f")
        report.check("smallest similarity/τ at τ 0.5 (opposite views)", source: .writeUp, document: -2,
                     ours: offDiagonal.min() ?? .nan, tolerance: 1e-6, format: "%.0f")
        let scaled = Double(CosineSchedule.linearlyScaled(0.03, batchSize: 64))
        report.check("write-up's lr at its batch 64 by its own scaling rule", source: .writeUp, document: 0.03, ours: scaled,
                     tolerance: 0.00005, format: "%.4f",
                     unless: .documentInconsistent(String(format: "its rule lr = 0.03 x BS / 256 gives %.4f at its own batch of 64, "
                         + "yet it trains at 0.03 (the rule makes 0.03 the rate of batch 256)", scaled), when: scaled != 0.03))
        report.say("Its rule at other batch sizes:")
        for batch in [64, 256, 4096] {
            report.say(String(format: "  batch %4d → lr %.4f", batch, CosineSchedule.linearlyScaled(0.03, batchSize: batch)))
        }
        WriteUpRecipe.run(report)
    }

    /// The largest τ at which NT-Xent's floor (`NTXent.lowestPossibleLoss`) is still at or
    /// below `loss`, found by bisection on the floor itself (it rises with τ).
    static func temperatureNeeded(toReach loss: Double, batch: Int) -> Double {
        var (low, high) = (1e-3, 10.0)
        for _ in 0 ..< 100 {
            let mid = (low + high) / 2
            if NTXent.lowestPossibleLoss(batch: batch, temperature: mid) <= loss { low = mid } else { high = mid }
        }
        return low
    }
}
