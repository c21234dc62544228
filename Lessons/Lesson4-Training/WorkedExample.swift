import Foundation
import LessonKit
import SimCLR

/// The card's worked example of NT-Xent, recomputed step by step.
///
/// The card lists, for view z1 of a batch of N = 4 images (8 views) at τ = 0.5, its cosine
/// similarity to its positive z2 (0.92) and to three negatives (0.15, -0.23, 0.08), and a
/// denominator of 12.845, which the three negatives it does not list must complete: by our
/// arithmetic on its numbers they add about 3.393 in exp(sim/τ) (12.845 minus its four
/// rounded terms). We build 8 unit vectors with exactly
/// those similarities to z1 and choose the three unlisted ones equal, such that the exact
/// denominator is the card's 12.845: together 12.845 - 9.4512 = 3.3938, each
/// exp(2s) = 1.1313, s = 0.0617.
///
/// Our loss numbers views as rows 0…3 (first views) and 4…7 (second views), the positive
/// of row i being row i ± 4; so the card's z1 is our row 0 and its z2 our row 4.
enum WorkedExample {
    static let tau = 0.5
    static let listed: [(name: String, similarity: Double)] = [("z2 (positive)", 0.92), ("z3", 0.15), ("z4", -0.23), ("z5", 0.08)]
    /// The card's denominator, which the unlisted negatives must complete.
    static let cardDenominator = 12.845

    /// The eight views: our rows 0 (card z1), 4 (z2), 1, 2, 3 (z3-z5) and 5, 6, 7 (unlisted).
    static func views() -> (z: Tensor, unlistedSimilarity: Double) {
        let listedSum = listed.map { exp($0.similarity / tau) }.reduce(0, +)
        let unlisted = tau * log((cardDenominator - listedSum) / 3)
        let d = 8
        var rows = [Float](repeating: 0, count: 8 * d)
        // Row 0 is e0; every other row r is s·e0 + sqrt(1 - s²)·e_r, so its cosine with row 0 is s
        // and the other rows are mutually almost orthogonal.
        rows[0] = 1
        let similarities: [Int: Double] = [4: 0.92, 1: 0.15, 2: -0.23, 3: 0.08, 5: unlisted, 6: unlisted, 7: unlisted]
        for (r, s) in similarities {
            rows[r * d] = Float(s)
            rows[r * d + r] = Float((1 - s * s).squareRoot())
        }
        return (Tensor(shape: [8, d], data: rows), unlisted)
    }

    /// Prints what the lesson's first step computed beside the card's numbers.
    /// - Parameters:
    ///   - z: the eight views (`views()`); `unlisted`: the similarity chosen for the three unlisted negatives.
    ///   - logits: sim/τ of every pair, `[8 x 8]` row-major; `rows`: ℓ of each view (row 0 is ℓ(z1, z2)).
    static func compare(_ report: Report, z: Tensor, unlisted: Double, logits: [Float], rows: [Double]) {
        report.say("For one view z1 the loss asks: among the 7 other views, how much of the softmax over")
        report.say("sim/τ goes to its partner z2?  ℓ(z1, z2) = -log( exp(sim(z1,z2)/τ) / Σ_{k≠1} exp(sim(z1,zk)/τ) ).")
        report.say("Given (the card's): sim(z1, z2) = 0.92 (positive), sim(z1, z3) = 0.15, sim(z1, z4) = -0.23, sim(z1, z5) = 0.08.")
        report.say(String(format: "Chosen (by us): the card lists only 3 of z1's 6 negatives; we set the other three (z6, z7, z8) to"
                          + " similarity %.4f each, the value that makes the card's denominator 12.845 exact.", unlisted))
        report.say("""
            We build 8 unit vectors with those similarities; everything below is computed from them by our NT-Xent. \
            (The card also prints example vectors z1, z2, z3, but only four of their 128 components each: from four \
            components neither a vector's length nor a cosine between two of them can be computed, so the lesson \
            starts from the similarities the card states instead.)
            """)
        report.say("""
            The rows below recompute the card's own arithmetic from its own similarities: a ✓ says our NT-Xent \
            code reproduces the card's steps, not that the card's numbers were measured on anything.
            """)
        // The card's Step 3 lists exp(0.16) = 1.174 without saying whose term it is: we read it as z5's (0.08 / 0.5).
        let ours: [(String, Int)] = [("z2 (positive)", 4), ("z3", 1), ("z4", 2), ("z5 (the card's exp(0.16) term, as we read it)", 3)]
        let cardScaled = [1.84, 0.30, -0.46, 0.16], cardExp = [6.297, 1.350, 0.631, 1.174]
        for (k, (name, row)) in ours.enumerated() {
            let scaled = Double(logits[row])
            report.check("our NT-Xent's sim/τ for \(name)", source: .card, document: cardScaled[k], ours: scaled,
                         tolerance: 0.005, format: "%.2f")
            report.check("our NT-Xent's exp(sim/τ) for \(name)", source: .card, document: cardExp[k], ours: exp(scaled),
                         tolerance: 0.0005, format: "%.3f")
        }
        let denominator = (1 ..< 8).map { exp(Double(logits[$0])) }.reduce(0, +)
        report.value("denominator Σ_{k≠1} exp(sim/τ) (12.845 by our choice of z6-z8, so not a check)", denominator,
                     format: "%.3f")
        report.explain("what the card's unlisted negatives must add to its denominator", source: .card, document: "12.845",
                       arithmetic: "12.845 - 6.297 - 1.350 - 0.631 - 1.174",
                       result: String(format: "%.3f", 12.845 - 6.297 - 1.350 - 0.631 - 1.174))
        report.say(String(format: "(From its unrounded terms the three add %.4f.)", 3 * exp(unlisted / tau)))
        let ratio = exp(Double(logits[4])) / denominator
        report.check("our NT-Xent's softmax share of the positive", source: .card, document: 0.490, ours: ratio,
                     tolerance: 0.0005)
        let loss = NTXent(temperature: Float(tau))
        report.check("our NT-Xent's ℓ(z1, z2) = -log(0.490)", source: .card, document: 0.713, ours: rows[0], tolerance: 0.0005)
        // The card says similarities are cosines after L2 normalisation: the same views at other
        // lengths must give the same loss.
        let lengths: [Float] = [3, 0.2, 1.5, 7, 0.5, 2, 0.1, 4]
        let stretched = Tensor(shape: z.shape, data: z.data.enumerated().map { $0.element * lengths[$0.offset / z.dim(1)] })
        report.check("ℓ(z1, z2) with the 8 views stretched to lengths 0.1-7", source: .card, document: 0.713,
                     ours: loss.rowLosses(stretched)[0], tolerance: 0.0005)
        report.say("""
            The card calls 0.713 the "Final Batch Loss (Average)", but 0.713 is one row, ℓ(z1, z2). The card gives \
            none of its batch's other 7 rows, so no average over its batch can be computed from it; training \
            minimises the mean over all 2N rows.
            """)

        report.say("")
        report.say("The two documents write the same loss two ways; on this batch and on a random one:")
        var g = SeededGenerator(seed: 1)
        let random = Tensor(shape: [16, 32], data: (0 ..< 512).map { _ in Float(g.normal()) })
        for (label, batch) in [("worked example", z), ("random 8 images, 32-d", random)] {
            let main = Double(loss.loss(batch))
            report.check("card's exp/sum (-9e15 mask) = ours, \(label)", source: .card, document: loss.cardFormulation(batch),
                         ours: main, tolerance: 1e-5, format: "%.5f")
            report.check("write-up's cross entropy (-inf mask) = ours, \(label)", source: .writeUp,
                         document: loss.writeUpFormulation(batch), ours: main, tolerance: 1e-5, format: "%.5f")
        }
    }
}
