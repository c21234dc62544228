import Foundation

/// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4/7.5) with a backtracking Armijo
/// line search.
///
/// It is for smooth convex objectives such as the linear probe's regularised cross
/// entropy. Full-batch and deterministic: the same data gives the same weights.
public struct LBFGS: Sendable {
    public var memory = 10
    public var maxIterations = 500
    /// Stop when the largest gradient component falls below this.
    public var gradientTolerance = 1e-5
    /// Stop when an iteration lowers the objective by less than this (relative).
    public var relativeTolerance = 1e-10

    public init(memory: Int = 10, maxIterations: Int = 500, gradientTolerance: Double = 1e-5) {
        self.memory = memory
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
    }

    /// Why and where the minimisation stopped.
    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        public let iterations: Int
        public let converged: Bool
        public let gradientNorm: Double
    }

    /// Minimises `objective`, which returns the value and gradient at a point.
    public func minimize(from start: [Double], _ objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        var x = start
        var (f, g) = objective(x)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var iteration = 0
        var converged = false
        while iteration < maxIterations {
            let gMax = g.map(abs).max() ?? 0
            if gMax < gradientTolerance { converged = true; break }
            // Two-loop recursion: d = -H·g with H built from the last `memory` pairs.
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[i] = rho[i] * dot(s[i], q)
                axpy(-alpha[i], y[i], &q)
            }
            if let lastS = s.last, let lastY = y.last {
                let gamma = dot(lastS, lastY) / dot(lastY, lastY)
                for i in q.indices { q[i] *= gamma }
            } else {
                let norm = dot(g, g).squareRoot()
                for i in q.indices { q[i] /= max(norm, 1) }
            }
            for i in 0 ..< s.count {
                let beta = rho[i] * dot(y[i], q)
                axpy(alpha[i] - beta, s[i], &q)
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction (numerical trouble): restart with -g
                direction = g.map { -$0 }
                slope = -dot(g, g)
                s.removeAll(); y.removeAll(); rho.removeAll()
            }
            // Backtracking until the Armijo condition f(x + t·d) ≤ f + 1e-4·t·slope holds.
            var t = 1.0
            var candidate = x, fNew = f, gNew = g
            var accepted = false
            for _ in 0 ..< 40 {
                for i in x.indices { candidate[i] = x[i] + t * direction[i] }
                (fNew, gNew) = objective(candidate)
                if fNew <= f + 1e-4 * t * slope { accepted = true; break }
                t *= 0.5
            }
            iteration += 1
            guard accepted else { break }
            let step = zip(candidate, x).map { $0 - $1 }
            let change = zip(gNew, g).map { $0 - $1 }
            let sy = dot(step, change)
            if sy > 1e-12 {
                s.append(step); y.append(change); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            let decrease = f - fNew
            x = candidate; f = fNew; g = gNew
            if decrease <= relativeTolerance * max(1, abs(f)) { converged = true; break }
        }
        return Result(x: x, value: f, iterations: iteration, converged: converged,
                      gradientNorm: dot(g, g).squareRoot())
    }
}

@inline(__always)
private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

@inline(__always)
private func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += a * x[i] }
}
