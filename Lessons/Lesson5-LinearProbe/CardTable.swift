import Foundation
import LessonKit
import SimCLR

/// What the card's table and the write-up's results mean beside ours: explanations, not checks.
enum CardTable {
    /// The card's "+55.2%" read as percentage points, our own gain over the random encoder, and
    /// the write-up's Food-101 results (which these lessons cannot measure).
    static func explainGain(_ report: Report, simclr: ResultRow?, random: ResultRow?, quick: Bool) {
        report.explain("the card's '+55.2%'", source: .card, document: "+55.2%", arithmetic: "78.6 - 23.4",
                       result: String(format: "%.1f", 78.6 - 23.4))
        report.say("As we read it, that is 55.2 percentage points (78.6 - 23.4), not percent: relative to 23.4 % it is a 236 % improvement.")
        if let simclr, let random {
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
