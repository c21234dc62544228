import Core
import Foundation

extension TSNE {
    /// The Barnes-Hut approximation of `exactGradient` (van der Maaten 2014,
    /// "Accelerating t-SNE using Tree-Based Algorithms"), with sparse `P`.
    ///
    /// The gradient splits into attraction and repulsion,
    ///
    ///     ∂C/∂y_i = 4 (Σ_j α p_ij w_ij (y_i − y_j) − Σ_j w_ij² (y_i − y_j) / Z),
    ///
    /// and `P` is sparse, so attraction costs O(N k). Repulsion and `Z` need all pairs;
    /// a quadtree of the map lets a whole cell act as one point of weight `N_cell` at its
    /// centre of mass when it looks small from `y_i`: `side² < θ² ‖y_i − y_cell‖²`, the
    /// cell's full side as in scikit-learn's `_quad_tree` (bhtsne compares the half side,
    /// a looser test at the same θ). At θ = 0 no cell is summarised and the result equals
    /// the exact gradient. Each point's traversal and its attraction row run in
    /// parallel; per-point partial sums are added in index order, so the result does
    /// not depend on the thread count.
    ///
    /// - Parameters:
    ///   - p: joint probabilities from `sparseProbabilities`.
    ///   - y: `N x 2` row-major map.
    ///   - theta: opening angle θ (0.5 as bhtsne and scikit-learn); keep it below 0.7 so
    ///     that a cell never summarises the point it contains.
    ///   - exaggeration: `α`, multiplies `P` in the attraction.
    ///   - computeKL: also return `KL(P ‖ Q)` over the stored pairs, with the
    ///     Barnes-Hut estimate of `Z` (as both reference implementations report it).
    public static func barnesHutGradient(_ p: SparseProbabilities, points y: [Double], theta: Double = 0.5,
                                         exaggeration: Double = 1, computeKL: Bool = false) -> Objective {
        let n = p.count
        contract(y.count == 2 * n, "y must be N x 2")
        var repulsion = [Double](repeating: 0, count: 2 * n)
        var zPartial = [Double](repeating: 0, count: n)
        y.withUnsafeBufferPointer { yb in
            let yp = yb.baseAddress!
            let tree = QuadTree(points: yp, count: n)
            repulsion.withUnsafeMutableBufferPointer { rb in
                zPartial.withUnsafeMutableBufferPointer { zb in
                    let rp = rb.baseAddress!, zp = zb.baseAddress!
                    tree.cells.withUnsafeBufferPointer { cb in
                        tree.sideSquared.withUnsafeBufferPointer { sb in
                            tree.leafOf.withUnsafeBufferPointer { lb in
                                Parallel.forChunks(n, minimumChunk: 64) { range in
                                    for i in range {
                                        repel(i, yp, cells: cb.baseAddress!, sideSquared: sb.baseAddress!,
                                              leaf: Int(lb[i]), thetaSquared: theta * theta,
                                              force: rp + 2 * i, z: zp + i)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var z = 0.0
        for i in 0 ..< n { z += zPartial[i] }
        var gradient = [Double](repeating: 0, count: 2 * n)
        var klPartial = [Double](repeating: 0, count: n)
        p.values.withUnsafeBufferPointer { vb in
            p.columns.withUnsafeBufferPointer { cb in
                y.withUnsafeBufferPointer { yb in
                    gradient.withUnsafeMutableBufferPointer { gb in
                        klPartial.withUnsafeMutableBufferPointer { kb in
                            let vp = vb.baseAddress!, cp = cb.baseAddress!, yp = yb.baseAddress!
                            let gp = gb.baseAddress!, kp = kb.baseAddress!
                            Parallel.forChunks(n, minimumChunk: 256) { range in
                                for i in range {
                                    var fx = 0.0, fy = 0.0, kl = 0.0
                                    let xi = yp[2 * i], yi = yp[2 * i + 1]
                                    for e in p.rowStart[i] ..< p.rowStart[i + 1] {
                                        let j = Int(cp[e])
                                        let dx = xi - yp[2 * j], dy = yi - yp[2 * j + 1]
                                        let w = 1 / (1 + dx * dx + dy * dy)
                                        let pw = exaggeration * vp[e] * w
                                        fx += pw * dx
                                        fy += pw * dy
                                        if computeKL && vp[e] > 0 { kl += vp[e] * log(vp[e] * z / w) }
                                    }
                                    gp[2 * i] = 4 * (fx - repulsion[2 * i] / z)
                                    gp[2 * i + 1] = 4 * (fy - repulsion[2 * i + 1] / z)
                                    kp[i] = kl
                                }
                            }
                        }
                    }
                }
            }
        }
        var kl = 0.0
        if computeKL { for i in 0 ..< n { kl += klPartial[i] } }
        return Objective(gradient: gradient, kl: computeKL ? kl : nil)
    }

    /// Walks the tree from the root for point `i`, adding `Σ N_cell w² (y_i − y_cell)`
    /// to `force` and `Σ N_cell w` to `z`. The point's own leaf counts without it.
    @inline(__always)
    static func repel(_ i: Int, _ y: UnsafePointer<Double>, cells: UnsafePointer<QuadTree.Cell>,
                      sideSquared: UnsafePointer<Double>, leaf: Int, thetaSquared: Double,
                      force: UnsafeMutablePointer<Double>, z: UnsafeMutablePointer<Double>) {
        let xi = y[2 * i], yi = y[2 * i + 1]
        var fx = 0.0, fy = 0.0, sum = 0.0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * QuadTree.maxDepth + 8) { stack in
            var top = 0
            stack[0] = 0
            top = 1
            while top > 0 {
                top -= 1
                let c = Int(stack[top])
                let cell = cells[c]
                if cell.count == 0 { continue }
                var count = Double(cell.count), cx = cell.x, cy = cell.y
                if cell.firstChild < 0 {
                    if c == leaf {
                        // Leave the point itself out of its leaf's mass.
                        if cell.count == 1 { continue }
                        cx = (cx * count - xi) / (count - 1)
                        cy = (cy * count - yi) / (count - 1)
                        count -= 1
                    }
                } else {
                    let dx = xi - cx, dy = yi - cy
                    if !(sideSquared[c] < thetaSquared * (dx * dx + dy * dy)) {
                        let first = cell.firstChild
                        stack[top] = first; stack[top + 1] = first + 1
                        stack[top + 2] = first + 2; stack[top + 3] = first + 3
                        top += 4
                        continue
                    }
                }
                let dx = xi - cx, dy = yi - cy
                let w = 1 / (1 + dx * dx + dy * dy)
                let m = count * w
                sum += m
                fx += m * w * dx
                fy += m * w * dy
            }
        }
        force[0] = fx
        force[1] = fy
        z[0] = sum
    }

    /// `KL(P ‖ Q)` of a map over the stored pairs of a sparse `P`, with the exact `Z`
    /// (all pairs, rows split over the cores): the number reported as the final KL.
    ///
    /// - Parameters:
    ///   - p: joint probabilities.
    ///   - y: `N x 2` row-major map.
    public static func klDivergence(_ p: SparseProbabilities, points y: [Double]) -> Double {
        let n = p.count
        contract(y.count == 2 * n, "y must be N x 2")
        var zPartial = [Double](repeating: 0, count: n)
        y.withUnsafeBufferPointer { yb in
            zPartial.withUnsafeMutableBufferPointer { zb in
                let yp = yb.baseAddress!, zp = zb.baseAddress!
                Parallel.forChunks(n, minimumChunk: 64) { range in
                    for i in range {
                        var s = 0.0
                        let xi = yp[2 * i], yi = yp[2 * i + 1]
                        for j in 0 ..< n where j != i {
                            let dx = xi - yp[2 * j], dy = yi - yp[2 * j + 1]
                            s += 1 / (1 + dx * dx + dy * dy)
                        }
                        zp[i] = s
                    }
                }
            }
        }
        var z = 0.0
        for i in 0 ..< n { z += zPartial[i] }
        var kl = 0.0
        for i in 0 ..< n {
            for e in p.rowStart[i] ..< p.rowStart[i + 1] where p.values[e] > 0 {
                let j = Int(p.columns[e])
                let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                let w = 1 / (1 + dx * dx + dy * dy)
                kl += p.values[e] * log(p.values[e] * z / w)
            }
        }
        return kl
    }
}
