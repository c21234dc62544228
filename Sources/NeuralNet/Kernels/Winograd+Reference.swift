import Core

extension Winograd {
    /// The forward convolution by Winograd F(2x2, 3x3), step by step as the paper writes it (see
    /// `Winograd`): the filter transform of every channel pair, then for every image and 2x2
    /// output tile the input transforms, their products with the filters' summed over input
    /// channels, and the output transform. Same result as `Convolution.forwardReference` within float
    /// rounding (the transforms round differently from the direct sum; `WinogradTests` measures
    /// by how much).
    ///
    /// Shapes (as the direct convolution's): `x` is `[batch, inChannels, height, width]`, `w` is
    /// `[outChannels, inChannels, 3, 3]`, `y` is `[batch, outChannels, height, width]`
    /// (overwritten). Requires a 3x3 kernel, stride 1 and padding 1. `algorithm` F(4x4, 3x3)
    /// runs the same steps with 6x6 tiles and 4x4 outputs.
    package static func forwardReference(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                         y: UnsafeMutablePointer<Float>, algorithm a: Algorithm = .f2x2) {
        contract(Winograd.applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        let (h, wd) = (g.height, g.width)
        // Filter transform: U[co][ci] = G g Gᵀ.
        var u = [[[[Float]]]](repeating: [], count: g.outChannels)
        for co in 0 ..< g.outChannels {
            for ci in 0 ..< g.inChannels {
                let filter = (0 ..< 3).map { r in (0 ..< 3).map { c in w[((co * g.inChannels + ci) * 3 + r) * 3 + c] } }
                u[co].append(Winograd.filterTransform(filter, a))
            }
        }
        let tilesY = (h + a.m - 1) / a.m, tilesX = (wd + a.m - 1) / a.m
        for n in 0 ..< g.batch {
            for ty in 0 ..< tilesY {
                for tx in 0 ..< tilesX {
                    // Input transform of this tile in every input channel: V[ci] = Bᵀ d B.
                    let v = (0 ..< g.inChannels).map { ci in
                        Winograd.inputTransform(Winograd.inputTile(x + (n * g.inChannels + ci) * h * wd,
                                                                   height: h, width: wd, ty: ty, tx: tx, a), a)
                    }
                    for co in 0 ..< g.outChannels {
                        // M = Σ_ci U ⊙ V: the only multiplies, n² per channel pair.
                        var m = [[Float]](repeating: [Float](repeating: 0, count: a.n), count: a.n)
                        for ci in 0 ..< g.inChannels {
                            for i in 0 ..< a.n {
                                for j in 0 ..< a.n { m[i][j] += u[co][ci][i][j] * v[ci][i][j] }
                            }
                        }
                        // Output transform, keeping the outputs inside the image.
                        let out = Winograd.outputTransform(m, a)
                        for i in 0 ..< a.m where a.m * ty + i < h {
                            for j in 0 ..< a.m where a.m * tx + j < wd {
                                y[((n * g.outChannels + co) * h + a.m * ty + i) * wd + a.m * tx + j] = out[i][j]
                            }
                        }
                    }
                }
            }
        }
    }

    /// The input gradient by Winograd F(2x2, 3x3): the forward algorithm applied to `dy` with
    /// the weights rotated by 180° and input and output channels swapped (`Winograd`). Same
    /// result as `Convolution.backwardDataReference` within float rounding.
    ///
    /// Shapes: `dy` is `[batch, outChannels, height, width]`, `w` is
    /// `[outChannels, inChannels, 3, 3]`, `dx` is `[batch, inChannels, height, width]`
    /// (overwritten). Requires a 3x3 kernel, stride 1 and padding 1.
    package static func backwardDataReference(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                              dx: UnsafeMutablePointer<Float>, algorithm a: Algorithm = .f2x2) {
        contract(Winograd.applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        let flipped = Winograd.flippedWeights(g, w)
        Winograd.forwardReference(Winograd.backwardDataGeometry(g), x: dy, w: flipped, y: dx, algorithm: a)
    }

    /// The weight gradient by Winograd: for every image, tile and channel pair, the tile's output
    /// gradient expanded by A dY Aᵀ times the input tile's transform Bᵀ d B, elementwise, summed
    /// over images and tiles in the 4x4 transformed domain, then reduced to 3x3 by Gᵀ · G
    /// (`Winograd`). Same result as `Convolution.backwardWeightsReference` within float rounding.
    ///
    /// Shapes: `x` is `[batch, inChannels, height, width]`, `dy` is
    /// `[batch, outChannels, height, width]`, `dw` is `[outChannels, inChannels, 3, 3]`
    /// (overwritten, or added to when `accumulate` is true). Requires a 3x3 kernel, stride 1 and
    /// padding 1.
    package static func backwardWeightsReference(_ g: ConvGeometry, x: UnsafePointer<Float>,
                                                 dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                                 accumulate: Bool = false, algorithm a: Algorithm = .f2x2) {
        contract(Winograd.applies(g), "Winograd F(2x2, 3x3) needs a 3x3 kernel, stride 1 and padding 1")
        let (h, wd) = (g.height, g.width)
        let tilesY = (h + a.m - 1) / a.m, tilesX = (wd + a.m - 1) / a.m
        // P[co][ci] = Σ_{n, tiles} (A dY Aᵀ) ⊙ (Bᵀ d B), n x n each.
        let zero = [[Float]](repeating: [Float](repeating: 0, count: a.n), count: a.n)
        var p = [[[[Float]]]](repeating: [[[Float]]](repeating: zero, count: g.inChannels), count: g.outChannels)
        for n in 0 ..< g.batch {
            for ty in 0 ..< tilesY {
                for tx in 0 ..< tilesX {
                    let v = (0 ..< g.inChannels).map { ci in
                        Winograd.inputTransform(Winograd.inputTile(x + (n * g.inChannels + ci) * h * wd,
                                                                   height: h, width: wd, ty: ty, tx: tx, a), a)
                    }
                    for co in 0 ..< g.outChannels {
                        // The tile's m x m output gradient, zero beyond the image.
                        let plane = dy + (n * g.outChannels + co) * h * wd
                        let tileGradient = (0 ..< a.m).map { i in
                            (0 ..< a.m).map { j -> Float in
                                let oy = a.m * ty + i, ox = a.m * tx + j
                                return oy < h && ox < wd ? plane[oy * wd + ox] : 0
                            }
                        }
                        let z = Winograd.outputGradientTransform(tileGradient, a)
                        for ci in 0 ..< g.inChannels {
                            for i in 0 ..< a.n {
                                for j in 0 ..< a.n { p[co][ci][i][j] += z[i][j] * v[ci][i][j] }
                            }
                        }
                    }
                }
            }
        }
        for co in 0 ..< g.outChannels {
            for ci in 0 ..< g.inChannels {
                let gradient = Winograd.filterGradientTransform(p[co][ci], a)
                for r in 0 ..< 3 {
                    for c in 0 ..< 3 {
                        let i = ((co * g.inChannels + ci) * 3 + r) * 3 + c
                        dw[i] = accumulate ? dw[i] + gradient[r][c] : gradient[r][c]
                    }
                }
            }
        }
    }
}
