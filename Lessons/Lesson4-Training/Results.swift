import Foundation
import LessonKit
import SimCLR

/// Our run held against the card's table and timings.
enum Results {
    static func run(_ report: Report, trainer: Trainer, monitorBefore: Double?, quick: Bool) throws {
        let records = trainer.progress.records
        guard let first = records.first, let last = records.last else { return }
        let n = trainer.config.batchSize
        let chance = NTXent.chanceLoss(batch: n), floor = NTXent.lowestPossibleLoss(batch: n, temperature: Double(trainer.config.temperature))
        report.record("final loss", last.meanLoss)
        report.record("first epoch loss", first.meanLoss)
        report.value("epochs whose mean loss fell", Double(zip(records, records.dropFirst()).filter { $1.meanLoss < $0.meanLoss }.count),
                     format: "%.0f", unit: "of \(records.count - 1)")
        report.record("chance", chance)
        report.record("floor", floor)
        report.say(String(format: "Every epoch's mean loss lies between the floor %.3f and chance %.3f: %@.", floor, chance,
                          records.allSatisfy { $0.meanLoss > floor && $0.meanLoss <= chance + 0.05 } ? "yes" : "NO"))
        // The card's table beside this run's own losses at the same epochs, and the measured
        // floor at the card's batch (τ 0.5 assumed: the card's table states none).
        let cardFloor = LossFacts.cardFloor
        let sameLoss = n == LossFacts.cardBatch && Double(trainer.config.temperature) == LossFacts.assumedCardTemperature
        report.say("The card's training table beside this run (batch \(n), τ \(trainer.config.temperature))"
                   + (sameLoss ? ":" : "; its losses are not comparable with the card's batch 256 (τ 0.5 assumed):"))
        report.table([.right("epoch"), .right("card"), .right("best possible batch"), .right("this run")],
                     LossFacts.cardTable.map { row in
                         let ours = records.first { $0.epoch == row.epoch }.map { String(format: "%.3f", $0.meanLoss) } ?? "—"
                         return ["\(row.epoch)", String(format: "%.3f", row.loss), String(format: "%.3f", cardFloor), ours]
                     })
        if !quick && sameLoss {
            let cardFirst = LossFacts.cardTable[0].loss
            report.check("loss after epoch 1", source: .card, document: cardFirst, ours: first.meanLoss, tolerance: 0.005,
                         unless: ClaimConditions.lossBelowFloor(cardFirst, floor: cardFloor, reason: String(format:
                             "the card's %.3f is below %.3f, the loss of the best possible batch at batch 256, τ 0.5 (assumed)",
                             cardFirst, cardFloor)))
        }
        if let before = monitorBefore, let after = last.knnTop1 {
            // The random encoder's kNN was printed before training; here it is set beside the result.
            report.value("kNN accuracy after \(records.count) epochs", after * 100, format: "%.1f",
                         unit: String(format: "%% (%.1f %% before training, with the random encoder)", before * 100))
            report.say("No label was used to train; the labelled kNN only reads how classes group in h.")
        }

        let seconds = records.map(\.seconds).reduce(0, +)
        let imagesPerSecond = records.map(\.imagesPerSecond).reduce(0, +) / Double(records.count)
        report.value("training time", seconds / 60, format: "%.1f", unit: "min")
        report.value("throughput", imagesPerSecond, format: "%.0f", unit: "images/s (x2 views)")
        // The card's setting as we read it: "CIFAR-10 unlabeled" = 50,000 images per epoch, through
        // the width-64 ResNet-18 its h of 512 implies (16x the multiply-adds of width 16), at our efficiency.
        let cost = Double(trainer.model.encoder.multiplyAdds(height: 32, width: 32))
        let cardCost = Double(ResNetCost.cardMultiplyAdds)
        let cardEpochMinutes = 50_000 / imagesPerSecond * (cardCost / cost) / 60
        report.value("estimated minutes per epoch of the card's setup on this machine", cardEpochMinutes, format: "%.0f")
        report.say(String(format: "(Our %.0f images/s scaled by the width-64 network's %.1fx more multiply-adds. The card reports "
                          + "8 min for epoch 1, on hardware it does not name.)", imagesPerSecond, cardCost / cost))
        report.say(String(format: "At that rate the card's 200 epochs would take %.0f hours (%.1f days) here.",
                          cardEpochMinutes * 200 / 60, cardEpochMinutes * 200 / 60 / 24))
    }
}
