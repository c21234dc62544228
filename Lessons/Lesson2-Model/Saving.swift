import Foundation
import LessonKit
import SimCLR

/// What happens when a checkpoint meets the wrong architecture.
enum Saving {
    /// Loads the width-16 checkpoint at `url` into the card's width-64 model and prints the
    /// one-line refusal.
    static func showRefusal(_ report: Report, of url: URL, using generator: inout SeededGenerator) throws {
        do {
            try Checkpoint.load(url, into: SimCLRModel(.card, generator: &generator))
            report.say("(unexpected: a width-16 checkpoint loaded into a width-64 model)")
        } catch {
            report.say("Loading it into the card's model as we build it (width 64) is refused in one line:")
            report.say("  \(error)")
        }
    }
}
