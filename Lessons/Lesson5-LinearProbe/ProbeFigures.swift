import Foundation
import LessonKit
import SimCLR

enum ProbeFigures {
    static func write(_ report: Report, options: LessonOptions, rows: [ResultRow], curve: [LabelFraction.Point],
                      classNames: [String]) throws {
        func top1(_ name: String) -> Double? { rows.first { $0.name == name }.map { $0.top1 * 100 } }
        let labelled = Report.format(Double(rows.first?.labels ?? 0), "%,.0f")
        var bars = BarChart(title: "Linear evaluation on CIFAR-10: the card's table and ours",
                            yLabel: "test top-1 accuracy (%)",
                            categories: ["Random init", "SimCLR", "Supervised, \(labelled) labels", "Supervised, 50,000 labels"])
        bars.valueFormat = "%.1f%%"
        bars.yMax = 100
        bars.add(series: "card (its table)", values: [23.4, 78.6, nil, 91.2])
        bars.add(series: "ours, this run (\(labelled) labels)",
                 values: [top1("random init h"), top1("SimCLR h"), top1("supervised"), top1("supervised, all labels")])
        // The shipped network trained on as many labels as this run's probe.
        let shippedSupervised = rows.first { $0.name.hasSuffix("labels/class (shipped)") && $0.labels == rows.first?.labels }
            .map { $0.top1 * 100 }
        let shippedAll = top1("supervised, all labels (shipped)")
        let long = top1(ShippedModel.name)
        if long != nil || shippedSupervised != nil || shippedAll != nil {
            let epochs = rows.first { $0.name == ShippedModel.name }?.setup.map { "SimCLR \($0.epochs) epochs; " } ?? ""
            bars.add(series: "ours, shipped long runs (\(epochs)supervised epochs chosen on held-out labels)",
                     values: [nil, long, shippedSupervised, shippedAll])
        }
        bars.addReferenceLine(y: 10, label: "chance (10 classes)")
        let comparisonURL = options.figureURL("lesson5-comparison.png")
        try bars.render(width: 1300, height: 720, scale: options.scale).write(to: comparisonURL)
        report.figure(comparisonURL, "the card's accuracies beside ours")

        if !curve.isEmpty {
            var chart = LineChart(title: "Accuracy against the number of labels", xLabel: "labelled images per class (log scale)",
                                  yLabel: "test top-1 accuracy (%)")
            chart.xScale = .log
            let x = curve.map { Double($0.perClass) }
            if curve.allSatisfy({ $0.simclr != nil }) {
                chart.add(series: "SimCLR (your model) + linear probe", x: x, y: curve.map { $0.simclr! * 100 }, marker: .circle)
            }
            if curve.allSatisfy({ $0.longRun != nil }) {
                chart.add(series: "SimCLR, long run + linear probe", x: x, y: curve.map { $0.longRun! * 100 }, marker: .diamond)
            }
            chart.add(series: "random encoder + linear probe", x: x, y: curve.map { $0.random * 100 }, marker: .square)
            chart.add(series: "supervised, end to end (this run)", x: x, y: curve.map { $0.supervised * 100 }, marker: .triangleUp)
            // The shipped networks cover the label counts they were trained for (all of them once finished).
            let shipped = curve.filter { $0.supervisedBest != nil }
            if !shipped.isEmpty {
                chart.add(series: "supervised, epochs chosen on held-out labels (shipped)", x: shipped.map { Double($0.perClass) },
                          y: shipped.map { $0.supervisedBest! * 100 }, marker: .triangleDown)
            }
            chart.addReferenceLine(y: 10, label: "chance")
            chart.yRange = 0 ... 100
            let url = options.figureURL("lesson5-label-fraction.png")
            try chart.render(width: 1200, height: 700, scale: options.scale).write(to: url)
            report.figure(url, "accuracy for 10/50/100/500 labels per class")
        }

        // The long run's probe when it was evaluated (its confusions are about the classes, not
        // about too little training), else the class's own model's.
        if let best = rows.first(where: { $0.name == ShippedModel.name }) ?? rows.first(where: { $0.name == "SimCLR h" })
            ?? rows.first, let confusion = best.confusion {
            let k = classNames.count
            let values = (0 ..< k).map { r in
                let total = Double(max(1, (0 ..< k).map { confusion[r * k + $0] }.reduce(0, +)))
                return (0 ..< k).map { Double(confusion[r * k + $0]) / total * 100 }
            }
            var map = Heatmap(title: "Confusion matrix of the \(best.name) probe (% of each true class)", values: values,
                              rowLabels: classNames, columnLabels: classNames)
            map.xLabel = "predicted"
            map.yLabel = "true class"
            map.range = 0 ... 100
            let url = options.figureURL("lesson5-confusion.png")
            try map.render(width: 1200, height: 1000, scale: options.scale).write(to: url)
            report.figure(url, "which classes the probe confuses")
        }
    }
}
