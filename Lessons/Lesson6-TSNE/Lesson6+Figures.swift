import Foundation
import LessonKit
import SimCLR

extension Lesson6 {
    /// The three maps, the perplexity sweep, the thumbnail map and the KL curves.
    func writeFigures(representations: [Representation], maps: [EmbeddedMap], perplexityMaps: [EmbeddedMap],
                      images: InMemoryDataset, trained: LessonCheckpoint?, report: Report) throws {
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
        let features = base.name == Self.longRunName ? "the long run's features"
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
