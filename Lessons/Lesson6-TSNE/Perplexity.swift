import Foundation
import LessonKit
import SimCLR

/// The same features mapped with fewer and more neighbours.
enum Perplexity {
    /// The perplexities a map is drawn with in the perplexity figure.
    static let perplexities: [Double] = [5, 30, 50]

    /// Maps the same features with perplexity 5, 30 and 50 (30 is `base`, already made).
    /// - Parameters:
    ///   - tsne: the lesson's settings; each map changes only the perplexity.
    ///   - base: the perplexity-30 map of `input` (the SimCLR encoder's, else the random one's).
    ///   - input: its 50-d PCA input.
    /// - Returns: one map per entry of `perplexities`, in that order.
    static func sweep(_ report: Report, tsne: TSNE, seed: UInt64, base: EmbeddedMap, input: PCA, rows: Int,
                      labels: [Int], classes: Int) throws -> [EmbeddedMap] {
        report.say("""
            Perplexity is the effective number of neighbours each image's Gaussian covers in the input. \
            Small: only the closest few count — many small clumps. Large: it looks further — broader groups.
            """)
        if base.name == Representation.longRunName {
            report.say("(The long run's features: the clearest map of this lesson.)")
        } else if base.name != "SimCLR encoder" {
            report.say("(No checkpoint: this uses the random-init encoder's features instead of SimCLR's.)")
        }
        report.say("Each map's KL compares it with its own P, so KL is not comparable across perplexities.")
        var maps: [EmbeddedMap] = []
        for perplexity in perplexities {
            let name = "perplexity \(Int(perplexity))"
            let map: EmbeddedMap
            if perplexity == base.perplexity {
                map = base
            } else {
                var tsne = tsne
                tsne.perplexity = perplexity
                map = try EmbeddedMap.embed(name, input: input.projected, rows: rows, cols: input.componentCount,
                                            labels: labels, classes: classes, tsne: tsne, seed: seed)
            }
            report.value("\(name): final KL", map.result.finalKL, format: "%.3f")
            report.value("\(name): trustworthiness T(5) against the 50-d PCA input", map.trustworthiness, format: "%.3f")
            report.value("\(name): 5-NN accuracy in the 2-D map", 100 * map.mapAccuracy, format: "%.1f", unit: "%")
            maps.append(map)
        }
        return maps
    }
}
