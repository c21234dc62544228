import Core

/// C[rows x cols] (+)= A[rows x kc] * panel[kc x 32], the innermost loop of the GEMM.
///
/// Each step of `p` loads one row of the packed B panel as two 16-float vectors,
/// broadcasts one A value per row, and does 12 fused multiply-adds into registers; C is
/// touched only once at the end. Rows beyond `rows` read a valid row again (their results
/// are dropped) and columns beyond `cols` are zero padding in the panel, so the loop body
/// is the same for edge tiles.
@inline(__always)
func microKernel6x32(kc: Int, a: UnsafePointer<Float>, aRow: Int, aCol: Int, rows: Int,
                     panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                     cols: Int, accumulate: Bool) {
    let a0 = a
    let a1 = a + min(1, rows - 1) * aRow
    let a2 = a + min(2, rows - 1) * aRow
    let a3 = a + min(3, rows - 1) * aRow
    let a4 = a + min(4, rows - 1) * aRow
    let a5 = a + min(5, rows - 1) * aRow
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
    var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
    var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
    var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var b = panel
    var offset = 0
    for _ in 0 ..< kc {
        let b0 = b.simd16(), b1 = b.simd16(16)
        var x = SIMD16<Float>(repeating: a0[offset])
        c00 += x * b0; c01 += x * b1
        x = SIMD16<Float>(repeating: a1[offset])
        c10 += x * b0; c11 += x * b1
        x = SIMD16<Float>(repeating: a2[offset])
        c20 += x * b0; c21 += x * b1
        x = SIMD16<Float>(repeating: a3[offset])
        c30 += x * b0; c31 += x * b1
        x = SIMD16<Float>(repeating: a4[offset])
        c40 += x * b0; c41 += x * b1
        x = SIMD16<Float>(repeating: a5[offset])
        c50 += x * b0; c51 += x * b1
        b += 32
        offset += aCol
    }
    if cols == 32 {
        storeRow(c00, c01, c, accumulate)
        if rows > 1 { storeRow(c10, c11, c + ldc, accumulate) }
        if rows > 2 { storeRow(c20, c21, c + 2 * ldc, accumulate) }
        if rows > 3 { storeRow(c30, c31, c + 3 * ldc, accumulate) }
        if rows > 4 { storeRow(c40, c41, c + 4 * ldc, accumulate) }
        if rows > 5 { storeRow(c50, c51, c + 5 * ldc, accumulate) }
    } else {
        storePartialRow(c00, c01, c, cols, accumulate)
        if rows > 1 { storePartialRow(c10, c11, c + ldc, cols, accumulate) }
        if rows > 2 { storePartialRow(c20, c21, c + 2 * ldc, cols, accumulate) }
        if rows > 3 { storePartialRow(c30, c31, c + 3 * ldc, cols, accumulate) }
        if rows > 4 { storePartialRow(c40, c41, c + 4 * ldc, cols, accumulate) }
        if rows > 5 { storePartialRow(c50, c51, c + 5 * ldc, cols, accumulate) }
    }
}

@inline(__always)
private func storeRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    if accumulate {
        c.store(c.simd16() + lo)
        c.store(c.simd16(16) + hi, at: 16)
    } else {
        c.store(lo)
        c.store(hi, at: 16)
    }
}

@inline(__always)
private func storePartialRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>,
                             _ cols: Int, _ accumulate: Bool) {
    for j in 0 ..< cols {
        let v = j < 16 ? lo[j] : hi[j - 16]
        c[j] = accumulate ? c[j] + v : v
    }
}
