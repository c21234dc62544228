import Core

// The tile transforms and the lane helpers they call are one file on purpose, long as it is:
// debug builds compile file by file, and an `@inline(__always)` helper in another file of the
// module becomes an opaque call inside these loops (`swift run LessonN` builds that way).
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
        if tiling.height == 4 && tiling.width == 4 {
            transformInputTiles4x4(x, images: images, imageSize: imageSize, channels: channels, v: v, vm, affine: affine)
        } else if tiling.height == 8 && tiling.width == 8 {
            transformInputTiles8x8(x, images: images, imageSize: imageSize, channels: channels, v: v, vm, scratch,
                                   affine: affine)
        } else {
            transformInputTilesAnySize(x, images: images, imageSize: imageSize, channels: channels, tiling, v: v, vm,
                                       scratch, affine: affine)
        }
    }

    /// `transformInputTiles` for images of every size, through split rows.
    static func transformInputTilesAnySize(_ x: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
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
                        // power-of-two widths of a CIFAR network (8x8 and 16x16 images;
                        // 4x4 ones take `transformInputTiles4x4`).
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

    /// `transformInputTiles` for 8x8 images (ResNet-18's third stage on 32x32 inputs), whose 16
    /// tiles make exactly one vector: each plane (normalised with `affine` as `loadNormalizedRow`
    /// does it) goes to Core's `winogradTiles8x8`, which moves its tiles' 16 elements into the
    /// lanes with vector shuffles, and the transform reads them from there, with no split rows
    /// and no staging matrix (which took more time than the transform's additions). The same
    /// values bit for bit. Uses the first 320 floats of `scratch.rows`.
    static func transformInputTiles8x8(_ x: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                       v: UnsafeMutablePointer<Float>, _ vm: TileMatrices,
                                       _ scratch: TransformScratch, affine: ChannelAffine?) {
        let plane = scratch.rows, elements = scratch.rows + 64
        for c in 0 ..< channels {
            let out = v + c * vm.rowStride
            let f = affine.map { ($0.scale[c], $0.shift[c], $0.relu) }
            for j in 0 ..< images {
                var source = x + j * imageSize + c * 64
                if let f {
                    for q in 0 ..< 4 { plane.store(loadNormalizedRow(source, from: 16 * q, width: 64, f), at: 16 * q) }
                    source = UnsafePointer(plane)
                }
                winogradTiles8x8(source, into: elements)
                inputTransform16Staged(UnsafePointer(elements), stride: 16, out + 16 * j, pointStride: vm.pointStride)
            }
        }
    }

    /// `transformOutputTiles` for 8x8 images: each image's 16 tiles are one vector, whose four
    /// output vectors (top-left, top-right, bottom-left, bottom-right) Core's
    /// `winogradOutputs8x8` interleaves into the plane with shuffles, instead of runs of pairs
    /// copied row by row. The same values bit for bit. Uses the first 64 floats of `scratch.rows`.
    static func transformOutputTiles8x8(_ m: UnsafePointer<Float>, _ mm: TileMatrices, channels: Int,
                                        y: UnsafeMutablePointer<Float>, imageSize: Int, _ scratch: TransformScratch) {
        let outputs = scratch.rows
        for c in 0 ..< channels {
            let src = m + c * mm.rowStride
            for j in 0 ..< mm.tiles / 16 {
                let (topLeft, topRight, bottomLeft, bottomRight) = outputTransform16(src + 16 * j, pointStride: mm.pointStride)
                outputs.store(topLeft, at: 0)
                outputs.store(topRight, at: 16)
                outputs.store(bottomLeft, at: 32)
                outputs.store(bottomRight, at: 48)
                winogradOutputs8x8(outputs, into: y + j * imageSize + c * 64)
            }
        }
    }

    /// `transformOutputGradientTiles` for 8x8 images: each plane's 16 tiles of 2x2 gradients
    /// come to the lanes by Core's `winogradGradientTiles8x8` (shuffles of its even and odd
    /// rows), with no split rows or staging. The same values bit for bit. Uses the first 64
    /// floats of `scratch.rows`.
    static func transformOutputGradientTiles8x8(_ dy: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                                z: UnsafeMutablePointer<Float>, _ zm: TileMatrices,
                                                _ scratch: TransformScratch) {
        let elements = scratch.rows
        for c in 0 ..< channels {
            let out = z + c * zm.rowStride
            for j in 0 ..< images {
                winogradGradientTiles8x8(dy + j * imageSize + c * 64, into: elements)
                outputGradientTransform16(elements.simd16(0), elements.simd16(16), elements.simd16(32),
                                          elements.simd16(48), out + 16 * j, pointStride: zm.pointStride)
            }
        }
    }

    // MARK: - 4x4 images: tiles gathered from whole-plane vectors
    //
    // A 4x4 plane is one vector and holds four tiles, so a vector of 16 tiles is four images'.
    // Split rows and staging cost more than the transform itself on planes this small; these
    // gather each tile element straight from the planes' lanes.

    /// `transformInputTiles` for 4x4 images (ResNet-18's last stage on 32x32 inputs), whose four
    /// tiles each a plane holds make one vector of 16 tiles from four images: each plane is
    /// one vector load (normalised there with `affine`, as `loadNormalizedRow` does it), and
    /// element (r, k) of the 16 tiles is gathered from the four planes by shuffles, the
    /// padding's zeros included (Core's `winogradTiles4x4`; gathered lane by lane in Swift,
    /// they took 14 % of the layer's forward pass), instead of going through split rows and
    /// the staging matrix. The same values bit for bit.
    static func transformInputTiles4x4(_ x: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                       v: UnsafeMutablePointer<Float>, _ vm: TileMatrices, affine: ChannelAffine?) {
        // Four planes (64 floats), then their tiles' 16 elements (256 floats).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64 + 256) { buffer in
            let planes = buffer.baseAddress!, elements = planes + 64
            for c in 0 ..< channels {
                let out = v + c * vm.rowStride
                let f = affine.map { ($0.scale[c], $0.shift[c], $0.relu) }
                var j = 0
                while j < images {
                    // Image j + q's plane, or zeros past the last image (lanes past the last tile).
                    for q in 0 ..< 4 {
                        var plane = SIMD16<Float>()
                        if j + q < images {
                            let p = x + (j + q) * imageSize + c * 16
                            plane = f.map { loadNormalizedRow(p, from: 0, width: 16, $0) } ?? p.simd16()
                        }
                        planes.store(plane, at: 16 * q)
                    }
                    // Lane 4q + 2·ty + tx of element (r, k): image j + q's value at row
                    // 2·ty + r - 1, column 2·tx + k - 1 (0 in the padding), moved by shuffles.
                    winogradTiles4x4(planes, into: elements)
                    inputTransform16Staged(UnsafePointer(elements), stride: 16, out + 4 * j, pointStride: vm.pointStride)
                    j += 4
                }
            }
        }
    }

    /// `transformOutputTiles` for 4x4 images: the 16 tiles of a vector are four images' (lane
    /// 4q + 2·ty + tx), so the 2x2 outputs of each tile (`outputTransform16`'s rows, even and
    /// odd pixels) are gathered back into each image's plane by constant lanes and stored as
    /// one vector. The same values bit for bit.
    static func transformOutputTiles4x4(_ m: UnsafePointer<Float>, _ mm: TileMatrices, channels: Int,
                                        y: UnsafeMutablePointer<Float>, imageSize: Int) {
        let ps = mm.pointStride, images = mm.tiles / 4
        for c in 0 ..< channels {
            let src = m + c * mm.rowStride
            var j = 0
            while j < images {
                // Lanes past the last tile hold what the row's padding holds; they are never stored.
                let (y00, y01, y10, y11) = outputTransform16(src + 4 * j, pointStride: ps)
                for q in 0 ..< min(4, images - j) {
                    // Pixel (iy, ix) is output (iy % 2, ix % 2) of tile (iy / 2, ix / 2).
                    var plane = SIMD16<Float>()
                    for iy in 0 ..< 4 {
                        for ix in 0 ..< 4 {
                            let t = 4 * q + 2 * (iy / 2) + ix / 2
                            plane[4 * iy + ix] = iy % 2 == 0 ? (ix % 2 == 0 ? y00[t] : y01[t]) : (ix % 2 == 0 ? y10[t] : y11[t])
                        }
                    }
                    (y + (j + q) * imageSize + c * 16).store(plane, at: 0)
                }
                j += 4
            }
        }
    }

    /// `transformOutputGradientTiles` for 4x4 images: each plane is one vector load, and the
    /// 2x2 output gradients of four images' 16 tiles are gathered from four planes by constant
    /// lanes. The same values bit for bit.
    static func transformOutputGradientTiles4x4(_ dy: UnsafePointer<Float>, images: Int, imageSize: Int, channels: Int,
                                                z: UnsafeMutablePointer<Float>, _ zm: TileMatrices) {
        for c in 0 ..< channels {
            let out = z + c * zm.rowStride
            var j = 0
            while j < images {
                @inline(__always) func plane(_ q: Int) -> SIMD16<Float> {
                    j + q < images ? (dy + (j + q) * imageSize + c * 16).simd16() : SIMD16<Float>()
                }
                let planes = (plane(0), plane(1), plane(2), plane(3))
                // Lane 4q + 2·ty + tx: the gradient at row 2·ty + a, column 2·tx + b of image j + q.
                @inline(__always) func g(_ a: Int, _ b: Int) -> SIMD16<Float> {
                    var lanes = SIMD16<Float>()
                    for ty in 0 ..< 2 {
                        for tx in 0 ..< 2 {
                            let t = 2 * ty + tx, e = 4 * (2 * ty + a) + 2 * tx + b
                            lanes[t] = planes.0[e]
                            lanes[4 + t] = planes.1[e]
                            lanes[8 + t] = planes.2[e]
                            lanes[12 + t] = planes.3[e]
                        }
                    }
                    return lanes
                }
                outputGradientTransform16(g(0, 0), g(0, 1), g(1, 0), g(1, 1), out + 4 * j, pointStride: zm.pointStride)
                j += 4
            }
        }
    }

    // MARK: - Narrow images through the staging matrix

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
        if tiling.height == 4 && tiling.width == 4 {
            transformOutputTiles4x4(m, mm, channels: channels, y: y, imageSize: imageSize)
        } else if tiling.height == 8 && tiling.width == 8 {
            transformOutputTiles8x8(m, mm, channels: channels, y: y, imageSize: imageSize, scratch)
        } else {
            transformOutputTilesAnySize(m, mm, channels: channels, tiling, y: y, imageSize: imageSize, scratch)
        }
    }

    /// `transformOutputTiles` for images of every size, through interleaved pairs of rows.
    static func transformOutputTilesAnySize(_ m: UnsafePointer<Float>, _ mm: TileMatrices, channels: Int,
                                            _ tiling: Tiling, y: UnsafeMutablePointer<Float>, imageSize: Int,
                                            _ scratch: TransformScratch) {
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

    /// Y = Aᵀ M A of 16 tiles whose 16 points are at `p + ξ·pointStride` (16 lanes each): each
    /// tile's 2x2 outputs as the four vectors (top-left, top-right, bottom-left, bottom-right).
    @inline(__always)
    static func outputTransform16(_ p: UnsafePointer<Float>, pointStride ps: Int)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        // Aᵀ M: rows 0 and 1 of each column k, ordered as the reference's product.
        let (r00, r10) = outputTransform1D(p.simd16(0), p.simd16(4 * ps), p.simd16(8 * ps), p.simd16(12 * ps))
        let (r01, r11) = outputTransform1D(p.simd16(ps), p.simd16(5 * ps), p.simd16(9 * ps), p.simd16(13 * ps))
        let (r02, r12) = outputTransform1D(p.simd16(2 * ps), p.simd16(6 * ps), p.simd16(10 * ps), p.simd16(14 * ps))
        let (r03, r13) = outputTransform1D(p.simd16(3 * ps), p.simd16(7 * ps), p.simd16(11 * ps), p.simd16(15 * ps))
        // (Aᵀ M) A: the columns combined: each output row's even and odd pixels.
        let (y00, y01) = outputTransform1D(r00, r01, r02, r03)
        let (y10, y11) = outputTransform1D(r10, r11, r12, r13)
        return (y00, y01, y10, y11)
    }

    /// Y = Aᵀ M A of 16 tiles whose point ξ is the vector at `p + ξ·pointStride`: the even and
    /// odd pixels of their top output rows interleaved into `pairs[0..<32]`, of their bottom
    /// rows into `pairs[32..<64]`.
    @inline(__always)
    static func outputTransform16(_ p: UnsafePointer<Float>, pointStride ps: Int, to pairs: UnsafeMutablePointer<Float>) {
        let (y00, y01, y10, y11) = outputTransform16(p, pointStride: ps)
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
        if tiling.height == 4 && tiling.width == 4 {
            transformOutputGradientTiles4x4(dy, images: images, imageSize: imageSize, channels: channels, z: z, zm)
        } else if tiling.height == 8 && tiling.width == 8 {
            transformOutputGradientTiles8x8(dy, images: images, imageSize: imageSize, channels: channels, z: z, zm,
                                            scratch)
        } else {
            transformOutputGradientTilesAnySize(dy, images: images, imageSize: imageSize, channels: channels, tiling,
                                                z: z, zm, scratch)
        }
    }

    /// `transformOutputGradientTiles` for images of every size, through split rows.
    static func transformOutputGradientTilesAnySize(_ dy: UnsafePointer<Float>, images: Int, imageSize: Int,
                                                    channels: Int, _ tiling: Tiling, z: UnsafeMutablePointer<Float>,
                                                    _ zm: TileMatrices, _ scratch: TransformScratch) {
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

    // MARK: - Rows of a plane into vector lanes

    /// `count` rows of one plane, zero-padded by `shift` rows and columns on the top and left
    /// (1 for the input tiles, 0 for the gradient tiles) and by zeros beyond the plane, each
    /// split into its even columns (`rows + r·2s`) and odd columns (`rows + r·2s + s`),
    /// s = `tiling.splitRow`.
    ///
    /// The image row is read in place, 32 floats at a time (a partial read at its end), and
    /// split by two permutes; the padding column shifts the odd source columns one lane to the
    /// right into the even padded columns. (Copying the row into a padded buffer first and
    /// reading it back one float off stalled every load on the stores it straddled.)
    ///
    /// With `affine` (the constants of the plane's channel, `ChannelAffine`), each value is
    /// read as the batch norm it stands for would have written it; the padding stays zero.
    @inline(__always)
    static func splitRows(_ plane: UnsafePointer<Float>, _ tiling: Tiling, count: Int, shift: Int,
                          into rows: UnsafeMutablePointer<Float>,
                          affine: (a: Float, b: Float, relu: Bool)? = nil) {
        let s = tiling.splitRow, width = tiling.width
        for r in 0 ..< count {
            let even = rows + r * 2 * s, odd = even + s
            let iy = r - shift
            guard iy >= 0 && iy < tiling.height else {
                zeroFloats(even, count: 2 * s)
                continue
            }
            let src = plane + iy * width
            var carry = SIMD16<Float>()
            var k = 0
            while k < s {
                let (e, o) = affine.map { f in
                    deinterleave(loadNormalizedRow(src, from: 2 * k, width: width, f),
                                 loadNormalizedRow(src, from: 2 * k + 16, width: width, f))
                } ?? deinterleave(loadRow(src, from: 2 * k, width: width), loadRow(src, from: 2 * k + 16, width: width))
                if shift == 0 {
                    even.store(e, at: k)
                    odd.store(o, at: k)
                } else {
                    // Padded column 2k + 1 is source column 2k, padded column 2k is 2k - 1.
                    odd.store(e, at: k)
                    even.store(shiftedInByOne(carry, o), at: k)
                    carry = o
                }
                k += 16
            }
        }
    }

    /// The 16 floats of a row from column `x0`, zero beyond `width`.
    @inline(__always)
    static func loadRow(_ row: UnsafePointer<Float>, from x0: Int, width: Int) -> SIMD16<Float> {
        let n = width - x0
        if n >= 16 { return row.simd16(x0) }
        if n <= 0 { return SIMD16<Float>() }
        let p = UnsafeRawPointer(row + x0)
        switch n {
        case 8: return SIMD16(lowHalf: p.loadUnaligned(as: SIMD8<Float>.self), highHalf: SIMD8())
        case 4: return SIMD16(lowHalf: SIMD8(lowHalf: p.loadUnaligned(as: SIMD4<Float>.self), highHalf: SIMD4()),
                              highHalf: SIMD8())
        default: return row.simd16(x0, count: n)
        }
    }

    /// `loadRow` with `b + a·x` (fused, and `max(·, 0)` with `relu`) applied to the values of
    /// the row; the lanes beyond `width` stay zero.
    @inline(__always)
    static func loadNormalizedRow(_ row: UnsafePointer<Float>, from x0: Int, width: Int,
                                  _ f: (a: Float, b: Float, relu: Bool)) -> SIMD16<Float> {
        let n = width - x0
        if n <= 0 { return SIMD16<Float>() }
        var v = SIMD16<Float>(repeating: f.b).addingProduct(loadRow(row, from: x0, width: width),
                                                            SIMD16<Float>(repeating: f.a))
        if f.relu { v = clampedAtZero(v) }
        if n < 16 {
            // One vector compare against the lane numbers (a literal: a static constant would
            // be initialised lazily, checked on every call).
            let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            v = SIMD16<Float>().replacing(with: v, where: lanes .< SIMD16<Int32>(repeating: Int32(n)))
        }
        return v
    }

    /// [previous[15], next[0], …, next[14]]: `next` moved up one lane, the gap filled from the
    /// vector before it (LLVM makes one permute of it).
    @inline(__always)
    static func shiftedInByOne(_ previous: SIMD16<Float>, _ next: SIMD16<Float>) -> SIMD16<Float> {
        var v = SIMD16<Float>()
        v[0] = previous[15]
        for l in 1 ..< 16 { v[l] = next[l - 1] }
        return v
    }

    /// Zeroes `count` floats, a multiple of 16 (inline: the rows are short, a call to memset
    /// costs more than the stores).
    @inline(__always)
    static func zeroFloats(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count { p.store(SIMD16<Float>(), at: i); i += 16 }
    }

    /// Copies `count` floats, in vectors of 16, 8, 4 and 2 (runs are short: a tile row of a
    /// small image is 2 to 8 tiles, an image row 4 to 32 pixels; memcpy's call costs more).
    @inline(__always)
    static func copyFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count { dst.store(src.simd16(i), at: i); i += 16 }
        if i + 8 <= count { dst.store(src.simd8(i), at: i); i += 8 }
        if i + 4 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Float>.self),
                                                        as: SIMD4<Float>.self)
            i += 4
        }
        if i + 2 <= count {
            UnsafeMutableRawPointer(dst + i).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: SIMD2<Float>.self),
                                                        as: SIMD2<Float>.self)
            i += 2
        }
        if i < count { dst[i] = src[i] }
    }

    /// Stores the 32 floats even[0], odd[0], even[1], odd[1], … (LLVM makes two permutes of it).
    @inline(__always)
    static func storeInterleaved(_ even: SIMD16<Float>, _ odd: SIMD16<Float>, to p: UnsafeMutablePointer<Float>) {
        var lo = SIMD16<Float>(), hi = SIMD16<Float>()
        for l in 0 ..< 8 {
            lo[2 * l] = even[l]; lo[2 * l + 1] = odd[l]
            hi[2 * l] = even[l + 8]; hi[2 * l + 1] = odd[l + 8]
        }
        p.store(lo)
        p.store(hi, at: 16)
    }

    // MARK: - One-dimensional transforms on 16 tiles at once

    /// Bᵀ applied to (d0, d1, d2, d3): (d0 - d2, d1 + d2, d2 - d1, d1 - d3).
    @inline(__always)
    static func inputTransform1D(_ d0: SIMD16<Float>, _ d1: SIMD16<Float>, _ d2: SIMD16<Float>, _ d3: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
    }

    /// Aᵀ applied to (m0, m1, m2, m3): ((m0 + m1) + m2, (m1 - m2) - m3).
    @inline(__always)
    static func outputTransform1D(_ m0: SIMD16<Float>, _ m1: SIMD16<Float>, _ m2: SIMD16<Float>, _ m3: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>) {
        ((m0 + m1) + m2, (m1 - m2) - m3)
    }

    /// A applied to (y0, y1): (y0, y0 + y1, y0 - y1, -y1).
    @inline(__always)
    static func outputGradientTransform1D(_ y0: SIMD16<Float>, _ y1: SIMD16<Float>)
        -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        (y0, y0 + y1, y0 - y1, -y1)
    }

    /// The even and the odd lanes of 32 consecutive floats (LLVM makes two permutes of it).
    @inline(__always)
    static func deinterleave(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        for l in 0 ..< 8 {
            even[l] = lo[2 * l]; odd[l] = lo[2 * l + 1]
            even[l + 8] = hi[2 * l]; odd[l + 8] = hi[2 * l + 1]
        }
        return (even, odd)
    }

    /// Four vectors to `p`, `p + stride`, `p + 2·stride`, `p + 3·stride`.
    @inline(__always)
    static func store4(_ q: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>),
                       _ p: UnsafeMutablePointer<Float>, stride: Int) {
        p.store(q.0, at: 0)
        p.store(q.1, at: stride)
        p.store(q.2, at: 2 * stride)
        p.store(q.3, at: 3 * stride)
    }
}
