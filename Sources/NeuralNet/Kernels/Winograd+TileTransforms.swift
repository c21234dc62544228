import Core

extension Winograd {
    // MARK: - Tile transforms (16 tiles per vector)
    //
    // The transforms work on full vectors of 16 tiles, one per lane, and store full vectors:
    // a matrix row has room for 16 floats beyond its last tile (`TileMatrices`), and a vector
    // that runs past the end of a tile row is overwritten by the next row's. Branching on a
    // partial vector inside the loop measured much slower (LLVM split the vectors);
    // only the output transform's last, partial vector goes through `scratch.tail`.

    /// V = Bᵀ d B of every 4x4 input tile of `images` consecutive images (`imageSize` floats
    /// apart, `channels` planes each), into `v[ξ][c][t]` laid out as `vm`.
    ///
    /// Each plane is first copied into zero-padded rows split into their even and odd columns
    /// (`splitRows`): tile tx's four columns are then even[tx], odd[tx], even[tx+1], odd[tx+1],
    /// so 16 adjacent tiles of a row are four contiguous 16-lane loads per row instead of
    /// strided gathers. Narrow images (fewer than 16 tiles a row) first copy those runs of each
    /// tile row into the staging matrix, whose 16 rows (one per (row, column) of the tile) then
    /// hold the group's tiles back to back, so the vectors are full there too.
    ///
    /// With `affine`, `x` is a batch norm's input and the tiles are of its output
    /// (`ChannelAffine`, applied as the rows are split).
    static func transformInputTiles(_ x: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                    _ tiling: Tiling, v: UnsafeMutablePointer<Float>, _ vm: TileMatrices,
                                    _ scratch: TransformScratch, affine: ChannelAffine? = nil) {
        let (s, tilesX) = (tiling.splitRow, tiling.tilesX)
        let rows = scratch.rows, staging = scratch.staging, ss = scratch.stagingStride
        let ps = vm.pointStride
        for c in 0 ..< channels {
            let out = v + c * vm.rowStride
            for j in 0 ..< images {
                let plane = x + j * imageSize + c * tiling.height * tiling.width
                splitRows(plane, tiling, count: 2 * tiling.tilesY + 2, shift: 1, into: rows,
                          affine: affine.map { ($0.scale[c], $0.shift[c], $0.relu) })
                let first = j * tiling.perImage
                for ty in 0 ..< tiling.tilesY {
                    let top = UnsafePointer(rows + 2 * ty * 2 * s)
                    if tiling.narrow {
                        let dst = staging + first + ty * tilesX
                        // The tile row's 16 runs of tilesX values, in one move each for the
                        // power-of-two widths of a CIFAR network (4x4, 8x8, 16x16 images).
                        switch tilesX {
                        case 2: stageInputRuns(SIMD2<Float>.self, top, s, dst, ss)
                        case 4: stageInputRuns(SIMD4<Float>.self, top, s, dst, ss)
                        case 8: stageInputRuns(SIMD8<Float>.self, top, s, dst, ss)
                        default:
                            for r in 0 ..< 4 {
                                let even = top + r * 2 * s, odd = even + s
                                copyFloats(even, to: dst + (4 * r) * ss, count: tilesX)
                                copyFloats(odd, to: dst + (4 * r + 1) * ss, count: tilesX)
                                copyFloats(even + 1, to: dst + (4 * r + 2) * ss, count: tilesX)
                                copyFloats(odd + 1, to: dst + (4 * r + 3) * ss, count: tilesX)
                            }
                        }
                        continue
                    }
                    var tx = 0
                    while tx < tilesX {
                        inputTransform16(top + tx, rowStride: 2 * s, columnStride: s, out + first + ty * tilesX + tx,
                                         pointStride: ps)
                        tx += 16
                    }
                }
            }
            guard tiling.narrow else { continue }
            var t = 0
            while t < vm.tiles {
                inputTransform16Staged(UnsafePointer(staging + t), stride: ss, out + t, pointStride: ps)
                t += 16
            }
        }
    }

    /// The 16 runs of one tile row of a narrow image into the staging matrix: row 4r + k gets
    /// the tiles' element (r, k), i.e. even[0..<n], odd[0..<n], even[1...n], odd[1...n] of split
    /// row r (n = tilesX = the lanes of `V`).
    @inline(__always)
    static func stageInputRuns<V: SIMD>(_: V.Type, _ top: UnsafePointer<Float>, _ s: Int,
                                        _ dst: UnsafeMutablePointer<Float>, _ ss: Int) where V.Scalar == Float {
        @inline(__always) func move(_ src: UnsafePointer<Float>, _ row: Int) {
            UnsafeMutableRawPointer(dst + row * ss).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: V.self),
                                                               as: V.self)
        }
        for r in 0 ..< 4 {
            let even = top + r * 2 * s, odd = even + s
            move(even, 4 * r)
            move(odd, 4 * r + 1)
            move(even + 1, 4 * r + 2)
            move(odd + 1, 4 * r + 3)
        }
    }

    /// V = Bᵀ d B of 16 tiles whose element (r, k) is at `p + r·rowStride + k / 2 + (k % 2)·columnStride`
    /// (split rows: even columns at offset 0, odd ones at `columnStride`), stored to
    /// `out + ξ·pointStride`, 16 lanes each.
    @inline(__always)
    static func inputTransform16(_ p0: UnsafePointer<Float>, rowStride: Int, columnStride s: Int,
                                 _ out: UnsafeMutablePointer<Float>, pointStride: Int) {
        let p1 = p0 + rowStride, p2 = p1 + rowStride, p3 = p2 + rowStride
        inputTransform16(p0.simd16(), p0.simd16(s), p0.simd16(1), p0.simd16(s + 1),
                         p1.simd16(), p1.simd16(s), p1.simd16(1), p1.simd16(s + 1),
                         p2.simd16(), p2.simd16(s), p2.simd16(1), p2.simd16(s + 1),
                         p3.simd16(), p3.simd16(s), p3.simd16(1), p3.simd16(s + 1),
                         out, pointStride: pointStride)
    }

    /// The same on the staging matrix: element (r, k) of the 16 tiles is row `4r + k` of it.
    @inline(__always)
    static func inputTransform16Staged(_ p: UnsafePointer<Float>, stride: Int,
                                       _ out: UnsafeMutablePointer<Float>, pointStride: Int) {
        inputTransform16(p.simd16(0), p.simd16(stride), p.simd16(2 * stride), p.simd16(3 * stride),
                         p.simd16(4 * stride), p.simd16(5 * stride), p.simd16(6 * stride), p.simd16(7 * stride),
                         p.simd16(8 * stride), p.simd16(9 * stride), p.simd16(10 * stride), p.simd16(11 * stride),
                         p.simd16(12 * stride), p.simd16(13 * stride), p.simd16(14 * stride), p.simd16(15 * stride),
                         out, pointStride: pointStride)
    }

    /// V = Bᵀ d B of 16 tiles given as their 16 elements d[r][k] (one tile per lane).
    @inline(__always)
    static func inputTransform16(_ d00: SIMD16<Float>, _ d01: SIMD16<Float>, _ d02: SIMD16<Float>, _ d03: SIMD16<Float>,
                                 _ d10: SIMD16<Float>, _ d11: SIMD16<Float>, _ d12: SIMD16<Float>, _ d13: SIMD16<Float>,
                                 _ d20: SIMD16<Float>, _ d21: SIMD16<Float>, _ d22: SIMD16<Float>, _ d23: SIMD16<Float>,
                                 _ d30: SIMD16<Float>, _ d31: SIMD16<Float>, _ d32: SIMD16<Float>, _ d33: SIMD16<Float>,
                                 _ out: UnsafeMutablePointer<Float>, pointStride ps: Int) {
        // Bᵀ d: the rows combined, column by column.
        let (t00, t10, t20, t30) = inputTransform1D(d00, d10, d20, d30)
        let (t01, t11, t21, t31) = inputTransform1D(d01, d11, d21, d31)
        let (t02, t12, t22, t32) = inputTransform1D(d02, d12, d22, d32)
        let (t03, t13, t23, t33) = inputTransform1D(d03, d13, d23, d33)
        // (Bᵀ d) B: the columns combined, row by row; row i gives points 4i ..< 4i+4.
        store4(inputTransform1D(t00, t01, t02, t03), out, stride: ps)
        store4(inputTransform1D(t10, t11, t12, t13), out + 4 * ps, stride: ps)
        store4(inputTransform1D(t20, t21, t22, t23), out + 8 * ps, stride: ps)
        store4(inputTransform1D(t30, t31, t32, t33), out + 12 * ps, stride: ps)
    }

    /// Y = Aᵀ M A of every tile of `images` consecutive images, from `m[ξ][c][t]` laid out as
    /// `mm` into `y` (`imageSize` floats per image, `channels` planes each); a last row or
    /// column of tiles beyond an odd height or width keeps only the outputs inside the image.
    ///
    /// 16 consecutive tiles at a time (full vectors whatever the image width): their two output
    /// rows are interleaved (even and odd pixels) into `scratch.pairs`, then copied to the image
    /// one run of a tile row at a time.
    static func transformOutputTiles(_ m: UnsafePointer<Float>, _ mm: TileMatrices, channels: Int, _ tiling: Tiling,
                                     y: UnsafeMutablePointer<Float>, imageSize: Int, _ scratch: TransformScratch) {
        let (height, width, tilesX) = (tiling.height, tiling.width, tiling.tilesX)
        let ps = mm.pointStride, pairs = scratch.pairs, tail = scratch.tail
        for c in 0 ..< channels {
            let src = m + c * mm.rowStride
            let plane = y + c * height * width
            // The tile the next run starts at: image j, tile row ty, column tx.
            var (j, ty, tx) = (0, 0, 0)
            var t = 0
            while t < mm.tiles {
                let lanes = min(16, mm.tiles - t)
                if lanes == 16 {
                    outputTransform16(src + t, pointStride: ps, to: pairs)
                } else {
                    // The last tiles: their 16 points copied into the tail, the rest of which
                    // holds earlier, finite numbers.
                    for point in 0 ..< 16 { copyFloats(src + point * ps + t, to: tail + 16 * point, count: lanes) }
                    outputTransform16(tail, pointStride: 16, to: pairs)
                }
                // Runs of tiles within one tile row: 2 pixels per tile, fewer at an odd width.
                var lane = 0
                while lane < lanes {
                    let n = min(tilesX - tx, lanes - lane)
                    let count = min(2 * n, width - 2 * tx)
                    let row = plane + j * imageSize + 2 * ty * width + 2 * tx
                    copyFloats(pairs + 2 * lane, to: row, count: count)
                    if 2 * ty + 1 < height { copyFloats(pairs + 32 + 2 * lane, to: row + width, count: count) }
                    lane += n
                    tx += n
                    if tx == tilesX {
                        tx = 0
                        ty += 1
                        if ty == tiling.tilesY { ty = 0; j += 1 }
                    }
                }
                t += 16
            }
        }
    }

    /// Y = Aᵀ M A of 16 tiles whose point ξ is the vector at `p + ξ·pointStride`: the even and
    /// odd pixels of their top output rows interleaved into `pairs[0..<32]`, of their bottom
    /// rows into `pairs[32..<64]`.
    @inline(__always)
    static func outputTransform16(_ p: UnsafePointer<Float>, pointStride ps: Int, to pairs: UnsafeMutablePointer<Float>) {
        // Aᵀ M: rows 0 and 1 of each column k, ordered as the reference's product.
        let (r00, r10) = outputTransform1D(p.simd16(0), p.simd16(4 * ps), p.simd16(8 * ps), p.simd16(12 * ps))
        let (r01, r11) = outputTransform1D(p.simd16(ps), p.simd16(5 * ps), p.simd16(9 * ps), p.simd16(13 * ps))
        let (r02, r12) = outputTransform1D(p.simd16(2 * ps), p.simd16(6 * ps), p.simd16(10 * ps), p.simd16(14 * ps))
        let (r03, r13) = outputTransform1D(p.simd16(3 * ps), p.simd16(7 * ps), p.simd16(11 * ps), p.simd16(15 * ps))
        // (Aᵀ M) A: the columns combined: each output row's even and odd pixels.
        let (y00, y01) = outputTransform1D(r00, r01, r02, r03)
        let (y10, y11) = outputTransform1D(r10, r11, r12, r13)
        storeInterleaved(y00, y01, to: pairs)
        storeInterleaved(y10, y11, to: pairs + 32)
    }

    /// Z = A dY Aᵀ of every tile's 2x2 output gradient (zero beyond an odd height or width) of
    /// `images` consecutive images (`imageSize` floats apart, `channels` planes each), into
    /// `z[ξ][c][t]` laid out as `zm`. The gradient rows are split into their even and odd
    /// columns, so a tile's 2x2 block is even[tx], odd[tx] of two rows; narrow images go
    /// through the staging matrix as in `transformInputTiles`.
    static func transformOutputGradientTiles(_ dy: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                             _ tiling: Tiling, z: UnsafeMutablePointer<Float>, _ zm: TileMatrices,
                                             _ scratch: TransformScratch) {
        let (s, tilesX) = (tiling.splitRow, tiling.tilesX)
        let rows = scratch.rows, staging = scratch.staging, ss = scratch.stagingStride
        let ps = zm.pointStride
        for c in 0 ..< channels {
            let out = z + c * zm.rowStride
            for j in 0 ..< images {
                let plane = dy + j * imageSize + c * tiling.height * tiling.width
                splitRows(plane, tiling, count: 2 * tiling.tilesY, shift: 0, into: rows)
                let first = j * tiling.perImage
                for ty in 0 ..< tiling.tilesY {
                    let top = UnsafePointer(rows + 2 * ty * 2 * s), bottom = top + 2 * s
                    if tiling.narrow {
                        let dst = staging + first + ty * tilesX
                        copyFloats(top, to: dst, count: tilesX)
                        copyFloats(top + s, to: dst + ss, count: tilesX)
                        copyFloats(bottom, to: dst + 2 * ss, count: tilesX)
                        copyFloats(bottom + s, to: dst + 3 * ss, count: tilesX)
                        continue
                    }
                    var tx = 0
                    while tx < tilesX {
                        outputGradientTransform16(top.simd16(tx), top.simd16(s + tx), bottom.simd16(tx),
                                                  bottom.simd16(s + tx), out + first + ty * tilesX + tx, pointStride: ps)
                        tx += 16
                    }
                }
            }
            guard tiling.narrow else { continue }
            var t = 0
            while t < zm.tiles {
                let p = UnsafePointer(staging + t)
                outputGradientTransform16(p.simd16(), p.simd16(ss), p.simd16(2 * ss), p.simd16(3 * ss), out + t,
                                          pointStride: ps)
                t += 16
            }
        }
    }

    /// Z = A dY Aᵀ of 16 tiles' dY = [[a, b], [c, d]] (one tile per lane).
    @inline(__always)
    static func outputGradientTransform16(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>,
                                          _ out: UnsafeMutablePointer<Float>, pointStride ps: Int) {
        // A dY: rows a|b, a+c|b+d, a-c|b-d, -c|-d.
        let (s00, s10, s20, s30) = outputGradientTransform1D(a, c)
        let (s01, s11, s21, s31) = outputGradientTransform1D(b, d)
        // (A dY) Aᵀ: each row's two columns expanded to four.
        store4(outputGradientTransform1D(s00, s01), out, stride: ps)
        store4(outputGradientTransform1D(s10, s11), out + 4 * ps, stride: ps)
        store4(outputGradientTransform1D(s20, s21), out + 8 * ps, stride: ps)
        store4(outputGradientTransform1D(s30, s31), out + 12 * ps, stride: ps)
    }
}
