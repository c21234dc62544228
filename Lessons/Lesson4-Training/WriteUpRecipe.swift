import Foundation
import LessonKit
import SimCLR

/// The write-up's optimizer and schedule, run through our scheduler exactly as its training
/// loop drives PyTorch's: SGD at 0.03 with `CosineAnnealingLR(T_max=epoch)`, epoch = 100, and
/// one `scheduler.step()` per epoch, after the batch loop (the call sits inside
/// `for e in range(epoch):`).
enum WriteUpRecipe {
    static let epochs = 100, base: Float = 0.03
    /// The epochs at which the rates are printed and checked.
    static let shown = [0, 25, 50, 75, 99]

    /// The learning rate each epoch trains at when, as in the write-up's loop, `scheduler.step()`
    /// is called once at the end of every epoch.
    static func ratesOfTheWriteUpsLoop() -> [Float] {
        var scheduler = CosineAnnealingScheduler(base: base, maxEpochs: epochs)
        var rates: [Float] = []
        for _ in 0 ..< epochs {
            rates.append(scheduler.rate)  // every batch of this epoch trains at this rate
            scheduler.step()              // the write-up's `scheduler.step()`, after the batch loop
        }
        return rates
    }

    static func run(_ report: Report) {
        report.step("The write-up's optimizer and schedule")
        report.say("""
            SGD, lr 0.03, momentum 0.9, weight decay 1e-4, BS = 64, epoch = 100, and \
            scheduler = CosineAnnealingLR(optimizer, T_max=epoch); its loop calls scheduler.step() once per epoch, \
            after the batches. PyTorch documents that scheduler as \
            lr_t = lr_min + (lr_0 - lr_min)(1 + cos(π t / T_max)) / 2 after t calls of scheduler.step(). \
            Our scheduler, stepped the same way, against that formula:
            """)
        let rates = ratesOfTheWriteUpsLoop()
        for e in shown {
            let documented = Double(base) * (1 + cos(Double.pi * Double(e) / Double(epochs))) / 2
            report.check("lr at epoch \(e), one scheduler.step() per epoch", source: .torchvision, document: documented,
                         ours: Double(rates[e]), tolerance: 1e-7, format: "%.6f")
        }
        report.say(String(format: """
            So the write-up's rate falls along half a cosine, from 0.03 in epoch 0 to %.6f in its last epoch \
            (the hundredth step would reach 0). Our classroom run decays the same way, but after every \
            optimizer step rather than every epoch.
            """, rates[epochs - 1]))
    }
}
