import Foundation
import LessonKit
import SimCLR

/// What values NT-Xent can take, held against the documents' numbers.
enum LossFacts {
    /// The card's training table ("Settings: CIFAR-10 unlabeled, batch=256, ResNet-18"): epoch → loss.
    static let cardTable: [(epoch: Int, loss: Double)] = [(1, 2.456), (50, 1.234), (100, 0.876), (200, 0.623)]
    /// The card's table states no temperature; we assume the τ of its worked example and of
    /// its `nt_xent_loss(…, temperature=0.5)` default.
    static let cardBatch = 256, assumedCardTemperature = 0.5

    /// The best batch NT-Xent can be given: both views of image i are the same unit vector, and
    /// the N images' vectors form a regular simplex (e_i minus the centroid, normalised), the
    /// configuration in which every pair of images is as far apart as N unit vectors allow.
    /// Shape: `[2N, N]`, rows 0..<N the first views, N..<2N the second.
    static func bestPossibleBatch(images n: Int) -> Tensor {
        let length = ((1 - 1 / Double(n)) as Double).squareRoot()  // |e_i - centroid|
        var rows = [Float](repeating: 0, count: 2 * n * n)
        for i in 0 ..< n {
            for k in 0 ..< n {
                let v = Float(((k == i ? 1 : 0) - 1 / Double(n)) / length)
                rows[i * n + k] = v
                rows[(i + n) * n + k] = v
            }
        }
        return Tensor(shape: [2 * n, n], data: rows)
    }

    /// The lowest loss at batch `n` and temperature `tau`, measured: our NT-Xent on
    /// `bestPossibleBatch`.
    static func measuredFloor(batch n: Int, temperature tau: Double) -> Double {
        Double(NTXent(temperature: Float(tau)).loss(bestPossibleBatch(images: n)))
    }

    /// The floor at the card's batch and assumed τ, measured once for the lesson's three uses.
    static let cardFloor = measuredFloor(batch: cardBatch, temperature: assumedCardTemperature)

    /// Prints what the loss can be beside the documents' numbers.
    /// - Parameter floor: the loss of the best possible batch at `n` and `tau`, measured by the lesson.
    static func run(_ report: Report, batch n: Int, temperature tau: Double, floor: Double) {
        let chance = NTXent.chanceLoss(batch: n)
        report.say("With N images per step every view has 1 positive and 2N - 2 negatives.")
        report.value("chance level ln(2N - 1), N = \(n)", chance, format: "%.3f")
        report.say("A network that has learned nothing gives all 2N - 1 candidates the same similarity: ℓ = ln(2N - 1).")
        report.say("""
            Even a perfect encoder cannot go to 0: positives can at best coincide (cosine 1), and the 2N \
            unit vectors cannot all be far apart — their cosines sum to at least -2N, so the negatives' mean \
            is at least -1/(N-1). Jensen's inequality turns that into ln(1 + (2N-2)·exp(-(1 + 1/(N-1))/τ)), \
            reached when each pair coincides and the N images form a regular simplex. We build that batch \
            and run our NT-Xent on it:
            """)
        report.value("loss of the best possible batch, N = \(n), τ = \(tau) (measured)", floor, format: "%.3f")
        report.value("the bound's formula at the same N and τ", NTXent.lowestPossibleLoss(batch: n, temperature: tau),
                     format: "%.3f")

        report.say("")
        report.say(String(format: """
            The card's training table says "batch=256, ResNet-18" and no temperature. Assuming τ 0.5 (its worked \
            example's and its nt_xent_loss default), its loss must start near ln(511) = %.3f and can never go \
            below the best possible batch's %.3f (measured as above, at N = 256). Each note names the largest τ \
            at which the bound would allow the card's number:
            """, NTXent.chanceLoss(batch: cardBatch), cardFloor))
        for row in cardTable {
            let needed = temperatureNeeded(toReach: row.loss, batch: cardBatch)
            report.check("card's loss at epoch \(row.epoch) vs the best possible batch (τ 0.5 assumed)", source: .card,
                         document: row.loss, ours: cardFloor, tolerance: 0.0005,
                         unless: ClaimConditions.lossBelowFloor(row.loss, floor: cardFloor, reason: String(format:
                             "below %.3f, the loss of the best possible batch at N = 256, τ 0.5; reaching %.3f needs τ ≤ %.3f",
                             cardFloor, row.loss, needed)))
        }
        report.explain("card's 200 epochs if each took epoch 1's 8 min (hours)", source: .card, document: "26", arithmetic: "200 x 8 min / 60",
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
        report.check("largest similarity/τ, parallel views (the write-up's 1/τ; 2 at τ 0.5 by our arithmetic)",
                     source: .writeUp, document: 2,
                     ours: offDiagonal.max() ?? .nan, tolerance: 1e-6, format: "%.0f")
        report.check("smallest similarity/τ, opposite views (the write-up's -1/τ; -2 at τ 0.5 by our arithmetic)",
                     source: .writeUp, document: -2,
                     ours: offDiagonal.min() ?? .nan, tolerance: 1e-6, format: "%.0f")
        let scaled = CosineSchedule.linearlyScaled(0.03, batchSize: 64)
        report.explain("write-up's linear scaling rule at its own batch of 64", source: .writeUp,
                       document: "lr = 0.03 x BS / 256; trains at 0.03", arithmetic: "0.03 x 64 / 256",
                       result: String(format: "%.4f", scaled))
        report.say("""
            Its rule makes 0.03 the rate of batch 256; at its own batch of 64 the rule gives 0.0075, while its code \
            trains at 0.03. Its rule at other batch sizes:
            """)
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
