/// A point-region quadtree over a 2-D t-SNE map, for Barnes-Hut summaries.
///
/// As bhtsne's `SPTree` in two dimensions: every cell knows how many points it holds
/// and their centre of mass; a leaf holds one point (or several at exactly the same
/// place, or past `maxDepth`, where subdividing cannot separate them). The cells live
/// in one flat array, four siblings side by side, so a traversal touches no allocator.
struct QuadTree {
    /// What a traversal reads, 32 bytes per cell.
    struct Cell {
        /// Centre of mass of the points inside.
        var x: Double
        var y: Double
        /// Number of points inside.
        var count: Int32
        /// Index of the first of four children, or −1 for a leaf.
        var firstChild: Int32
    }

    /// Cells deeper than this stop subdividing (points closer than 2⁻⁴⁰ of the map).
    static let maxDepth = 40

    private(set) var cells: [Cell] = []
    /// `(largest side of cell)²`, for the opening test `side² < θ² d²`.
    private(set) var sideSquared: [Double] = []
    /// The leaf that holds each point.
    private(set) var leafOf: [Int32]

    // Construction-only geometry: cell centre and half-sides, and per-leaf point lists.
    private var centreX: [Double] = [], centreY: [Double] = []
    private var halfX: [Double] = [], halfY: [Double] = []
    private var head: [Int32] = []
    private var next: [Int32]
    private var residentPositions: [Double]

    /// Builds the tree of the `N x 2` row-major map `points`.
    init(points: UnsafePointer<Double>, count n: Int) {
        leafOf = [Int32](repeating: -1, count: n)
        next = [Int32](repeating: -1, count: n)
        residentPositions = Array(UnsafeBufferPointer(start: points, count: 2 * n))
        var minX = Double.infinity, maxX = -Double.infinity
        var minY = Double.infinity, maxY = -Double.infinity
        for i in 0 ..< n {
            minX = min(minX, points[2 * i]); maxX = max(maxX, points[2 * i])
            minY = min(minY, points[2 * i + 1]); maxY = max(maxY, points[2 * i + 1])
        }
        // A margin keeps points on the boundary inside; a floor keeps a flat map a cell.
        let hx = max((maxX - minX) / 2 * (1 + 1e-6), 1e-12)
        let hy = max((maxY - minY) / 2 * (1 + 1e-6), 1e-12)
        cells.reserveCapacity(4 * n + 1)
        appendCell(cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, hx: hx, hy: hy)
        for i in 0 ..< n { insert(i, x: points[2 * i], y: points[2 * i + 1]) }
        for c in 0 ..< cells.count where cells[c].count > 0 {
            cells[c].x /= Double(cells[c].count)
            cells[c].y /= Double(cells[c].count)
        }
        centreX = []; centreY = []; halfX = []; halfY = []; head = []; next = []; residentPositions = []
    }

    private mutating func appendCell(cx: Double, cy: Double, hx: Double, hy: Double) {
        cells.append(Cell(x: 0, y: 0, count: 0, firstChild: -1))
        let side = 2 * max(hx, hy)
        sideSquared.append(side * side)
        centreX.append(cx); centreY.append(cy)
        halfX.append(hx); halfY.append(hy)
        head.append(-1)
    }

    /// The child of `c` whose quadrant contains `(x, y)`.
    @inline(__always)
    private func child(of c: Int, x: Double, y: Double) -> Int {
        Int(cells[c].firstChild) + (x >= centreX[c] ? 1 : 0) + (y >= centreY[c] ? 2 : 0)
    }

    private mutating func insert(_ i: Int, x: Double, y: Double) {
        var c = 0, depth = 0
        while true {
            // Centres of mass are sums until the build finishes.
            cells[c].count += 1
            cells[c].x += x
            cells[c].y += y
            if cells[c].firstChild >= 0 {
                c = child(of: c, x: x, y: y)
                depth += 1
                continue
            }
            let resident = head[c]
            if resident < 0 || depth >= QuadTree.maxDepth || isAt(Int(resident), x: x, y: y) {
                next[i] = resident
                head[c] = Int32(i)
                leafOf[i] = Int32(c)
                return
            }
            subdivide(c, movingResidentsFrom: Int(resident))
            c = child(of: c, x: x, y: y)
            depth += 1
        }
    }

    private func isAt(_ j: Int, x: Double, y: Double) -> Bool {
        residentPositions[2 * j] == x && residentPositions[2 * j + 1] == y
    }

    /// Splits leaf `c` into four quadrants and moves its residents (all at one place)
    /// into the quadrant that contains them.
    private mutating func subdivide(_ c: Int, movingResidentsFrom first: Int) {
        let first4 = cells.count
        let hx = halfX[c] / 2, hy = halfY[c] / 2
        for quadrant in 0 ..< 4 {
            let cx = centreX[c] + (quadrant & 1 == 1 ? hx : -hx)
            let cy = centreY[c] + (quadrant & 2 == 2 ? hy : -hy)
            appendCell(cx: cx, cy: cy, hx: hx, hy: hy)
        }
        cells[c].firstChild = Int32(first4)
        let px = residentPositions[2 * first], py = residentPositions[2 * first + 1]
        let target = child(of: c, x: px, y: py)
        var j = Int32(first)
        var moved: Int32 = 0
        while j >= 0 {
            leafOf[Int(j)] = Int32(target)
            moved += 1
            j = next[Int(j)]
        }
        cells[target].count = moved
        cells[target].x = px * Double(moved)
        cells[target].y = py * Double(moved)
        head[target] = Int32(first)
        head[c] = -1
    }
}
