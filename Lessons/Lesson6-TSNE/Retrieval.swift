import Foundation
import LessonKit
import SimCLR

/// One representation's answer to "which training images are most like this test image?".
struct Retrieval {
    /// The representation, e.g. "raw pixels".
    let name: String
    /// For every query, the gallery rows of its nearest neighbours, most similar first.
    let neighbours: [[Int]]
    /// The share of all those neighbours whose class is their query's, in [0, 1].
    let sameClass: Double

    /// Searches `gallery` for the `count` nearest neighbours of every query by cosine similarity
    /// (`KNNClassifier.neighbours`, the search Lesson 4's kNN monitor votes with).
    init(_ name: String, gallery: FeatureSet, queries: FeatureSet, count: Int) {
        self.name = name
        let knn = KNNClassifier(training: gallery, classes: 1 + (gallery.labels.max() ?? 0))
        neighbours = knn.neighbours(of: queries, count: count)
        var same = 0
        for (q, found) in neighbours.enumerated() {
            same += found.filter { gallery.labels[$0] == queries.labels[q] }.count
        }
        sameClass = Double(same) / Double(max(1, queries.rows * count))
    }

    /// One query per class, drawn from `labels` by the seed's own stream, so every run with the
    /// same seed shows the same pictures.
    static func figureQueries(labels: [Int], classes: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed, .retrievalQueries)
        return (0 ..< classes).compactMap { c in
            let members = labels.indices.filter { labels[$0] == c }
            return members.isEmpty ? nil : members[generator.integer(below: members.count)]
        }
    }

    /// `figures/lesson6-neighbours.png`: a block per representation (three to a row), each with
    /// one row per query: the query (its class on the left), then its nearest gallery images,
    /// framed in blue when they share its class and in orange when not, and the count of blue ones.
    static func write(_ report: Report, options: LessonOptions, results: [Retrieval], queryIndices: [Int],
                      queries: InMemoryDataset, gallery: InMemoryDataset, shown: Int) throws {
        let thumb = 48.0, gap = 5.0, labelWidth = 118.0, countWidth = 50.0, blockGap = 40.0
        let row = thumb + gap + 3
        let blockWidth = labelWidth + thumb + 14 + Double(shown) * (thumb + gap) + countWidth
        let blockHeight = 64 + Double(queryIndices.count) * row
        let columns = min(3, results.count), blockRows = (results.count + columns - 1) / columns
        let top = 96.0
        let width = Double(columns) * blockWidth + Double(columns - 1) * blockGap + 40
        let height = top + Double(blockRows) * (blockHeight + blockGap)
        var canvas = Canvas(width: Int(width), height: Int(height), scale: options.scale)
        let same = Palette.okabeIto[0], other = Palette.okabeIto[1]
        canvas.text("The \(shown) most similar training images of a test image, in each representation",
                    at: Point(width / 2, 14), font: .large, align: .center)
        canvas.text("cosine similarity in the full feature space · frame: blue = the query's class, orange = another class",
                    at: Point(width / 2, 58), font: .label, align: .center)
        for (r, result) in results.enumerated() {
            let x0 = 20 + Double(r % columns) * (blockWidth + blockGap)
            let y0 = top + Double(r / columns) * (blockHeight + blockGap)
            let firstNeighbour = x0 + labelWidth + thumb + 14
            canvas.text(result.name, at: Point(x0 + blockWidth / 2, y0), font: .title, align: .center)
            canvas.text(String(format: "%.1f %% of all neighbours share the query's class (%@ queries)",
                               100 * result.sameClass, Report.format(Double(result.neighbours.count), "%,.0f")),
                        at: Point(x0 + blockWidth / 2, y0 + 32), font: .body, align: .center)
            for (i, q) in queryIndices.enumerated() {
                let y = y0 + 64 + Double(i) * row
                let label = queries.labels[q]
                canvas.text(queries.classNames[label], at: Point(x0 + labelWidth - 10, y + thumb / 2), font: .label,
                            align: .right, vertical: .middle)
                canvas.draw(queries.rgbImage(at: q), in: Rect(x: x0 + labelWidth, y: y, width: thumb, height: thumb))
                var matches = 0
                for (j, n) in result.neighbours[q].prefix(shown).enumerated() {
                    let box = Rect(x: firstNeighbour + Double(j) * (thumb + gap), y: y, width: thumb, height: thumb)
                    canvas.draw(gallery.rgbImage(at: n), in: box)
                    let match = gallery.labels[n] == label
                    if match { matches += 1 }
                    canvas.stroke(box, match ? same : other, lineWidth: 3)
                }
                canvas.text("\(matches)/\(shown)", at: Point(firstNeighbour + Double(shown) * (thumb + gap) + 6, y + thumb / 2),
                            font: .label, vertical: .middle)
            }
        }
        let url = options.figureURL("lesson6-neighbours.png")
        try canvas.write(to: url)
        report.figure(url, "each test image's \(shown) nearest training images in each representation, same class framed blue")
    }
}
