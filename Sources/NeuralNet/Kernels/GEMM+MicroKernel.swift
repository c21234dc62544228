import Core

/// C[rows x cols] (+)= A[rows x kc] * panel[kc x 32], the innermost loop of the GEMM.
///
/// Each step of `p` loads one row of the packed B panel as two 16-float vectors,
/// broadcasts one A value per row, and does 16 multiply-adds into registers; C is
/// touched only once at the end. The 8 x 32 tile (16 `SIMD16<Float>` accumulators) fits
/// the 32 AVX-512 registers with room for the operands, and 8 divides every channel
/// count of a ResNet, so convolution GEMMs have no ragged row tiles. Rows beyond `rows`
/// read a valid row again (their results are dropped) and columns beyond `cols` are zero
/// padding in the panel, so the loop body is the same for edge tiles.
@inline(__always)
func microKernel8x32(kc: Int, a: UnsafePointer<Float>, aRow: Int, aCol: Int, rows: Int,
                     panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                     cols: Int, accumulate: Bool) {
    let a0 = a
    let a1 = a + min(1, rows - 1) * aRow
    let a2 = a + min(2, rows - 1) * aRow
    let a3 = a + min(3, rows - 1) * aRow
    let a4 = a + min(4, rows - 1) * aRow
    let a5 = a + min(5, rows - 1) * aRow
    let a6 = a + min(6, rows - 1) * aRow
    let a7 = a + min(7, rows - 1) * aRow
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
    var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
    var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
    var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
    var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    var b = panel
    var offset = 0
    for _ in 0 ..< kc {
        let b0 = b.simd16(), b1 = b.simd16(16)
        var x = SIMD16<Float>(repeating: a0[offset])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a1[offset])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a2[offset])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a3[offset])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a4[offset])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a5[offset])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a6[offset])
        c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: a7[offset])
        c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
        b += 32
        offset += aCol
    }
    let full = cols == 32
    storeRow(c00, c01, c, cols, full, accumulate)
    if rows > 1 { storeRow(c10, c11, c + ldc, cols, full, accumulate) }
    if rows > 2 { storeRow(c20, c21, c + 2 * ldc, cols, full, accumulate) }
    if rows > 3 { storeRow(c30, c31, c + 3 * ldc, cols, full, accumulate) }
    if rows > 4 { storeRow(c40, c41, c + 4 * ldc, cols, full, accumulate) }
    if rows > 5 { storeRow(c50, c51, c + 5 * ldc, cols, full, accumulate) }
    if rows > 6 { storeRow(c60, c61, c + 6 * ldc, cols, full, accumulate) }
    if rows > 7 { storeRow(c70, c71, c + 7 * ldc, cols, full, accumulate) }
}

@inline(__always)
private func storeRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>,
                      _ cols: Int, _ full: Bool, _ accumulate: Bool) {
    if full {
        if accumulate {
            c.store(c.simd16() + lo)
            c.store(c.simd16(16) + hi, at: 16)
        } else {
            c.store(lo)
            c.store(hi, at: 16)
        }
        return
    }
    for j in 0 ..< cols {
        let v = j < 16 ? lo[j] : hi[j - 16]
        c[j] = accumulate ? c[j] + v : v
    }
}

/// The narrow micro-kernel (`RegisterTile.narrow`): C[rows x cols] (+)= A[rows x kc] *
/// half a panel, for vector units with 16 registers of 8 floats (AVX2) or 32 of 4 (NEON),
/// where the 8 x 32 tile's 16 `SIMD16` accumulators would need every register twice over.
/// Here 6 rows x 16 columns (6 `SIMD16`, 12 AVX2 registers, the classic AVX2 GEMM tile):
/// `panel` points at the left or right 16 columns of a packed 32-column panel, so each
/// step reads one vector and moves 32 floats on. Rows and columns beyond `rows` (≤ 6) and
/// `cols` (≤ 16) are handled as in `microKernel8x32`; each element of C adds the same
/// products in the same order as there, so the two give identical results.
@inline(__always)
func microKernel6x16(kc: Int, a: UnsafePointer<Float>, aRow: Int, aCol: Int, rows: Int,
                     panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                     cols: Int, accumulate: Bool) {
    let a0 = a
    let a1 = a + min(1, rows - 1) * aRow
    let a2 = a + min(2, rows - 1) * aRow
    let a3 = a + min(3, rows - 1) * aRow
    let a4 = a + min(4, rows - 1) * aRow
    let a5 = a + min(5, rows - 1) * aRow
    var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
    var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
    var b = panel
    var offset = 0
    for _ in 0 ..< kc {
        let v = b.simd16()
        c0 = c0.addingProduct(SIMD16<Float>(repeating: a0[offset]), v)
        c1 = c1.addingProduct(SIMD16<Float>(repeating: a1[offset]), v)
        c2 = c2.addingProduct(SIMD16<Float>(repeating: a2[offset]), v)
        c3 = c3.addingProduct(SIMD16<Float>(repeating: a3[offset]), v)
        c4 = c4.addingProduct(SIMD16<Float>(repeating: a4[offset]), v)
        c5 = c5.addingProduct(SIMD16<Float>(repeating: a5[offset]), v)
        b += 32
        offset += aCol
    }
    @inline(__always) func store(_ row: Int, _ value: SIMD16<Float>) {
        guard row < rows else { return }
        let dst = c + row * ldc
        if cols == 16 {
            dst.store(accumulate ? dst.simd16() + value : value)
        } else {
            for j in 0 ..< cols { dst[j] = accumulate ? dst[j] + value[j] : value[j] }
        }
    }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
}
