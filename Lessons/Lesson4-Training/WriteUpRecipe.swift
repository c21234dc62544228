import Foundation
import LessonKit
import SimCLR

/// The write-up's optimizer and schedule, run through our scheduler: SGD at 0.03 with
/// `CosineAnnealingLR(T_max=100)` over 100 epochs, once as intended (one `scheduler.step()`
/// per epoch) and once as its training loop is printed (no `scheduler.step()` anywhere).
enum WriteUpRecipe {
    static let epochs = 100, base: Float = 0.03
    /// The epochs at which the rates are printed and checked.
    static let shown = [0, 25, 50, 75, 99]

    /// The learning rate of every epoch, with or without `scheduler.step()` at each epoch's end.
    static func rates(stepping: Bool) -> [Float] {
        var scheduler = CosineAnnealingScheduler(base: base, maxEpochs: epochs)
        var rates: [Float] = []
        for _ in 0 ..< epochs {
            rates.append(scheduler.rate)  // the epoch trains at this rate
            if stepping { scheduler.step() }
        }
        return rates
    }

    static func run(_ report: Report) {
        report.step("The write-up's optimizer and schedule")
        report.say("""
            SGD, lr 0.03, momentum 0.9, weight decay 1e-4, batch 64, 100 epochs, and \
            scheduler = CosineAnnealingLR(optimizer, T_max=epoch). PyTorch documents that scheduler as \
            lr_t = lr_min + (lr_0 - lr_min)(1 + cos(π t / T_max)) / 2 after t calls of scheduler.step().
            """)
        let intended = rates(stepping: true), asPrinted = rates(stepping: false)
        for e in shown {
            let documented = Double(base) * (1 + cos(Double.pi * Double(e) / Double(epochs))) / 2
            report.check("lr at epoch \(e), one scheduler.step() per epoch", source: .torchvision, document: documented,
                         ours: Double(intended[e]), tolerance: 1e-7, format: "%.6f")
        }
        let last = Double(intended[epochs - 1]), stuck = Double(asPrinted[epochs - 1])
        report.check("lr at epoch 99, the loop as the write-up prints it", source: .writeUp, document: last, ours: stuck,
                     tolerance: 1e-7, format: "%.6f",
                     unless: .documentInconsistent("its training loop never calls scheduler.step(), so the cosine it builds never "
                         + String(format: "acts: the rate stays %.2f for all %d epochs", stuck, epochs),
                         when: asPrinted.allSatisfy { $0 == base }))
    }
}
