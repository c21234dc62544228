import Core

extension Conv3x3Direct {
    /// One image's contribution to the weight gradient,
    /// `dw[co, ci, ky, kx] += Σ_{y, x} dy[co, y, x] · padded[ci, y + ky, x + kx]`, added to
    /// `sums`, the gradient in the layout of `withTapSums`.
    ///
    /// The register tile is 2 output channels x the 9 taps (18 `SIMD16` accumulators, each
    /// summing 16 pixel lanes), fed two output rows at a time; the lanes are reduced once
    /// per image, 16 of the 18 side by side (`SIMD16.laneSums`) and added to `sums` as one
    /// vector. It has no narrow twin (`RegisterTile`): on AVX2 its 18 accumulators spill,
    /// but a narrow version (one channel's 9 taps, one 8-lane half at a time, 12 registers)
    /// loads twice as often per multiply-add, and measured slower (the numbers are in
    /// scripts/bench/README.md, "Measurement history").
    /// With `next`, the next image's input and output gradient (pointers and float counts)
    /// are prefetched into the cache a slice per channel pair, so they do not wait on memory.
    /// Shapes: `padded` `[inChannels, height+2, width+2]`, `dy` `[outChannels, height, width]`,
    /// `sums` `[outChannels/2, inChannels, 32]` (added to); `outChannels` even, `width % 16 == 0`.
    static func accumulateWeightGradient(padded: UnsafePointer<Float>, inChannels: Int, height: Int, width: Int,
                                         dy: UnsafePointer<Float>, outChannels: Int,
                                         sums: UnsafeMutablePointer<Float>,
                                         prefetching next: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int)? = nil) {
        let pw = width + 2, plane = (height + 2) * pw, pixels = height * width
        // The next image's slice per channel pair, in whole lines: `pairs` slices cover it.
        let pairs = outChannels / 2 * inChannels
        let xSlice = ((next?.1 ?? 0) / pairs + 16) / 16 * 16, gSlice = ((next?.3 ?? 0) / pairs + 16) / 16 * 16
        var pair = 0
        // Blocks of 4 output channels' gradients and as many padded input planes as fit
        // beside them in about 36 KiB, so a block is read from the first-level cache
        // (48 KiB) while each of its channel pairs passes over each of its planes. Each
        // cell's sum is the same with or without blocks: only the order of cells changes.
        let coBlock = 4, ciBlock = max(1, (36 * 1024 / 4 - coBlock * pixels) / plane)
        for co0 in stride(from: 0, to: outChannels, by: coBlock) {
        for ci0 in stride(from: 0, to: inChannels, by: ciBlock) {
        for co in stride(from: co0, to: min(co0 + coBlock, outChannels), by: 2) {
            let g0 = dy + co * pixels, g1 = g0 + pixels
            for ci in ci0 ..< min(ci0 + ciBlock, inChannels) {
                if let (x, xCount, g, gCount) = next {
                    let xAt = pair * xSlice, gAt = pair * gSlice
                    if xAt < xCount { prefetchToCache(x + xAt, count: min(xSlice, xCount - xAt)) }
                    if gAt < gCount { prefetchToCache(g + gAt, count: min(gSlice, gCount - gAt)) }
                    pair += 1
                }
                let src = padded + ci * plane
                var p0 = SIMD16<Float>(), p1 = SIMD16<Float>(), p2 = SIMD16<Float>()
                var p3 = SIMD16<Float>(), p4 = SIMD16<Float>(), p5 = SIMD16<Float>()
                var p6 = SIMD16<Float>(), p7 = SIMD16<Float>(), p8 = SIMD16<Float>()
                var q0 = SIMD16<Float>(), q1 = SIMD16<Float>(), q2 = SIMD16<Float>()
                var q3 = SIMD16<Float>(), q4 = SIMD16<Float>(), q5 = SIMD16<Float>()
                var q6 = SIMD16<Float>(), q7 = SIMD16<Float>(), q8 = SIMD16<Float>()
                // Two output rows per pass: rows y and y + 1 read input rows y … y + 3, so
                // the two middle rows are loaded once for both (16 loads per 36 multiply-adds
                // instead of 11 per 18).
                var y = 0
                while y + 2 <= height {
                    var x = 0
                    while x < width {
                        let a0 = g0.simd16(y * width + x), a1 = g1.simd16(y * width + x)
                        let b0 = g0.simd16((y + 1) * width + x), b1 = g1.simd16((y + 1) * width + x)
                        let r0 = src + y * pw + x, r1 = r0 + pw, r2 = r1 + pw, r3 = r2 + pw
                        // Input row y: tap row 0 of output row y.
                        var v = r0.simd16(); p0 = p0.addingProduct(a0, v); q0 = q0.addingProduct(a1, v)
                        v = r0.simd16(1); p1 = p1.addingProduct(a0, v); q1 = q1.addingProduct(a1, v)
                        v = r0.simd16(2); p2 = p2.addingProduct(a0, v); q2 = q2.addingProduct(a1, v)
                        // Input row y + 1: tap row 1 of output row y, tap row 0 of output row y + 1.
                        v = r1.simd16()
                        p3 = p3.addingProduct(a0, v); q3 = q3.addingProduct(a1, v)
                        p0 = p0.addingProduct(b0, v); q0 = q0.addingProduct(b1, v)
                        v = r1.simd16(1)
                        p4 = p4.addingProduct(a0, v); q4 = q4.addingProduct(a1, v)
                        p1 = p1.addingProduct(b0, v); q1 = q1.addingProduct(b1, v)
                        v = r1.simd16(2)
                        p5 = p5.addingProduct(a0, v); q5 = q5.addingProduct(a1, v)
                        p2 = p2.addingProduct(b0, v); q2 = q2.addingProduct(b1, v)
                        // Input row y + 2: tap row 2 of output row y, tap row 1 of output row y + 1.
                        v = r2.simd16()
                        p6 = p6.addingProduct(a0, v); q6 = q6.addingProduct(a1, v)
                        p3 = p3.addingProduct(b0, v); q3 = q3.addingProduct(b1, v)
                        v = r2.simd16(1)
                        p7 = p7.addingProduct(a0, v); q7 = q7.addingProduct(a1, v)
                        p4 = p4.addingProduct(b0, v); q4 = q4.addingProduct(b1, v)
                        v = r2.simd16(2)
                        p8 = p8.addingProduct(a0, v); q8 = q8.addingProduct(a1, v)
                        p5 = p5.addingProduct(b0, v); q5 = q5.addingProduct(b1, v)
                        // Input row y + 3: tap row 2 of output row y + 1.
                        v = r3.simd16(); p6 = p6.addingProduct(b0, v); q6 = q6.addingProduct(b1, v)
                        v = r3.simd16(1); p7 = p7.addingProduct(b0, v); q7 = q7.addingProduct(b1, v)
                        v = r3.simd16(2); p8 = p8.addingProduct(b0, v); q8 = q8.addingProduct(b1, v)
                        x += 16
                    }
                    y += 2
                }
                // An odd last row on its own.
                while y < height {
                    var x = 0
                    while x < width {
                        let d0 = g0.simd16(y * width + x), d1 = g1.simd16(y * width + x)
                        let r0 = src + y * pw + x, r1 = r0 + pw, r2 = r1 + pw
                        var v = r0.simd16(); p0 = p0.addingProduct(d0, v); q0 = q0.addingProduct(d1, v)
                        v = r0.simd16(1); p1 = p1.addingProduct(d0, v); q1 = q1.addingProduct(d1, v)
                        v = r0.simd16(2); p2 = p2.addingProduct(d0, v); q2 = q2.addingProduct(d1, v)
                        v = r1.simd16(); p3 = p3.addingProduct(d0, v); q3 = q3.addingProduct(d1, v)
                        v = r1.simd16(1); p4 = p4.addingProduct(d0, v); q4 = q4.addingProduct(d1, v)
                        v = r1.simd16(2); p5 = p5.addingProduct(d0, v); q5 = q5.addingProduct(d1, v)
                        v = r2.simd16(); p6 = p6.addingProduct(d0, v); q6 = q6.addingProduct(d1, v)
                        v = r2.simd16(1); p7 = p7.addingProduct(d0, v); q7 = q7.addingProduct(d1, v)
                        v = r2.simd16(2); p8 = p8.addingProduct(d0, v); q8 = q8.addingProduct(d1, v)
                        x += 16
                    }
                    y += 1
                }
                // The 18 lane sums, 16 of them reduced side by side (the same sums as one
                // `laneSum()` each, bit for bit) and added as one vector.
                let cell = sums + ((co / 2) * inChannels + ci) * 32
                cell.store(cell.simd16() + SIMD16<Float>.laneSums(p0, p1, p2, p3, p4, p5, p6, p7, p8,
                                                                  q0, q1, q2, q3, q4, q5, q6))
                cell[16] += q7.laneSum(); cell[17] += q8.laneSum()
            }
        }
        }
        }
    }

    /// Runs `body` with the rows of the weight gradient `dw` `[outChannels, inChannels, 3, 3]`
    /// for the output channels `outputs` (an even start and count) copied into the layout
    /// `accumulateWeightGradient(padded:…)` adds to, then copies them back; other rows of `dw`
    /// are neither read nor written.
    ///
    /// In that layout the 18 taps of a pair of output channels (co, co + 1) and an input channel
    /// ci are one cell of 32 floats at `((co - outputs.lowerBound) / 2 · inChannels + ci) · 32`:
    /// co's 9 taps, then co + 1's, then 14 unused floats. The kernel's 16 lane sums of a cell are
    /// then one vector add; added straight into `dw`, whose taps of co + 1 lie elsewhere, they
    /// were 18 scalar adds, and the compiler took the vector reduction apart to feed them. The
    /// copies move values unchanged, so the sums are those of adding into `dw` directly.
    static func withTapSums(_ dw: UnsafeMutablePointer<Float>, outputs: Range<Int>, inChannels: Int,
                            _ body: (UnsafeMutablePointer<Float>) -> Void) {
        Scratch.withBuffer(count: outputs.count / 2 * inChannels * 32) { sums in
            @inline(__always) func cell(_ co: Int, _ ci: Int) -> UnsafeMutablePointer<Float> {
                sums + ((co - outputs.lowerBound) / 2 * inChannels + ci) * 32 + (co % 2) * 9
            }
            for co in outputs {
                for ci in 0 ..< inChannels {
                    for tap in 0 ..< 9 { cell(co, ci)[tap] = dw[(co * inChannels + ci) * 9 + tap] }
                }
            }
            body(sums)
            for co in outputs {
                for ci in 0 ..< inChannels {
                    for tap in 0 ..< 9 { dw[(co * inChannels + ci) * 9 + tap] = cell(co, ci)[tap] }
                }
            }
        }
    }
}
