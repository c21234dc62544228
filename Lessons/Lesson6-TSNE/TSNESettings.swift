import Foundation
import LessonKit
import SimCLR

/// t-SNE's settings, beside the reference implementations.
enum TSNESettings {
    /// t-SNE's schedule beside bhtsne's and scikit-learn's, as a table.
    /// - Parameters:
    ///   - tsne: the settings the lesson embeds with.
    ///   - rows: number of images mapped.
    static func table(_ report: Report, tsne: TSNE, rows: Int) {
        let exact = tsne.method == .exact
        // Settings are constants we chose to match the references: shown side by side, not
        // checked (a check must compare something the run measured).
        let auto = max(Double(rows) / 12 / 4, 50)
        report.table([.left("setting"), .left("bhtsne / scikit-learn"), .left("ours")], [
            ["perplexity", "30 (scikit-learn's default)", String(format: "%.0f", tsne.perplexity)],
            ["early exaggeration of P", "12", String(format: "%.0f", tsne.earlyExaggeration)],
            ["iterations with early exaggeration", "250", "\(tsne.exaggerationIterations)"],
            ["momentum during / after exaggeration", "0.5 / 0.8",
             String(format: "%.1f / %.1f", tsne.initialMomentum, tsne.finalMomentum)],
            ["iterations in all", "1,000", Report.format(Double(tsne.iterations), "%,.0f")],
            ["learning rate 'auto' = max(N / 12 / 4, 50), N = \(Report.format(Double(rows), "%,.0f"))",
             String(format: "%.1f", auto), String(format: "%.1f", tsne.resolvedLearningRate(points: rows))],
            ["Barnes-Hut opening angle θ", "0.5", exact ? "exact gradient (--exact-tsne)" : String(format: "%.1f", tsne.theta)],
            ["initial map", "PCA, scaled to std 1e-4 (scikit-learn 1.2+)",
             tsne.initialization == .pca ? "PCA, scaled to std 1e-4" : "random"],
        ])
        report.say("""
            (scikit-learn's learning-rate rule since 1.2; bhtsne's fixed η = 200 is the same step up to N = 2,400, \
            because bhtsne's gradient leaves out a factor 4)
            """)
    }

    /// The spread of the perplexities the points' Gaussians reached, and how t-SNE's gradient is computed.
    static func describeCalibration(_ report: Report, tsne: TSNE, reached: [Double]) {
        let exact = tsne.method == .exact
        report.say(String(format: "(over all %d points: %.4f to %.4f; %@)", reached.count, reached.min() ?? 0, reached.max() ?? 0,
                          exact ? "exact t-SNE, every other point a candidate"
                              : "Barnes-Hut t-SNE, the \(Int(3 * tsne.perplexity)) nearest neighbours as candidates"))
        report.text("gradient", exact ? "exact, all N² pairs (--exact-tsne)" : "Barnes-Hut quadtree, O(N log N) per step")
    }
}
