import Core

/// Register tile of the micro-kernel: 8 rows x 32 columns = 16 `SIMD16<Float>`
/// accumulators, which with the two B vectors and a broadcast A value fit in the 32
/// AVX-512 registers without spilling (`RegisterTile.narrow` builds use 6 x 16 tiles on
/// the same 32-column panels instead).
let gemmMR = 8
let gemmNR = 32
/// Depth of one packed B block: a 256 x 32 micro-panel (32 KiB) stays in L1 while the
/// micro-kernel sweeps the rows of A.
let gemmKC = 256
/// Width of one packed B block (256 x 512 floats = 512 KiB, within the 1 MiB L2).
let gemmNC = 512

/// Same contract and result as `gemmReference` (within float rounding: the sums are
/// accumulated in a different order), computed with packed B panels, an 8 x 32 SIMD
/// register tile that reads A in place (convolution GEMMs have few rows, so packing A
/// costs more than it saves), and both cores for large products.
package func gemmOptimized(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0 ..< m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    // Below about 128³ multiply-adds one thread beats two (thread wake-up costs more).
    let threads = m * n * k < 2_000_000 ? 1 : Parallel.threadCount
    if threads == 1 {
        gemmSingleThread(transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                         c: c, ldc: ldc, accumulate: accumulate)
        return
    }
    if n >= 2 * gemmNR * threads {
        // Split the columns into panel-aligned chunks: each thread packs its own B.
        let panels = (n + gemmNR - 1) / gemmNR
        Parallel.forEach(threads) { t in
            let r = Parallel.chunkRange(t, of: threads, count: panels)
            let j0 = r.lowerBound * gemmNR, j1 = min(n, r.upperBound * gemmNR)
            guard j1 > j0 else { return }
            let bOffset = transB == .none ? j0 : j0 * ldb
            gemmSingleThread(transA, transB, m: m, n: j1 - j0, k: k, a: a, lda: lda,
                             b: b + bOffset, ldb: ldb, c: c + j0, ldc: ldc, accumulate: accumulate)
        }
    } else {
        // Few columns: split the rows instead (each thread packs the same B; it is small).
        Parallel.forEach(threads) { t in
            let r = Parallel.chunkRange(t, of: threads, count: m)
            guard !r.isEmpty else { return }
            let aOffset = transA == .none ? r.lowerBound * lda : r.lowerBound
            gemmSingleThread(transA, transB, m: r.count, n: n, k: k, a: a + aOffset, lda: lda,
                             b: b, ldb: ldb, c: c + r.lowerBound * ldc, ldc: ldc, accumulate: accumulate)
        }
    }
}

/// The blocked product on the calling thread. Same contract as `gemm`.
package func gemmSingleThread(_ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    // Element (i, p) of op(A) sits at a + i * aRow + p * aCol.
    let aRow = transA == .none ? lda : 1
    let aCol = transA == .none ? 1 : lda
    let ncMax = min(gemmNC, (n + gemmNR - 1) / gemmNR * gemmNR)
    Scratch.withBuffer(count: min(gemmKC, k) * ncMax) { packed in
        var jc = 0
        while jc < n {
            let nc = min(gemmNC, n - jc)
            var pc = 0
            while pc < k {
                let kc = min(gemmKC, k - pc)
                packB(transB, b: b, ldb: ldb, rows: pc ..< pc + kc, cols: jc ..< jc + nc, into: packed)
                multiplyPanels(m: m, n: nc, kc: kc, a: a + pc * aCol, aRow: aRow, aCol: aCol, panels: packed,
                               c: c + jc, ldc: ldc, accumulate: accumulate || pc > 0)
                pc += kc
            }
            jc += nc
        }
    }
}

/// `C[m x n] = A[m x k] · B[k x n]` (or `+=` with `accumulate`) on the calling thread, for a B
/// that its producer already wrote as `packB` packs it, so no copy is made: rows `pc ..< pc + kc`
/// of B (`kc = min(gemmKC, k - pc)`, `pc` a multiple of `gemmKC`) are a block `pc / gemmKC ·
/// blockStride` floats from `panels`, in which element (p, j) sits at `(j / 32) · kc · 32 + p · 32
/// + j % 32`; columns from `n` up to the next multiple of 32 must hold finite numbers (zeros).
///
/// Each element of C gets the same sums in the same order as from `gemmSingleThread` on the
/// unpacked B: the blocks of `gemmKC` rows in order, each through the same micro-kernel.
/// A is row-major `m x k` with row stride `lda`; C has row stride `ldc`.
package func gemmPackedB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                         panels: UnsafePointer<Float>, blockStride: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0 ..< m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    var pc = 0
    while pc < k {
        let kc = min(gemmKC, k - pc)
        multiplyPanels(m: m, n: n, kc: kc, a: a + pc, aRow: lda, aCol: 1, panels: panels + pc / gemmKC * blockStride,
                       c: c, ldc: ldc, accumulate: accumulate || pc > 0)
        pc += kc
    }
}

/// `C[m x n] (+)= op(A)[m x kc] · B`, with B's `kc` rows in the micro-panels at `panels` (panel `j`
/// of 32 columns `j · 32 · kc` floats in, k-major), a micro-kernel call per register tile of C:
/// the wide 8 x 32 tiles, or on a `RegisterTile.narrow` build 6 x 16 tiles over each half of a
/// panel. Element (i, p) of op(A) is at `a + i · aRow + p · aCol`.
@inline(__always)
func multiplyPanels(m: Int, n: Int, kc: Int, a: UnsafePointer<Float>, aRow: Int, aCol: Int,
                    panels: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    var jr = 0
    while jr < n {
        let nr = min(gemmNR, n - jr)
        let panel = panels + jr * kc
        if RegisterTile.current == .narrow {
            // Each half of the panel in 6 x 16 tiles (see `microKernel6x16`).
            for half in 0 ..< 2 where nr > 16 * half {
                var ir = 0
                while ir < m {
                    microKernel6x16(kc: kc, a: a + ir * aRow, aRow: aRow, aCol: aCol,
                                    rows: min(6, m - ir), panel: panel + 16 * half,
                                    c: c + ir * ldc + jr + 16 * half, ldc: ldc,
                                    cols: min(16, nr - 16 * half), accumulate: accumulate)
                    ir += 6
                }
            }
        } else {
            var ir = 0
            while ir < m {
                microKernel8x32(kc: kc, a: a + ir * aRow, aRow: aRow, aCol: aCol, rows: min(gemmMR, m - ir),
                                panel: panel, c: c + ir * ldc + jr, ldc: ldc, cols: nr, accumulate: accumulate)
                ir += gemmMR
            }
        }
        jr += gemmNR
    }
}

/// Copies op(B)[rows, cols] into consecutive micro-panels of `gemmNR` columns, each
/// stored k-major (`panel[p * 32 + j]`), zero-padding the last panel's missing columns so
/// the micro-kernel never branches on the width.
@inline(__always)
func packB(_ transB: Transpose, b: UnsafePointer<Float>, ldb: Int, rows: Range<Int>, cols: Range<Int>,
           into packed: UnsafeMutablePointer<Float>) {
    let kc = rows.count
    var jr = 0
    while jr < cols.count {
        let nr = min(gemmNR, cols.count - jr)
        let panel = packed + jr * kc
        let j0 = cols.lowerBound + jr
        if transB == .none {
            for p in 0 ..< kc {
                let src = b + (rows.lowerBound + p) * ldb + j0
                let dst = panel + p * gemmNR
                if nr == gemmNR {
                    dst.store(src.simd16(), at: 0)
                    dst.store(src.simd16(16), at: 16)
                } else {
                    for j in 0 ..< nr { dst[j] = src[j] }
                    for j in nr ..< gemmNR { dst[j] = 0 }
                }
            }
        } else {
            // B is stored transposed (`n x k`): its rows become the panel's columns. Whole
            // 16 x 16 blocks are transposed with vector shuffles, the rest one float at a time.
            let whole = nr == gemmNR ? kc / 16 * 16 : 0
            for half in stride(from: 0, to: whole > 0 ? gemmNR : 0, by: 16) {
                for p in stride(from: 0, to: whole, by: 16) {
                    transpose16x16(b + (j0 + half) * ldb + rows.lowerBound + p, sourceStride: ldb,
                                   into: panel + p * gemmNR + half, destinationStride: gemmNR)
                }
            }
            for j in 0 ..< nr {
                let src = b + (j0 + j) * ldb + rows.lowerBound
                for p in whole ..< kc { panel[p * gemmNR + j] = src[p] }
            }
            if nr < gemmNR {
                for p in 0 ..< kc { for j in nr ..< gemmNR { panel[p * gemmNR + j] = 0 } }
            }
        }
        jr += gemmNR
    }
}
