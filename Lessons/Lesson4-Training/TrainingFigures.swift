import Foundation
import LessonKit
import SimCLR

/// The lesson's figures: the loss curve against chance and the floor, the card's table on
/// the same scale, the kNN monitor, and the similarity matrix before and after.
enum TrainingFigures {
    static func write(_ report: Report, options: LessonOptions, trainer: Trainer, stepLosses: [(step: Int, loss: Float)],
                      similarityBefore: [[Double]], similarityAfter: [[Double]]) throws {
        let records = trainer.progress.records
        let n = trainer.config.batchSize, tau = Double(trainer.config.temperature)
        let chance = NTXent.chanceLoss(batch: n), floor = NTXent.lowestPossibleLoss(batch: n, temperature: tau)
        let perEpoch = Double(trainer.stepsPerEpoch)

        var curve = LineChart(title: "NT-Xent loss while training (batch \(n), τ \(trainer.config.temperature))",
                              xLabel: "epoch", yLabel: "loss")
        curve.add(series: "each step", x: stepLosses.map { Double($0.step) / perEpoch }, y: stepLosses.map { Double($0.loss) },
                  color: Palette.tab10[0].opacity(0.45), lineWidth: 1.5)
        curve.add(series: "epoch mean", x: records.map { Double($0.epoch) }, y: records.map(\.meanLoss),
                  color: Palette.tab10[0], marker: .circle)
        curve.addReferenceLine(y: chance, label: String(format: "chance ln(%d) = %.3f", 2 * n - 1, chance))
        curve.addReferenceLine(y: floor, label: String(format: "lowest possible = %.3f", floor), color: Palette.tab10[3])

        var card = LineChart(title: "The card's table against what the loss allows", xLabel: "epoch (log scale)",
                             yLabel: "loss")
        card.xScale = .log
        card.add(series: "card (batch 256; it states no τ)", x: LossFacts.cardTable.map { Double($0.epoch) },
                 y: LossFacts.cardTable.map(\.loss), color: Palette.tab10[1], dash: .dashed, marker: .square)
        card.add(series: "ours (batch \(n), τ \(trainer.config.temperature))", x: records.map { Double($0.epoch) }, y: records.map(\.meanLoss),
                 color: Palette.tab10[0], marker: .circle)
        let cardFloor = LossFacts.cardFloor
        card.addReferenceLine(y: NTXent.chanceLoss(batch: 256), label: "chance at batch 256")
        card.addReferenceLine(y: cardFloor, label: String(format: "lowest possible at batch 256, τ 0.5 (assumed) = %.3f", cardFloor),
                              color: Palette.tab10[3])
        card.yRange = 0 ... 7
        var lossFigure = Figure(columns: 2)
        lossFigure.add(curve)
        lossFigure.add(card)
        let lossURL = options.figureURL("lesson4-loss.png")
        try lossFigure.render(width: 1800, height: 700, scale: options.scale).write(to: lossURL)
        report.figure(lossURL, "loss per step with chance and the floor; the card's table beside ours")

        var monitor = LineChart(title: "What the encoder learned without labels", xLabel: "epoch", yLabel: "accuracy (%)")
        monitor.add(series: "kNN on held-out test images (h)", x: records.map { Double($0.epoch) },
                    y: records.map { ($0.knnTop1 ?? 0) * 100 }, marker: .circle)
        monitor.add(series: "contrastive accuracy: views whose nearest view is their partner (z)", x: records.map { Double($0.epoch) },
                    y: records.map { $0.contrastiveAccuracy * 100 }, marker: .square)
        // Each curve has its own chance: a kNN guess among 10 classes, and a view picking its
        // partner among the 2N - 1 other views of the batch.
        monitor.addReferenceLine(y: 10, label: "kNN chance: 1 in 10 classes")
        monitor.addReferenceLine(y: 100 / Double(2 * n - 1),
                                 label: String(format: "partner chance: 1 in %d views = %.1f %%", 2 * n - 1, 100 / Double(2 * n - 1)))
        monitor.yRange = 0 ... 100
        let monitorURL = options.figureURL("lesson4-monitor.png")
        try monitor.render(width: 1200, height: 650, scale: options.scale).write(to: monitorURL)
        report.figure(monitorURL, "kNN accuracy and contrastive accuracy per epoch")

        let k = similarityBefore.count / 2
        let labels = (0 ..< 2 * k).map { $0 < k ? "\($0 + 1)a" : "\($0 - k + 1)b" }
        var similarity = Figure(title: "Cosine similarity of z for 8 images x 2 views (ia, ib = the two views of image i)",
                                columns: 2)
        for (name, values) in [("before training", similarityBefore), ("after training", similarityAfter)] {
            let s = SimilaritySnapshot.summary(values)
            let title = String(format: "%@: partners %.2f, others %.2f", name, s.partners, s.others)
            var map = Heatmap(title: title, values: values, rowLabels: labels, columnLabels: labels)
            map.colormap = .viridis
            map.valueFormat = nil
            map.range = -1 ... 1
            similarity.add(map)
        }
        let simURL = options.figureURL("lesson4-similarity.png")
        try similarity.render(width: 1600, height: 820, scale: options.scale).write(to: simURL)
        report.figure(simURL, "similarities of 16 views before and after: the partner diagonals light up")
    }
}
