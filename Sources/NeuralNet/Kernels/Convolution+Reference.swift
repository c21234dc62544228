extension Convolution {
    /// Convolution as the formula reads, one output element at a time:
    /// `y[n, co, oy, ox] = Σ_{ci, ky, kx} w[co, ci, ky, kx] · x[n, ci, oy·s - p + ky, ox·s - p + kx]`,
    /// with taps that fall in the zero padding skipped.
    ///
    /// Shapes: `x` is `geometry.inputShape`, `w` is `geometry.weightShape`, `y` is
    /// `geometry.outputShape` (overwritten).
    package static func forwardReference(_ g: ConvGeometry, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                         y: UnsafeMutablePointer<Float>) {
        for n in 0 ..< g.batch {
            for co in 0 ..< g.outChannels {
                for oy in 0 ..< g.outHeight {
                    for ox in 0 ..< g.outWidth {
                        var sum: Float = 0
                        for ci in 0 ..< g.inChannels {
                            for ky in 0 ..< g.kernel {
                                let iy = oy * g.stride - g.padding + ky
                                if iy < 0 || iy >= g.height { continue }
                                for kx in 0 ..< g.kernel {
                                    let ix = ox * g.stride - g.padding + kx
                                    if ix < 0 || ix >= g.width { continue }
                                    sum += w[((co * g.inChannels + ci) * g.kernel + ky) * g.kernel + kx]
                                        * x[((n * g.inChannels + ci) * g.height + iy) * g.width + ix]
                                }
                            }
                        }
                        y[((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox] = sum
                    }
                }
            }
        }
    }

    /// Gradient with respect to the input: every output gradient flows back to the input
    /// pixels its receptive field read, weighted by the same tap:
    /// `dx[n, ci, iy, ix] = Σ dy[n, co, oy, ox] · w[co, ci, ky, kx]` over all (co, oy, ox, ky, kx)
    /// with `iy = oy·s - p + ky`, `ix = ox·s - p + kx`.
    ///
    /// Shapes: `dy` is `geometry.outputShape`, `w` is `geometry.weightShape`, `dx` is
    /// `geometry.inputShape` (overwritten).
    package static func backwardDataReference(_ g: ConvGeometry, dy: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                              dx: UnsafeMutablePointer<Float>) {
        dx.update(repeating: 0, count: g.batch * g.inputImageSize)
        for n in 0 ..< g.batch {
            for co in 0 ..< g.outChannels {
                for oy in 0 ..< g.outHeight {
                    for ox in 0 ..< g.outWidth {
                        let grad = dy[((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox]
                        for ci in 0 ..< g.inChannels {
                            for ky in 0 ..< g.kernel {
                                let iy = oy * g.stride - g.padding + ky
                                if iy < 0 || iy >= g.height { continue }
                                for kx in 0 ..< g.kernel {
                                    let ix = ox * g.stride - g.padding + kx
                                    if ix < 0 || ix >= g.width { continue }
                                    dx[((n * g.inChannels + ci) * g.height + iy) * g.width + ix] +=
                                        grad * w[((co * g.inChannels + ci) * g.kernel + ky) * g.kernel + kx]
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gradient with respect to the weights: each tap's gradient sums, over the batch and
    /// all output positions, the output gradient times the input pixel that tap read:
    /// `dw[co, ci, ky, kx] = Σ_{n, oy, ox} dy[n, co, oy, ox] · x[n, ci, oy·s - p + ky, ox·s - p + kx]`.
    ///
    /// Shapes: `x` is `geometry.inputShape`, `dy` is `geometry.outputShape`, `dw` is
    /// `geometry.weightShape` (overwritten, or added to when `accumulate` is true).
    package static func backwardWeightsReference(_ g: ConvGeometry, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                                 dw: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        for co in 0 ..< g.outChannels {
            for ci in 0 ..< g.inChannels {
                for ky in 0 ..< g.kernel {
                    for kx in 0 ..< g.kernel {
                        var sum: Float = 0
                        for n in 0 ..< g.batch {
                            for oy in 0 ..< g.outHeight {
                                let iy = oy * g.stride - g.padding + ky
                                if iy < 0 || iy >= g.height { continue }
                                for ox in 0 ..< g.outWidth {
                                    let ix = ox * g.stride - g.padding + kx
                                    if ix < 0 || ix >= g.width { continue }
                                    sum += dy[((n * g.outChannels + co) * g.outHeight + oy) * g.outWidth + ox]
                                        * x[((n * g.inChannels + ci) * g.height + iy) * g.width + ix]
                                }
                            }
                        }
                        let i = ((co * g.inChannels + ci) * g.kernel + ky) * g.kernel + kx
                        dw[i] = accumulate ? dw[i] + sum : sum
                    }
                }
            }
        }
    }
}
