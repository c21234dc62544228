import Foundation
import LessonKit
import SimCLR

/// The per-stage table (output shape, parameters, multiply-adds) and its figure.
enum StageTable {
    static func run(_ report: Report, _ small: ResNet, _ large: ResNet) {
        report.say("")
        func count(_ n: Int) -> String { Report.format(Double(n), "%,.0f") }
        report.table([.left("stage"), .right("output (w16)"), .right("params (w16)"), .right("MACs (w16)"),
                      .right("output (w64)"), .right("params (w64)"), .right("MACs (w64)")],
                     zip(small.stages(height: 32, width: 32), large.stages(height: 32, width: 32)).map { a, b in
                         [a.name, a.outputShape.map(String.init).joined(separator: "x"), count(a.parameters), count(a.multiplyAdds),
                          b.outputShape.map(String.init).joined(separator: "x"), count(b.parameters), count(b.multiplyAdds)]
                     })
        report.say("Each stage halves the image and doubles the channels, so every stage costs about the same.")
    }

    static func write(_ report: Report, options: LessonOptions, models: [(String, ResNet)]) throws {
        let stages = models[0].1.stages(height: 32, width: 32).dropLast()
        let names = stages.map { $0.name.components(separatedBy: " (").first ?? $0.name }
        var params = BarChart(title: "Parameters per stage", xLabel: "stage", yLabel: "parameters (millions)",
                              categories: names)
        var macs = BarChart(title: "Multiply-adds per 32x32 image", xLabel: "stage", yLabel: "multiply-adds (millions)",
                            categories: names)
        params.valueFormat = "%.2f"
        macs.valueFormat = "%.0f"
        for (name, net) in models {
            let s = net.stages(height: 32, width: 32).dropLast()
            params.add(series: name, values: s.map { Double($0.parameters) / 1e6 })
            macs.add(series: name, values: s.map { Double($0.multiplyAdds) / 1e6 })
        }
        var figure = Figure(title: "ResNet-18 (CIFAR stem): where the parameters and the work are", columns: 2)
        figure.add(params)
        figure.add(macs)
        let url = options.figureURL("lesson2-stages.png")
        try figure.render(width: 1800, height: 720, scale: options.scale).write(to: url)
        report.figure(url, "parameters and multiply-adds per stage, width 16 against width 64")
    }
}
