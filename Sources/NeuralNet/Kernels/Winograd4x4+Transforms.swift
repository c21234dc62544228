import Core

/// The tile and filter transforms of `Winograd4x4`, each a one-dimensional transform down the
/// columns of a tile and then along its rows, as `Winograd.product` multiplies the small
/// matrices (left matrix first). Tiles hold 16 images' values per element, one per lane
/// (`loadBlock`); filters, 16 channels' filters per element.
///
/// The one-dimensional transforms are in this file with their callers: debug builds (what
/// `swift run` builds) compile file by file, and a call to another file's function is not
/// inlined there.
extension Winograd4x4 {
    // MARK: - The one-dimensional transforms, on vectors of 16 tiles

    /// Bᵀ d for one column (or row) of a 6x6 tile, in the reference's order.
    @inline(__always)
    static func input(_ d0: SIMD16<Float>, _ d1: SIMD16<Float>, _ d2: SIMD16<Float>, _ d3: SIMD16<Float>,
                      _ d4: SIMD16<Float>, _ d5: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let four: Float = 4, five: Float = 5, two: Float = 2
        let r0: SIMD16<Float> = (four * d0 - five * d2) + d4
        let r1: SIMD16<Float> = ((-four * d1 - four * d2) + d3) + d4
        let r2: SIMD16<Float> = ((four * d1 - four * d2) - d3) + d4
        let r3: SIMD16<Float> = ((-two * d1 - d2) + two * d3) + d4
        let r4: SIMD16<Float> = ((two * d1 - d2) - two * d3) + d4
        let r5: SIMD16<Float> = (four * d1 - five * d3) + d5
        return (r0, r1, r2, r3, r4, r5)
    }

    /// Aᵀ m for one column (or row) of 6 sums: 4 outputs.
    @inline(__always)
    static func output(_ m0: SIMD16<Float>, _ m1: SIMD16<Float>, _ m2: SIMD16<Float>, _ m3: SIMD16<Float>,
                       _ m4: SIMD16<Float>, _ m5: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let two: Float = 2, four: Float = 4, eight: Float = 8
        let y0: SIMD16<Float> = (((m0 + m1) + m2) + m3) + m4
        let y1: SIMD16<Float> = ((m1 - m2) + two * m3) - two * m4
        let y2: SIMD16<Float> = ((m1 + m2) + four * m3) + four * m4
        let y3: SIMD16<Float> = (((m1 - m2) + eight * m3) - eight * m4) + m5
        return (y0, y1, y2, y3)
    }

    /// A y for one column (or row) of 4 output gradients: 6 values (the transpose of `output`).
    @inline(__always)
    static func outputGradient(_ y0: SIMD16<Float>, _ y1: SIMD16<Float>, _ y2: SIMD16<Float>, _ y3: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let two: Float = 2, four: Float = 4, eight: Float = 8
        let z1: SIMD16<Float> = ((y0 + y1) + y2) + y3
        let z2: SIMD16<Float> = ((y0 - y1) + y2) - y3
        let z3: SIMD16<Float> = ((y0 + two * y1) + four * y2) + eight * y3
        let z4: SIMD16<Float> = ((y0 - two * y1) + four * y2) - eight * y3
        return (y0, z1, z2, z3, z4, y3)
    }

    /// G g for one column (or row) of 3 filter taps: 6 values.
    @inline(__always)
    static func filter(_ g0: SIMD16<Float>, _ g1: SIMD16<Float>, _ g2: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let (q, s, t, f) = (quarter, sixth, twelfth, twentyFourth)
        let u0: SIMD16<Float> = q * g0
        let u1: SIMD16<Float> = (-s * g0 - s * g1) - s * g2
        let u2: SIMD16<Float> = (-s * g0 + s * g1) - s * g2
        let u3: SIMD16<Float> = (f * g0 + t * g1) + s * g2
        let u4: SIMD16<Float> = (f * g0 - t * g1) + s * g2
        return (u0, u1, u2, u3, u4, g2)
    }

    /// Gᵀ p for one column (or row) of 6 sums: 3 filter-gradient values (the transpose of
    /// `filter`).
    @inline(__always)
    static func filterGradient(_ p0: SIMD16<Float>, _ p1: SIMD16<Float>, _ p2: SIMD16<Float>, _ p3: SIMD16<Float>,
                               _ p4: SIMD16<Float>, _ p5: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let (q, s, t, f) = (quarter, sixth, twelfth, twentyFourth)
        let q0: SIMD16<Float> = (((q * p0 - s * p1) - s * p2) + f * p3) + f * p4
        let q1: SIMD16<Float> = ((-s * p1 + s * p2) + t * p3) - t * p4
        let q2: SIMD16<Float> = (((-s * p1 - s * p2) + s * p3) + s * p4) + p5
        return (q0, q1, q2)
    }

    // MARK: - Tiles and filters

    /// Stores one row of a transformed tile, six points, `pointStride` floats apart from `o`
    /// (the layout the GEMMs read: one point's tiles side by side).
    @inline(__always)
    static func storePoints(
        _ row: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
        _ o: UnsafeMutablePointer<Float>, pointStride: Int
    ) {
        o.store(row.0, at: 0); o.store(row.1, at: pointStride); o.store(row.2, at: 2 * pointStride)
        o.store(row.3, at: 3 * pointStride); o.store(row.4, at: 4 * pointStride); o.store(row.5, at: 5 * pointStride)
    }
    /// V = Bᵀ d B for every 6x6 input tile of the block in `scratch.elements`: tile `k` (row-major
    /// over the plane's 4x4 output tiles) is the group's tile `t = firstTile + k`, and goes to the
    /// 16 floats `(t / 2) · pairStride + (t % 2) · 16` from `v` (`Layout.offset`), point
    /// `ξ = 6 r + s` of it `ξ · pointStride` floats further. Pixels outside the plane are zero.
    static func transformInputTiles(_ scratch: BlockScratch, height: Int, width: Int, v: UnsafeMutablePointer<Float>,
                                    firstTile: Int, pairStride: Int, pointStride: Int) {
        let e = UnsafePointer(scratch.elements), t = scratch.half
        let zero = SIMD16<Float>()
        var tile = 0
        for ty in 0 ..< height / 4 {
            for tx in 0 ..< width / 4 {
                let y0 = 4 * ty - 1, x0 = 4 * tx - 1
                @inline(__always) func d(_ r: Int, _ s: Int) -> SIMD16<Float> {
                    let iy = y0 + r, ix = x0 + s
                    return iy >= 0 && iy < height && ix >= 0 && ix < width ? e.simd16(16 * (iy * width + ix)) : zero
                }
                for s in 0 ..< 6 {
                    let c = input(d(0, s), d(1, s), d(2, s), d(3, s), d(4, s), d(5, s))
                    t.store(c.0, at: 16 * s); t.store(c.1, at: 16 * (6 + s)); t.store(c.2, at: 16 * (12 + s))
                    t.store(c.3, at: 16 * (18 + s)); t.store(c.4, at: 16 * (24 + s)); t.store(c.5, at: 16 * (30 + s))
                }
                let column = firstTile + tile
                let out = v + (column / 2) * pairStride + (column % 2) * 16
                for r in 0 ..< 6 {
                    let h = t + 96 * r
                    let row = input(h.simd16(0), h.simd16(16), h.simd16(32), h.simd16(48), h.simd16(64), h.simd16(80))
                    storePoints(row, out + 6 * r * pointStride, pointStride: pointStride)
                }
                tile += 1
            }
        }
    }

    /// Y = Aᵀ M A for every tile of a block: tile `k`'s 36 sums are columns `16 k ..< 16 k + 16`
    /// of `m`, point ξ `ξ · pointStride` floats further; its 4x4 outputs go to their pixels in
    /// `scratch.elements` (a vector per pixel, as `loadBlock` fills it).
    static func transformOutputTiles(_ m: UnsafePointer<Float>, pointStride: Int, height: Int, width: Int,
                                     _ scratch: BlockScratch) {
        let e = scratch.elements, t = scratch.half
        var tile = 0
        for ty in 0 ..< height / 4 {
            for tx in 0 ..< width / 4 {
                let src = m + 16 * tile
                @inline(__always) func sum(_ r: Int, _ s: Int) -> SIMD16<Float> { src.simd16((6 * r + s) * pointStride) }
                for s in 0 ..< 6 {
                    let c = output(sum(0, s), sum(1, s), sum(2, s), sum(3, s), sum(4, s), sum(5, s))
                    t.store(c.0, at: 16 * s); t.store(c.1, at: 16 * (6 + s))
                    t.store(c.2, at: 16 * (12 + s)); t.store(c.3, at: 16 * (18 + s))
                }
                for i in 0 ..< 4 {
                    let h = t + 96 * i
                    let row = output(h.simd16(0), h.simd16(16), h.simd16(32), h.simd16(48), h.simd16(64), h.simd16(80))
                    let o = e + 16 * ((4 * ty + i) * width + 4 * tx)
                    o.store(row.0, at: 0); o.store(row.1, at: 16); o.store(row.2, at: 32); o.store(row.3, at: 48)
                }
                tile += 1
            }
        }
    }

    /// Z = A dY Aᵀ for every 4x4 output-gradient tile of the block in `scratch.elements`, stored
    /// as `transformInputTiles` stores V.
    static func transformOutputGradientTiles(_ scratch: BlockScratch, height: Int, width: Int,
                                             z: UnsafeMutablePointer<Float>, pointStride: Int) {
        let e = UnsafePointer(scratch.elements), t = scratch.half
        var tile = 0
        for ty in 0 ..< height / 4 {
            for tx in 0 ..< width / 4 {
                let base = e + 16 * (4 * ty * width + 4 * tx)
                @inline(__always) func dy(_ i: Int, _ j: Int) -> SIMD16<Float> { base.simd16(16 * (i * width + j)) }
                for j in 0 ..< 4 {
                    let c = outputGradient(dy(0, j), dy(1, j), dy(2, j), dy(3, j))
                    t.store(c.0, at: 16 * j); t.store(c.1, at: 16 * (4 + j)); t.store(c.2, at: 16 * (8 + j))
                    t.store(c.3, at: 16 * (12 + j)); t.store(c.4, at: 16 * (16 + j)); t.store(c.5, at: 16 * (20 + j))
                }
                let out = z + 16 * tile
                for i in 0 ..< 6 {
                    let h = t + 64 * i
                    let row = outputGradient(h.simd16(0), h.simd16(16), h.simd16(32), h.simd16(48))
                    storePoints(row, out + 6 * i * pointStride, pointStride: pointStride)
                }
                tile += 1
            }
        }
    }

    /// U = G g Gᵀ for every filter: `u[ξ][o][i]` (`[36][outs][ins]`) from `w`
    /// `[outChannels, inChannels, 3, 3]`, where `(outs, ins)` is `(outChannels, inChannels)`, or
    /// with `flipped` the backward-data convolution's `(inChannels, outChannels)` with each
    /// filter rotated by 180° (`Winograd.flippedWeights`). Sixteen filters of a row of `u` per
    /// vector, their taps moved into the lanes by a 16 x 16 transpose (nine rows of it used); a
    /// last, partial vector has zeros in its empty lanes and stores only its own. The rows of
    /// `u` are split over the cores.
    static func transformFilters(_ w: UnsafePointer<Float>, outChannels: Int, inChannels: Int, flipped: Bool,
                                 into u: UnsafeMutablePointer<Float>) {
        let (outs, ins) = flipped ? (inChannels, outChannels) : (outChannels, inChannels)
        let matrix = outs * ins, total = outChannels * inChannels * 9
        // Filter (o, i) of `u` starts at `w + filterStart(o, i)`; lane l of a vector is filter
        // (o, i0 + l), `laneStride` floats after lane 0.
        let laneStride = flipped ? inChannels * 9 : 9
        @inline(__always) func filterStart(_ o: Int, _ i: Int) -> Int {
            flipped ? (i * inChannels + o) * 9 : (o * inChannels + i) * 9
        }
        Parallel.forChunks(outs, minimumChunk: max(1, 4096 / max(1, ins))) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 16 + 18 * 16 + 6 * 16) { buffer in
                let taps = buffer.baseAddress!, t = taps + 16 * 16, rowOut = t + 18 * 16
                for o in rows {
                    var i0 = 0
                    while i0 < ins {
                        let lanes = min(16, ins - i0), first = filterStart(o, i0)
                        // Row k of `taps`: tap k of the sixteen filters (the transpose reads 16
                        // floats per filter, so the last filters of `w` take the scalar path).
                        if lanes == 16 && first + 15 * laneStride + 16 <= total {
                            transpose16x16(w + first, sourceStride: laneStride, into: taps, destinationStride: 16)
                        } else {
                            for k in 0 ..< 9 {
                                for l in 0 ..< 16 { taps[16 * k + l] = l < lanes ? w[first + l * laneStride + k] : 0 }
                            }
                        }
                        // Tap k of the flipped filter is tap 8 - k of the stored one.
                        @inline(__always) func tap(_ k: Int) -> SIMD16<Float> { taps.simd16(16 * (flipped ? 8 - k : k)) }
                        // t = G g (6x3), down each column of taps.
                        for s in 0 ..< 3 {
                            let c = filter(tap(s), tap(3 + s), tap(6 + s))
                            t.store(c.0, at: 16 * s); t.store(c.1, at: 16 * (3 + s)); t.store(c.2, at: 16 * (6 + s))
                            t.store(c.3, at: 16 * (9 + s)); t.store(c.4, at: 16 * (12 + s)); t.store(c.5, at: 16 * (15 + s))
                        }
                        // U = t Gᵀ, along each row of t.
                        for r in 0 ..< 6 {
                            let h = t + 48 * r
                            let row = filter(h.simd16(0), h.simd16(16), h.simd16(32))
                            let destination = u + 6 * r * matrix + o * ins + i0
                            if lanes == 16 {
                                destination.store(row.0, at: 0); destination.store(row.1, at: matrix)
                                destination.store(row.2, at: 2 * matrix); destination.store(row.3, at: 3 * matrix)
                                destination.store(row.4, at: 4 * matrix); destination.store(row.5, at: 5 * matrix)
                            } else {
                                rowOut.store(row.0, at: 0); rowOut.store(row.1, at: 16); rowOut.store(row.2, at: 32)
                                rowOut.store(row.3, at: 48); rowOut.store(row.4, at: 64); rowOut.store(row.5, at: 80)
                                for s in 0 ..< 6 { (destination + s * matrix).update(from: rowOut + 16 * s, count: lanes) }
                            }
                        }
                        i0 += 16
                    }
                }
            }
        }
    }

    /// dw = Gᵀ P G for every filter, where P is the sum of `parts` partial sums `p`
    /// `[parts][36][outChannels][inChannels]` added in part order, into `dw`
    /// `[outChannels, inChannels, 3, 3]` (overwritten, or added to with `accumulate`); sixteen
    /// input channels per vector, the output channels split over the cores.
    static func transformFilterGradients(_ p: UnsafePointer<Float>, parts: Int, outChannels: Int, inChannels: Int,
                                         dw: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let matrix = outChannels * inChannels, partStride = 36 * matrix
        Parallel.forChunks(outChannels, minimumChunk: max(1, 1024 / max(1, inChannels))) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 18 * 16 + 9 * 16) { buffer in
                let t = buffer.baseAddress!, gradient = t + 18 * 16
                for o in rows {
                    var i0 = 0
                    while i0 < inChannels {
                        let lanes = min(16, inChannels - i0)
                        let base = p + o * inChannels + i0
                        @inline(__always) func sum(_ r: Int, _ s: Int) -> SIMD16<Float> {
                            let offset = (6 * r + s) * matrix
                            var total = base.simd16(offset, count: lanes)
                            for part in 1 ..< max(1, parts) { total += base.simd16(part * partStride + offset, count: lanes) }
                            return total
                        }
                        // t = Gᵀ P (3x6), down each column.
                        for s in 0 ..< 6 {
                            let c = filterGradient(sum(0, s), sum(1, s), sum(2, s), sum(3, s), sum(4, s), sum(5, s))
                            t.store(c.0, at: 16 * s); t.store(c.1, at: 16 * (6 + s)); t.store(c.2, at: 16 * (12 + s))
                        }
                        // dw = t G, along each row of t.
                        for a in 0 ..< 3 {
                            let h = t + 96 * a
                            let row = filterGradient(h.simd16(0), h.simd16(16), h.simd16(32), h.simd16(48),
                                                     h.simd16(64), h.simd16(80))
                            gradient.store(row.0, at: 16 * (3 * a)); gradient.store(row.1, at: 16 * (3 * a + 1))
                            gradient.store(row.2, at: 16 * (3 * a + 2))
                        }
                        for l in 0 ..< lanes {
                            let filter = dw + (o * inChannels + i0 + l) * 9
                            for tap in 0 ..< 9 {
                                let value = gradient[16 * tap + l]
                                filter[tap] = accumulate ? filter[tap] + value : value
                            }
                        }
                        i0 += 16
                    }
                }
            }
        }
    }
}
