import Core

/// t-distributed stochastic neighbour embedding into the plane (van der Maaten &
/// Hinton 2008): the map Lesson 6 draws to show whether SimCLR features cluster by class.
///
/// ```swift
/// let reduced = try PCA(features, rows: n, cols: 128, components: 50)
/// let map = try TSNE().embed(reduced.projected, rows: n, cols: 50, seed: 0) { iteration, kl in
///     print("iteration \(iteration): KL \(kl)")
/// }
/// // map.points is n x 2; map.finalKL the divergence of the final map.
/// ```
///
/// The schedule follows scikit-learn's `TSNE` (1.2 and later) and bhtsne's `tsne.cpp`:
/// input similarities calibrated to a perplexity (30), early exaggeration 12 for the
/// first 250 iterations with momentum 0.5, then momentum 0.8, gradient descent with
/// per-parameter gains (+0.2 when the gradient changes sign against the last step,
/// ×0.8 otherwise, at least 0.01), 1,000 iterations, no gradient clipping. Two details
/// follow scikit-learn where the two differ: the gains and the momentum buffer restart
/// when exaggeration ends (scikit-learn runs the two phases as two calls of its
/// `_gradient_descent`), and the map is not re-centred each step (bhtsne re-centres;
/// t-SNE's objective does not depend on the centre).
///
/// Optimizer state (positions, steps, gains) and all gradient sums are `Double`: the
/// map starts at a scale of 1e-4 and ends near 50, `Z` sums up to N² terms, and the
/// state is only `N x 2` values, so the precision costs nothing measurable. Inputs and
/// input-space distances stay `Float`.
///
/// Methods: `.exact` computes `P` over all pairs and the exact O(N²) gradient with plain
/// loops; `.barnesHut` uses `P` over the ⌊3 · perplexity⌋ nearest neighbours and the
/// Barnes-Hut gradient (quadtree, θ = 0.5) on both cores. They are two algorithms, not a
/// reference and an optimized path of one computation: their maps differ (each is a local
/// minimum of its own objective), so the choice is this setting, not `ComputePath`.
public struct TSNE: Sendable {
    /// The gradient-descent step size.
    public enum LearningRate: Sendable, Equatable {
        /// A fixed step, in the units of the true gradient (scikit-learn's units;
        /// bhtsne's `eta = 200` corresponds to `.fixed(50)` because bhtsne's gradient
        /// omits the factor 4). `.fixed(200)` is scikit-learn's default before 1.2.
        case fixed(Double)
        /// `max(N / earlyExaggeration / 4, 50)`: scikit-learn's `'auto'` (its default
        /// since 1.2, after Belkina et al. 2019 and Linderman & Steinerberger 2019),
        /// which grows the step with N so that large maps converge in 1,000 iterations.
        case auto
    }

    /// Where the map starts.
    public enum Initialization: Sendable, Equatable {
        /// The first two principal components of the input, scaled so that the first
        /// has standard deviation 1e-4 (both by the same factor, keeping the shape), as
        /// scikit-learn's `init='pca'` does since 1.2 (its issue #18018).
        case pca
        /// Independent normal coordinates with standard deviation 1e-4 from the seed,
        /// as bhtsne and scikit-learn's `init='random'` do.
        case random
    }

    /// Which algorithm computes the similarities and the gradient.
    public enum Method: String, Sendable, Equatable, CaseIterable {
        /// All N² pairs: exact, O(N²) per step (the t-SNE paper; scikit-learn's `method='exact'`).
        case exact
        /// Nearest neighbours and a quadtree: O(N log N) per step (van der Maaten 2014;
        /// bhtsne and scikit-learn's default).
        case barnesHut = "barnes-hut"
    }

    /// One report of the optimisation: after `iteration` steps, the map's divergence.
    public struct Progress: Sendable, Equatable {
        public let iteration: Int
        public let kl: Double
        public init(iteration: Int, kl: Double) {
            self.iteration = iteration
            self.kl = kl
        }
    }

    /// A finished map.
    public struct Result: Sendable {
        /// `rows x 2` row-major map coordinates.
        public let points: [Float]
        /// Number of points.
        public let rows: Int
        /// `KL(P ‖ Q)` every `reportEvery` iterations.
        ///
        /// The exact method computes it exactly; Barnes-Hut with its estimate of
        /// `Z`. During exaggeration it is the divergence from the true `P`, not the
        /// exaggerated one.
        public let history: [Progress]
        /// `KL(P ‖ Q)` of the returned map with the exact `Z`, against the `P` its
        /// method used (all pairs for `.exact`, nearest neighbours for `.barnesHut`).
        public let finalKL: Double
        /// The step size used (resolved from `.auto`).
        public let learningRate: Double
    }

    public var method: Method
    public var perplexity: Double
    public var iterations: Int
    public var learningRate: LearningRate
    public var earlyExaggeration: Double
    public var exaggerationIterations: Int
    public var initialMomentum: Double
    public var finalMomentum: Double
    public var minimumGain: Double
    public var theta: Double
    public var initialization: Initialization
    public var reportEvery: Int

    /// - Parameters:
    ///   - method: `.barnesHut` (default) or `.exact`.
    ///   - perplexity: effective number of neighbours per point (30).
    ///   - iterations: gradient steps in all (1,000).
    ///   - learningRate: `.auto` by default — it equals bhtsne's η = 200 up to N = 2,400
    ///     and grows with N beyond, and it is what scikit-learn, the comparison, uses.
    ///   - earlyExaggeration: factor on `P` during the first phase (12).
    ///   - exaggerationIterations: length of that phase; momentum switches then (250).
    ///   - theta: Barnes-Hut opening angle (0.5).
    ///   - initialization: `.pca` (default) or `.random`.
    ///   - reportEvery: iterations between KL reports (50).
    public init(method: Method = .barnesHut, perplexity: Double = 30, iterations: Int = 1000, learningRate: LearningRate = .auto,
                earlyExaggeration: Double = 12, exaggerationIterations: Int = 250,
                theta: Double = 0.5, initialization: Initialization = .pca, reportEvery: Int = 50) {
        self.method = method
        self.perplexity = perplexity
        self.iterations = iterations
        self.learningRate = learningRate
        self.earlyExaggeration = earlyExaggeration
        self.exaggerationIterations = exaggerationIterations
        self.initialMomentum = 0.5
        self.finalMomentum = 0.8
        self.minimumGain = 0.01
        self.theta = theta
        self.initialization = initialization
        self.reportEvery = reportEvery
    }

    /// The step size for `n` points.
    public func resolvedLearningRate(points n: Int) -> Double {
        switch learningRate {
        case .fixed(let eta): return eta
        case .auto: return max(Double(n) / earlyExaggeration / 4, 50)
        }
    }

    /// Embeds the rows of `x` in the plane.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major input, one point per row (reduce it to about 50
    ///     dimensions with `PCA` first: distances are cheaper and less noisy).
    ///   - rows: number of points `N`; the perplexity must be below `N − 1`.
    ///   - cols: input dimensions.
    ///   - seed: seeds `.random` initialisation (`.pca` is deterministic without it).
    ///   - progress: called every `reportEvery` iterations with the iteration count and KL.
    /// - Returns: the `N x 2` map, the KL history and the final KL.
    /// - Throws: `EmbeddingError` for shapes, perplexity or values that cannot work.
    public func embed(_ x: [Float], rows: Int, cols: Int, seed: UInt64 = 0,
                      progress: ((_ iteration: Int, _ kl: Double) -> Void)? = nil) throws -> Result {
        guard iterations >= 0, reportEvery >= 1, earlyExaggeration >= 1, theta >= 0 else {
            throw EmbeddingError("t-SNE: iterations, reportEvery, earlyExaggeration (>= 1) and theta must not be negative")
        }
        let dense: DenseProbabilities?
        let sparse: SparseProbabilities?
        switch method {
        case .exact:
            dense = try TSNE.exactProbabilities(x, rows: rows, cols: cols, perplexity: perplexity)
            sparse = nil
        case .barnesHut:
            dense = nil
            sparse = try TSNE.sparseProbabilities(x, rows: rows, cols: cols, perplexity: perplexity)
        }
        var y = try initialMap(x, rows: rows, cols: cols, seed: seed)
        let eta = resolvedLearningRate(points: rows)
        var update = [Double](repeating: 0, count: 2 * rows)
        var gains = [Double](repeating: 1, count: 2 * rows)
        var momentum = initialMomentum
        var history: [Progress] = []
        for iteration in 0 ..< iterations {
            if iteration == exaggerationIterations {
                momentum = finalMomentum
                for k in 0 ..< 2 * rows { update[k] = 0; gains[k] = 1 }
            }
            let alpha = iteration < exaggerationIterations ? earlyExaggeration : 1
            let report = (iteration + 1) % reportEvery == 0
            let objective: Objective
            if let dense {
                objective = TSNE.exactGradient(dense, points: y, exaggeration: alpha, computeKL: report)
            } else {
                objective = TSNE.barnesHutGradient(sparse!, points: y, theta: theta, exaggeration: alpha,
                                                   computeKL: report)
            }
            let g = objective.gradient
            for k in 0 ..< 2 * rows {
                // Grow the gain while the gradient keeps opposing the last step's
                // direction (we are still going downhill the same way), shrink it otherwise.
                gains[k] = update[k] * g[k] < 0 ? gains[k] + 0.2 : gains[k] * 0.8
                gains[k] = max(gains[k], minimumGain)
                update[k] = momentum * update[k] - eta * gains[k] * g[k]
                y[k] += update[k]
            }
            if report, let kl = objective.kl {
                history.append(Progress(iteration: iteration + 1, kl: kl))
                progress?(iteration + 1, kl)
            }
        }
        let finalKL = dense.map { TSNE.klDivergence($0, points: y) } ?? TSNE.klDivergence(sparse!, points: y)
        return Result(points: y.map { Float($0) }, rows: rows, history: history, finalKL: finalKL,
                      learningRate: eta)
    }

    /// The starting map, `N x 2` row-major.
    func initialMap(_ x: [Float], rows: Int, cols: Int, seed: UInt64) throws -> [Double] {
        switch initialization {
        case .random:
            var generator = SeededGenerator(seed: seed)
            return (0 ..< 2 * rows).map { _ in 1e-4 * generator.normal() }
        case .pca:
            guard cols >= 2 else {
                throw EmbeddingError("t-SNE: PCA initialisation needs at least 2 input columns, got \(cols); use initialization: .random")
            }
            let pca = try PCA(x, rows: rows, cols: cols, components: 2)
            var y = pca.projected.map { Double($0) }
            var mean = 0.0, square = 0.0
            for i in 0 ..< rows { mean += y[2 * i] }
            mean /= Double(rows)
            for i in 0 ..< rows { square += (y[2 * i] - mean) * (y[2 * i] - mean) }
            let std = (square / Double(rows)).squareRoot()
            guard std > 0 else {
                throw EmbeddingError("t-SNE: all \(rows) input points are identical, there is nothing to embed")
            }
            for k in 0 ..< y.count { y[k] *= 1e-4 / std }
            return y
        }
    }
}
