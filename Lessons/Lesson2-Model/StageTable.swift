import Foundation
import LessonKit
import SimCLR

/// The per-stage table (output shape, parameters, multiply-adds) and its figure.
enum StageTable {
    static func print(_ report: Report, _ small: ResNet, _ large: ResNet) {
        report.say("")
        report.say("stage                         output (w16)   params (w16)   MACs (w16)  │ output (w64)   params (w64)    MACs (w64)")
        for (a, b) in zip(small.stages(height: 32, width: 32), large.stages(height: 32, width: 32)) {
            let shapeA = a.outputShape.map(String.init).joined(separator: "x")
            let shapeB = b.outputShape.map(String.init).joined(separator: "x")
            report.say(a.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                       + shapeA.leftPad(14) + Report.format(Double(a.parameters), "%,.0f").leftPad(15)
                       + Report.format(Double(a.multiplyAdds), "%,.0f").leftPad(13) + "  │"
                       + shapeB.leftPad(13) + Report.format(Double(b.parameters), "%,.0f").leftPad(15)
                       + Report.format(Double(b.multiplyAdds), "%,.0f").leftPad(14))
        }
        report.say("Each stage halves the image and doubles the channels, so every stage costs about the same.")
    }

    static func figure(_ report: Report, options: LessonOptions, models: [(String, ResNet)]) throws {
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

extension String {
    /// Right-aligned in a field of `width` characters.
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
