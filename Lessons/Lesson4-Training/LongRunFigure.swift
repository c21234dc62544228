import Foundation
import LessonKit
import SimCLR

/// This run beside the long run shipped with the lessons (data/pretrained/): the same loss
/// and kNN monitor over 100 epochs of all 50,000 images, read from the records the long run
/// kept in its checkpoint. What ten epochs start, a hundred continue.
enum LongRunFigure {
    static func write(_ report: Report, options: LessonOptions, records: [EpochRecord], preset: Preset, batch: Int,
                      temperature: Double) throws {
        let long: [EpochRecord]
        if preset == .long {
            long = []  // this run is the long run
        } else {
            let url = ShippedModel.defaultURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                report.say(ShippedModel.missingNote)
                return
            }
            do {
                long = try Checkpoint.inspect(url).progress.records
            } catch {
                report.say("The shipped long run could not be read (\(error)); its curves are left out.")
                return
            }
            if let first = long.first, let last = long.last {
                report.say(String(format: "The long run shipped with the lessons (same network and loss, all 50,000 images): "
                                  + "loss %.3f → %.3f and kNN monitor %.1f %% → %.1f %% over %d epochs.", first.meanLoss,
                                  last.meanLoss, (first.knnTop1 ?? 0) * 100, (last.knnTop1 ?? 0) * 100, long.count))
            }
        }
        let epochs = { (r: [EpochRecord]) in r.map { Double($0.epoch) } }
        // Losses compare only at the same batch and temperature (chance and floor depend on both).
        let sameLoss = batch == 256 && temperature == 0.5
        let ours = preset == .long ? "this run (the long run)" : "this run (\(records.count) epochs)"
        let (lossBatch, lossTemperature) = long.isEmpty || sameLoss ? (batch, temperature) : (256, 0.5)
        var loss = LineChart(title: "NT-Xent loss per epoch (batch \(lossBatch), τ \(lossTemperature))", xLabel: "epoch",
                             yLabel: "mean loss")
        if !long.isEmpty {
            loss.add(series: "long run: \(long.count) epochs, 50,000 images", x: epochs(long), y: long.map(\.meanLoss),
                     color: Palette.tab10[2], lineWidth: 3)
        }
        if long.isEmpty || sameLoss {
            loss.add(series: ours, x: epochs(records), y: records.map(\.meanLoss), color: Palette.tab10[0], marker: .circle)
        }
        let chance = NTXent.chanceLoss(batch: lossBatch)
        let floor = NTXent.lowestPossibleLoss(batch: lossBatch, temperature: lossTemperature)
        // Room under the curves, between them and the floor, for the legend.
        loss.yRange = floor - 0.3 ... chance + 0.2
        loss.legend = .lowerLeft
        loss.addReferenceLine(y: chance, label: String(format: "chance %.3f", chance))
        loss.addReferenceLine(y: floor, label: String(format: "lowest possible %.3f", floor), color: Palette.tab10[3])

        var knn = LineChart(title: "kNN monitor: 1,000 labelled images vote for 1,000 test images", xLabel: "epoch",
                            yLabel: "kNN top-1 (%)")
        if !long.isEmpty {
            knn.add(series: "long run", x: epochs(long), y: long.map { ($0.knnTop1 ?? 0) * 100 }, color: Palette.tab10[2],
                    lineWidth: 3)
        }
        knn.add(series: ours, x: epochs(records), y: records.map { ($0.knnTop1 ?? 0) * 100 }, color: Palette.tab10[0],
                marker: .circle)
        knn.addReferenceLine(y: 10, label: "chance: 1 in 10 classes")
        knn.yRange = 0 ... 100
        var figure = Figure(title: preset == .long ? "The long run" : "Your run beside the long run shipped with the lessons",
                            columns: 2)
        figure.add(loss)
        figure.add(knn)
        let url = options.figureURL("lesson4-long-run.png")
        try figure.render(width: 1800, height: 720, scale: options.scale).write(to: url)
        report.figure(url, preset == .long ? "the long run's loss and kNN monitor per epoch"
                                           : "your run's loss and kNN monitor beside the shipped long run's \(long.count) epochs")
    }
}
