import Core

extension TSNE {
    /// Squared Euclidean distances from row `i` of `x` to every row, by SIMD over columns.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major.
    ///   - out: `rows` values; `out[i]` is 0.
    static func squaredDistances(from i: Int, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                 into out: UnsafeMutablePointer<Float>) {
        let xi = x + i * cols
        for j in 0 ..< rows {
            let xj = x + j * cols
            var acc = SIMD16<Float>()
            var c = 0
            while c + 16 <= cols {
                let d = xi.simd16(c) - xj.simd16(c)
                acc += d * d
                c += 16
            }
            var sum = acc.laneSum()
            while c < cols {
                let d = xi[c] - xj[c]
                sum += d * d
                c += 1
            }
            out[j] = sum
        }
    }

    /// The `k` nearest neighbours of every row of `x` (itself excluded), exactly, by
    /// brute force.
    ///
    /// One SIMD distance row per point, a bounded max-heap for the `k` smallest, rows split
    /// over the cores. Ties go to the lower index, so the result does not depend on the
    /// thread count.
    ///
    /// - Parameters:
    ///   - x: `rows x cols` row-major.
    ///   - k: neighbours per point, `1 ..< rows`.
    /// - Returns: `rows x k` neighbour indices and their squared distances, nearest first.
    public static func nearestNeighbours(_ x: [Float], rows: Int, cols: Int, k: Int)
        -> (indices: [Int32], squaredDistances: [Float]) {
        contract(x.count == rows * cols && k >= 1 && k < rows, "x must be rows x cols and 1 <= k < rows")
        var indices = [Int32](repeating: 0, count: rows * k)
        var distances = [Float](repeating: 0, count: rows * k)
        x.withUnsafeBufferPointer { xb in
            indices.withUnsafeMutableBufferPointer { ib in
                distances.withUnsafeMutableBufferPointer { db in
                    let xp = xb.baseAddress!, ip = ib.baseAddress!, dp = db.baseAddress!
                    Parallel.forChunks(rows, minimumChunk: 16) { range in
                        let row = UnsafeMutablePointer<Float>.allocate(capacity: rows)
                        defer { row.deallocate() }
                        var heap = NeighbourHeap(capacity: k)
                        for i in range {
                            squaredDistances(from: i, xp, rows: rows, cols: cols, into: row)
                            heap.removeAll()
                            for j in 0 ..< rows where j != i { heap.offer(row[j], Int32(j)) }
                            heap.writeSorted(indices: ip + i * k, distances: dp + i * k)
                        }
                    }
                }
            }
        }
        return (indices, distances)
    }
}

/// The `capacity` smallest (distance, index) pairs seen so far, as a max-heap whose root
/// is the worst kept pair; a new pair enters only if it beats the root.
struct NeighbourHeap {
    private var keys: [Float] = []
    private var ids: [Int32] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        keys.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func worse(_ a: Int, _ b: Int) -> Bool {
        keys[a] != keys[b] ? keys[a] > keys[b] : ids[a] > ids[b]
    }

    mutating func offer(_ key: Float, _ id: Int32) {
        if keys.count < capacity {
            keys.append(key)
            ids.append(id)
            var c = keys.count - 1
            while c > 0 {
                let parent = (c - 1) / 2
                if !worse(c, parent) { break }
                keys.swapAt(c, parent)
                ids.swapAt(c, parent)
                c = parent
            }
            return
        }
        if key > keys[0] || (key == keys[0] && id > ids[0]) { return }
        keys[0] = key
        ids[0] = id
        var c = 0
        while true {
            let l = 2 * c + 1, r = l + 1
            var top = c
            if l < keys.count && worse(l, top) { top = l }
            if r < keys.count && worse(r, top) { top = r }
            if top == c { break }
            keys.swapAt(c, top)
            ids.swapAt(c, top)
            c = top
        }
    }

    /// Writes the kept pairs nearest first.
    func writeSorted(indices: UnsafeMutablePointer<Int32>, distances: UnsafeMutablePointer<Float>) {
        let order = (0 ..< keys.count).sorted { a, b in
            keys[a] != keys[b] ? keys[a] < keys[b] : ids[a] < ids[b]
        }
        for (slot, at) in order.enumerated() {
            indices[slot] = ids[at]
            distances[slot] = keys[at]
        }
    }
}
