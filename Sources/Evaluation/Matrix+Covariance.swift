import Core

extension Matrix {
    /// Column means of `x` (`rows x cols`), accumulated in `Double` so that thousands of
    /// rows of pixel values do not lose digits.
    public static func columnMeans(_ x: [Float], rows: Int, cols: Int) -> [Double] {
        contract(x.count == rows * cols && rows > 0, "x must be rows x cols")
        var mean = [Double](repeating: 0, count: cols)
        for r in 0 ..< rows {
            for c in 0 ..< cols { mean[c] += Double(x[r * cols + c]) }
        }
        for c in 0 ..< cols { mean[c] /= Double(rows) }
        return mean
    }

    /// The Gram matrix `G = xᵀ x` (`cols x cols`) of a centred `x` (`rows x cols`),
    /// so `G / (rows - 1)` is the sample covariance.
    ///
    /// Shape contract: `x.count == rows * cols`; the result is `cols x cols`, symmetric.
    /// Dispatches on `path`: `.reference` is the formula as three loops,
    /// `.optimized` a register-tiled SIMD kernel over both cores (`gramOptimized`).
    public static func gram(_ x: [Float], rows: Int, cols: Int, path: ComputePath = .current) -> [Float] {
        switch path {
        case .reference: return gramReference(x, rows: rows, cols: cols)
        case .optimized: return gramOptimized(x, rows: rows, cols: cols)
        }
    }

    /// `G[a][b] = Σ_r x[r][a] x[r][b]`, as written. Same contract as `gram`.
    public static func gramReference(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        contract(x.count == rows * cols, "x must be rows x cols")
        var g = [Float](repeating: 0, count: cols * cols)
        for a in 0 ..< cols {
            for b in a ..< cols {
                var sum: Float = 0
                for r in 0 ..< rows { sum += x[r * cols + a] * x[r * cols + b] }
                g[a * cols + b] = sum
                g[b * cols + a] = sum
            }
        }
        return g
    }

    /// Same result as `gramReference` (up to Float summation order), fast.
    ///
    /// The rows of `x` are walked in chunks of 64 so that one chunk (64 x cols floats,
    /// 786 KB at 3,072 columns) stays in L2 while every tile of G is updated from it.
    /// A tile is 8 rows x 32 columns of G held in 16 `SIMD16<Float>` registers: each
    /// row of the chunk loads two vectors `x[r][b ..< b+32]` and broadcasts eight
    /// scalars `x[r][a ..< a+8]`, 16 fused multiply-adds per two loads. Only tiles on or
    /// above the diagonal are computed, then mirrored. Rows of G are split over the cores.
    public static func gramOptimized(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        contract(x.count == rows * cols, "x must be rows x cols")
        // Pad the columns to a multiple of 32 with zeros: every tile is then full.
        let padded = (cols + 31) / 32 * 32
        var xp = [Float](repeating: 0, count: rows * padded)
        for r in 0 ..< rows {
            for c in 0 ..< cols { xp[r * padded + c] = x[r * cols + c] }
        }
        var gp = [Float](repeating: 0, count: padded * padded)
        let rowTiles = padded / 8
        let chunk = 64
        xp.withUnsafeBufferPointer { xb in
            gp.withUnsafeMutableBufferPointer { gb in
                let xptr = xb.baseAddress!, gptr = gb.baseAddress!
                var r0 = 0
                while r0 < rows {
                    let r1 = min(rows, r0 + chunk)
                    // Tile rows high in G have fewer tiles to their right; interleaving
                    // tile rows across the threads balances the triangle.
                    Parallel.forEach(Parallel.threadCount) { t in
                        var tile = t
                        while tile < rowTiles {
                            let a0 = tile * 8
                            var b0 = a0 / 32 * 32
                            while b0 < padded {
                                gramTile(xptr, stride: padded, r0: r0, r1: r1, a0: a0, b0: b0,
                                         g: gptr + a0 * padded + b0, ldg: padded)
                                b0 += 32
                            }
                            tile += Parallel.threadCount
                        }
                    }
                    r0 = r1
                }
            }
        }
        var g = [Float](repeating: 0, count: cols * cols)
        for a in 0 ..< cols {
            for b in a ..< cols {
                let v = gp[a * padded + b]
                g[a * cols + b] = v
                g[b * cols + a] = v
            }
        }
        return g
    }

    /// `G[a0 ..< a0+8][b0 ..< b0+32] += Σ_{r in r0 ..< r1} x[r][a] x[r][b]`.
    @inline(__always)
    private static func gramTile(_ x: UnsafePointer<Float>, stride: Int, r0: Int, r1: Int,
                                 a0: Int, b0: Int, g: UnsafeMutablePointer<Float>, ldg: Int) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
        var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
        for r in r0 ..< r1 {
            let row = x + r * stride
            let v0 = loadVector16(row + b0), v1 = loadVector16(row + b0 + 16)
            let a = row + a0
            var s = SIMD16<Float>(repeating: a[0]); c00 += s * v0; c01 += s * v1
            s = SIMD16<Float>(repeating: a[1]); c10 += s * v0; c11 += s * v1
            s = SIMD16<Float>(repeating: a[2]); c20 += s * v0; c21 += s * v1
            s = SIMD16<Float>(repeating: a[3]); c30 += s * v0; c31 += s * v1
            s = SIMD16<Float>(repeating: a[4]); c40 += s * v0; c41 += s * v1
            s = SIMD16<Float>(repeating: a[5]); c50 += s * v0; c51 += s * v1
            s = SIMD16<Float>(repeating: a[6]); c60 += s * v0; c61 += s * v1
            s = SIMD16<Float>(repeating: a[7]); c70 += s * v0; c71 += s * v1
        }
        addVector16(c00, g); addVector16(c01, g + 16)
        addVector16(c10, g + ldg); addVector16(c11, g + ldg + 16)
        addVector16(c20, g + 2 * ldg); addVector16(c21, g + 2 * ldg + 16)
        addVector16(c30, g + 3 * ldg); addVector16(c31, g + 3 * ldg + 16)
        addVector16(c40, g + 4 * ldg); addVector16(c41, g + 4 * ldg + 16)
        addVector16(c50, g + 5 * ldg); addVector16(c51, g + 5 * ldg + 16)
        addVector16(c60, g + 6 * ldg); addVector16(c61, g + 6 * ldg + 16)
        addVector16(c70, g + 7 * ldg); addVector16(c71, g + 7 * ldg + 16)
    }
}

/// Sixteen floats from `p` (no alignment needed).
@inline(__always)
func loadVector16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// `p[0 ..< 16] += v`.
@inline(__always)
func addVector16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    let sum = loadVector16(UnsafePointer(p)) + v
    UnsafeMutableRawPointer(p).storeBytes(of: sum, as: SIMD16<Float>.self)
}
