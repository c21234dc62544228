import SimCLR

/// The machine's measured multiply-add peak: what "fraction of peak" in the step table is
/// a fraction of.
///
/// Each thread runs 24 independent chains of `acc = acc · x + y` on `SIMD16<Float>`
/// (one fused multiply-add per chain and step, 32 FLOP per instruction). 24 chains cover
/// the latency of two FMA pipes (4 cycles × 2 pipes = 8 in flight) three times over, so the
/// loop is limited by FMA throughput alone, the same limit every kernel of the step runs
/// into. The peak is measured rather than computed from a clock rate because the clock of a
/// shared or turbo-boosting machine is not the nominal one, and a CPU with one AVX-512 FMA
/// pipe per core has half the peak of one with two.
///
/// On a build for a CPU without AVX-512 (`RegisterTile.compiled == .narrow`) 24 `SIMD16`
/// chains would need 48 AVX2 registers and spill to memory, measuring the spills instead of
/// the FMA pipes (it reported half the step's own speed as the peak); there the probe runs
/// 6 chains (12 AVX2 registers, 12 in flight, still more than the 8 the pipes need).
enum PeakProbe {
    /// Multiply-add GFLOP/s of `threads` threads, the best of `repeats` runs of about
    /// 0.1 s each (the best, not the median: the peak is what the hardware can do).
    static func gflops(threads: Int, repeats: Int = 5) -> Double {
        let narrow = RegisterTile.compiled == .narrow
        let iterations = narrow ? 8_000_000 : 2_000_000
        var best = 0.0
        for _ in 0 ..< repeats {
            let start = monotonicSeconds()
            var sums = [Float](repeating: 0, count: threads)
            sums.withUnsafeMutableBufferPointer { sink in
                Parallel.forEach(threads) { t in
                    sink[t] = narrow ? narrowChains(iterations: iterations, seed: Float(t))
                                     : chains(iterations: iterations, seed: Float(t))
                }
            }
            let seconds = monotonicSeconds() - start
            guard sums.allSatisfy({ $0.isFinite }) else { fatalError("peak probe: a chain overflowed") }
            best = max(best, Double(threads) * Double(iterations) * Double(narrow ? 6 : 24) * 32 / seconds / 1e9)
        }
        return best
    }

    /// 24 FMA chains, `iterations` steps each; returns their sum so nothing is optimised away.
    /// `x` and `y` keep every chain bounded (|acc| tends to y / (1 - x) = 1).
    @inline(never)
    static func chains(iterations: Int, seed: Float) -> Float {
        let x = SIMD16<Float>(repeating: 0.5), y = SIMD16<Float>(repeating: 0.5)
        var a0 = SIMD16<Float>(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        var a6 = a0 + 6, a7 = a0 + 7, a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
        var b0 = a0 - 1, b1 = a0 - 2, b2 = a0 - 3, b3 = a0 - 4, b4 = a0 - 5, b5 = a0 - 6
        var b6 = a0 - 7, b7 = a0 - 8, b8 = a0 - 9, b9 = a0 - 10, b10 = a0 - 11, b11 = a0 - 12
        for _ in 0 ..< iterations {
            a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x)
            a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x)
            a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x); a8 = y.addingProduct(a8, x)
            a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x); a11 = y.addingProduct(a11, x)
            b0 = y.addingProduct(b0, x); b1 = y.addingProduct(b1, x); b2 = y.addingProduct(b2, x)
            b3 = y.addingProduct(b3, x); b4 = y.addingProduct(b4, x); b5 = y.addingProduct(b5, x)
            b6 = y.addingProduct(b6, x); b7 = y.addingProduct(b7, x); b8 = y.addingProduct(b8, x)
            b9 = y.addingProduct(b9, x); b10 = y.addingProduct(b10, x); b11 = y.addingProduct(b11, x)
        }
        let a = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
        let b = b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9 + b10 + b11
        return (a + b).sum()
    }

    /// 6 FMA chains for vector units with 16 registers of 8 floats (see the type's comment).
    @inline(never)
    static func narrowChains(iterations: Int, seed: Float) -> Float {
        let x = SIMD16<Float>(repeating: 0.5), y = SIMD16<Float>(repeating: 0.5)
        var a0 = SIMD16<Float>(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
        for _ in 0 ..< iterations {
            a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x)
            a3 = y.addingProduct(a3, x); a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x)
        }
        return (a0 + a1 + a2 + a3 + a4 + a5).sum()
    }
}
