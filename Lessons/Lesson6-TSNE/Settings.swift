import Foundation
import LessonKit
import SimCLR

/// t-SNE's settings, beside the reference implementations.
enum Settings {
    /// t-SNE's schedule beside bhtsne's and scikit-learn's, and the perplexity calibration
    /// measured on one real input.
    /// - Parameters:
    ///   - tsne: the settings the lesson embeds with.
    ///   - rows: number of images mapped.
    ///   - input: a t-SNE input (its `projected` coordinates) to calibrate on.
    static func check(_ report: Report, tsne: TSNE, rows: Int, input: PCA) throws {
        let exact = tsne.method == .exact
        report.check("perplexity (scikit-learn's default)", source: .implementation, document: 30, ours: tsne.perplexity,
                     tolerance: 0, format: "%.0f")
        // Each point's Gaussian gets its own width, found by bisection, so that the
        // distribution over its neighbours has entropy log(perplexity).
        let entropies = exact
            ? try TSNE.exactProbabilities(input.projected, rows: rows, cols: input.componentCount,
                                          perplexity: tsne.perplexity).conditionalEntropies
            : try TSNE.sparseProbabilities(input.projected, rows: rows, cols: input.componentCount,
                                           perplexity: tsne.perplexity).conditionalEntropies
        let reached = entropies.map { exp($0) }
        report.check("perplexity each point's Gaussian reaches (mean)", source: .implementation, document: tsne.perplexity,
                     ours: reached.reduce(0, +) / Double(reached.count), tolerance: 0.001, format: "%.4f")
        report.say(String(format: "(over all %d points: %.4f to %.4f; %@)", rows, reached.min() ?? 0, reached.max() ?? 0,
                          exact ? "exact t-SNE, every other point a candidate"
                              : "Barnes-Hut t-SNE, the \(Int(3 * tsne.perplexity)) nearest neighbours as candidates"))
        report.check("early exaggeration of P (bhtsne, scikit-learn)", source: .implementation, document: 12,
                     ours: tsne.earlyExaggeration, tolerance: 0, format: "%.0f")
        report.check("iterations with early exaggeration", source: .implementation, document: 250,
                     ours: Double(tsne.exaggerationIterations), tolerance: 0, format: "%.0f")
        report.check("momentum during / after exaggeration", source: .implementation, document: "0.5 / 0.8",
                     ours: String(format: "%.1f / %.1f", tsne.initialMomentum, tsne.finalMomentum))
        report.check("iterations in all", source: .implementation, document: 1_000, ours: Double(tsne.iterations), tolerance: 0,
                     format: "%,.0f")
        let auto = max(Double(rows) / 12 / 4, 50)
        report.check("learning rate 'auto' = max(N / 12 / 4, 50), N = \(Report.format(Double(rows), "%,.0f"))",
                     source: .implementation, document: auto, ours: tsne.resolvedLearningRate(points: rows), tolerance: 1e-9,
                     format: "%.1f")
        report.say("(scikit-learn's rule since 1.2; bhtsne's fixed η = 200 is the same step up to N = 2,400,")
        report.say(" because bhtsne's gradient leaves out a factor 4)")
        report.check("Barnes-Hut opening angle θ", source: .implementation, document: 0.5, ours: exact ? 0 : tsne.theta,
                     tolerance: 0, format: "%.1f",
                     unless: .differentSetup("--exact-tsne computes the exact gradient over all pairs (θ = 0 in effect)",
                                             when: exact))
        report.check("initial map (scikit-learn 1.2+)", source: .implementation, document: "PCA, scaled to std 1e-4",
                     ours: tsne.initialization == .pca ? "PCA, scaled to std 1e-4" : "random")
        report.text("gradient", exact ? "exact, all N² pairs (--exact-tsne)" : "Barnes-Hut quadtree, O(N log N) per step")
    }
}
