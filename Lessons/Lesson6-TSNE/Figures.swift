import Foundation
import LessonKit
import SimCLR

/// The lesson's figures, built from finished maps.
enum Figures {
    /// One t-SNE map as a scatter panel: a colour per class, no axis numbers (t-SNE
    /// coordinates mean nothing), the map's measurements under it.
    static func scatter(_ map: EmbeddedMap, title: String, classNames: [String]) -> ScatterPlot {
        let caption = String(format: "5-NN in the map %.1f %% · trustworthiness %.3f",
                             100 * map.mapAccuracy, map.trustworthiness)
        var plot = ScatterPlot(title: title, xLabel: caption, points: map.points, classes: map.labels,
                               classNames: classNames)
        plot.showTicks = false
        plot.legend = .none
        plot.pointSize = map.result.rows > 500 ? 6 : 9
        plot.opacity = 0.8
        return plot
    }

    /// Panels side by side with one legend of class names under them.
    static func row(title: String, panels: [any Panel], classNames: [String]) -> Figure {
        var figure = Figure(title: title)
        for panel in panels { figure.add(panel) }
        figure.legend = classNames.enumerated().map { k, name in
            LegendEntry(label: name, color: Palette.tab10[k % Palette.tab10.count], swatch: .marker(.circle))
        }
        return figure
    }

    /// The images themselves at their map positions, framed in their class colour.
    static func thumbnails(_ map: EmbeddedMap, images: InMemoryDataset, title: String) -> ThumbnailMap {
        var plot = ThumbnailMap(title: title, positions: map.points,
                                images: (0 ..< images.count).map { images.rgbImage(at: $0) },
                                classes: map.labels, classNames: images.classNames)
        // 38: a 36 px box whose 2 px class-colour frame leaves exactly 32 px, so the images are not resampled.
        plot.thumbnailSize = 38
        plot.legend = .outsideRight
        return plot
    }

    /// KL divergence against iteration for each map, with the end of early exaggeration marked.
    static func klCurves(_ maps: [EmbeddedMap], exaggerationEnds: Int) -> LineChart {
        var chart = LineChart(title: "t-SNE optimisation: KL divergence of the map Q from the input P",
                              xLabel: "iteration", yLabel: "KL(P, Q)")
        for (i, map) in maps.enumerated() {
            chart.add(series: map.name, points: map.result.history.map { Point(Double($0.iteration), $0.kl) },
                      color: Palette.okabeIto[i % Palette.okabeIto.count], marker: .circle)
        }
        let kls = maps.flatMap { $0.result.history.map(\.kl) }
        if let low = kls.min(), let high = kls.max() {
            chart.add(series: "early exaggeration ends (\(exaggerationEnds))",
                      points: [Point(Double(exaggerationEnds), low), Point(Double(exaggerationEnds), high)],
                      color: Color(hex: 0x777777), dash: .dashed, lineWidth: 1.5)
        }
        chart.xRange = 0 ... Double(maps.map { $0.result.history.last?.iteration ?? 0 }.max() ?? 1)
        return chart
    }

    /// Renders and writes a panel, and notes it in the report.
    static func write(_ panel: any Panel, width: Int, height: Int, to url: URL, options: LessonOptions,
                      report: Report, description: String) throws {
        try panel.render(width: width, height: height, scale: options.scale).write(to: url)
        report.figure(url, description)
    }

    /// The maps side by side, the perplexity sweep, the thumbnail map and the KL curves.
    static func writeAll(_ report: Report, options: LessonOptions, representations: [Representation], maps: [EmbeddedMap],
                      perplexityMaps: [EmbeddedMap], images: InMemoryDataset, trained: LessonCheckpoint?) throws {
        let names = images.classNames
        let perClass = images.count / max(names.count, 1)
        let count = Report.format(Double(images.count), "%,.0f")

        var panels: [any Panel] = zip(representations, maps).map { rep, map in
            Figures.scatter(map, title: rep.title, classNames: names)
        }
        if trained == nil {
            panels.insert(NotePanel(title: "SimCLR encoder", message: [
                "No checkpoint yet.", "", "Train one with", "swift run Lesson4-Training", "and run this lesson again.",
            ], emphasized: ["swift run Lesson4-Training"]), at: 2)
        }
        let maps3 = Figures.row(title: "t-SNE of \(count) CIFAR-10 test images (\(perClass) per class, perplexity 30)",
                                panels: panels, classNames: names)
        try Figures.write(maps3, width: panels.count > 3 ? 2400 : 1800, height: panels.count > 3 ? 720 : 760,
                          to: options.figureURL("lesson6-tsne.png"), options: options,
                          report: report, description: "raw pixels, random-init and SimCLR encoders"
                          + (maps.count > 3 ? " (yours and the long run)" : "") + ", one colour per class")

        let base = maps.last!
        let features = base.name == Representation.longRunName ? "the long run's features"
            : base.name == "SimCLR encoder" ? "the SimCLR encoder's features"
            : "the random-init encoder's features (no SimCLR checkpoint yet)"
        let sweep = Figures.row(title: "The same \(count) images at three perplexities: \(features)",
                                panels: perplexityMaps.map {
                                    Figures.scatter($0, title: "perplexity \(Int($0.perplexity))", classNames: names)
                                }, classNames: names)
        try Figures.write(sweep, width: 1800, height: 760, to: options.figureURL("lesson6-perplexity.png"),
                          options: options, report: report, description: "perplexity 5 / 30 / 50 on \(features)")

        let who = representations.last!.title + (maps.count < 3 ? ", no SimCLR checkpoint yet" : "")
        let thumbnails = Figures.thumbnails(base, images: images, title: "\(who): each image at its t-SNE position")
        try Figures.write(thumbnails, width: 1600, height: 1150, to: options.figureURL("lesson6-thumbnails.png"),
                          options: options, report: report,
                          description: "the images drawn at their positions in the \(base.name) map")

        let curves = Figures.klCurves(maps, exaggerationEnds: TSNE().exaggerationIterations)
        try Figures.write(curves, width: 1200, height: 700, to: options.figureURL("lesson6-kl.png"), options: options,
                          report: report, description: "KL divergence during the optimisation of each map")
    }
}
