import CSIMDShuffle

// Operations that need lane shuffles, which Swift's SIMD types cannot name: the lane sums of
// sixteen vectors at once, a 16 x 16 transpose, and the placement of Winograd tiles in 8 x 8 and
// 4 x 4 planes. All are C functions (`CSIMDShuffle`).

/// The lane sums of sixteen vectors at once, each added exactly as `SIMD16.laneSum()` adds it.
///
/// `laneSum()` halves one vector three times and adds the last two lanes: four steps of one
/// vector, most of whose lanes are idle by the end. `laneSums` runs the same four steps on
/// sixteen vectors side by side, two vectors' partial sums packed into each register, so
/// every vector add is full: 15 adds and their shuffles instead of 16 separate trees. Each
/// lane of the result is the same additions of the same values as that vector's `laneSum()`
/// (a + b equals b + a in floating point), so the two agree bit for bit; only the lanes move.
/// A kernel that reduces many accumulators at once (a weight gradient's 9 taps of 2 channels)
/// calls this in its epilogue. The shuffles are written in C (`simd_lane_sums16` in
/// `CSIMDShuffle`): Swift's SIMD types have no lane permutation, and lane-by-lane
/// constructors were compiled into about 30 instructions per sum instead of 4.

extension SIMD16 where Scalar == Float {
    /// Lane i is `vectors[i].laneSum()` for the sixteen vectors, in order.
    @inlinable @inline(__always)
    public static func laneSums(_ v0: Self, _ v1: Self, _ v2: Self, _ v3: Self, _ v4: Self, _ v5: Self,
                                _ v6: Self, _ v7: Self, _ v8: Self, _ v9: Self, _ v10: Self, _ v11: Self,
                                _ v12: Self, _ v13: Self, _ v14: Self, _ v15: Self) -> Self {
        var vectors = (v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15)
        var sums = Self()
        withUnsafeMutablePointer(to: &sums) { out in
            withUnsafePointer(to: &vectors) { vs in
                simd_lane_sums16(UnsafeRawPointer(vs).assumingMemoryBound(to: Float.self),
                                 UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self))
            }
        }
        return sums
    }

    /// Lane i is the `laneSum()` of the i-th of the 16 vectors stored from `vectors` (256
    /// floats, no alignment needed): for kernels that build their accumulators in a loop.
    @inlinable @inline(__always)
    public static func laneSums(of vectors: UnsafePointer<Float>) -> Self {
        var sums = Self()
        withUnsafeMutablePointer(to: &sums) { out in
            simd_lane_sums16(vectors, UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self))
        }
        return sums
    }
}

/// Transposes a 16 x 16 block of floats: row i of `destination` (rows `destinationStride`
/// floats apart) receives column i of `source` (rows `sourceStride` apart), with 64 vector
/// shuffles instead of 256 scalar loads and stores. The values are moved unchanged; the two
/// blocks must not overlap.
@inlinable @inline(__always)
public func transpose16x16(_ source: UnsafePointer<Float>, sourceStride: Int,
                           into destination: UnsafeMutablePointer<Float>, destinationStride: Int) {
    simd_transpose16x16(source, sourceStride, destination, destinationStride)
}

/// The elements of the 16 Winograd F(2x2, 3x3) input tiles of one 8 x 8 plane (64 floats, row
/// major), one tile per lane: `elements[16 · (4r + k) + 4·ty + tx]` is element (r, k) of tile
/// (ty, tx), the plane's value at row 2·ty + r - 1, column 2·tx + k - 1, or +0 in the one-pixel
/// zero padding (256 floats written). Each element vector is one two-vector shuffle of the
/// plane's even or odd rows; the values are moved unchanged.
@inlinable @inline(__always)
public func winogradTiles8x8(_ plane: UnsafePointer<Float>, into elements: UnsafeMutablePointer<Float>) {
    simd_winograd_tiles8x8(plane, elements)
}

/// The 2x2 output gradients of the 16 tiles of one 8 x 8 plane, one tile per lane:
/// `elements[16 · (2r + k) + 4·ty + tx]` is the plane's value at row 2·ty + r, column 2·tx + k
/// (64 floats written, moved unchanged).
@inlinable @inline(__always)
public func winogradGradientTiles8x8(_ plane: UnsafePointer<Float>, into elements: UnsafeMutablePointer<Float>) {
    simd_winograd_gradient_tiles8x8(plane, elements)
}

/// The inverse placement: the 2x2 outputs of an 8 x 8 plane's 16 tiles,
/// `outputs[16 · (2r + k) + 4·ty + tx]`, written to row 2·ty + r, column 2·tx + k of `plane`
/// (64 floats, moved unchanged).
@inlinable @inline(__always)
public func winogradOutputs8x8(_ outputs: UnsafePointer<Float>, into plane: UnsafeMutablePointer<Float>) {
    simd_winograd_outputs8x8(outputs, plane)
}

/// The elements of the Winograd F(2x2, 3x3) input tiles of four consecutive 4 x 4 planes (64
/// floats), one tile per lane: `elements[16 · (4r + k) + 4q + 2·ty + tx]` is element (r, k) of
/// tile (ty, tx) of plane q, its value at row 2·ty + r - 1, column 2·tx + k - 1, or +0 in the
/// one-pixel zero padding (256 floats written, moved unchanged).
@inlinable @inline(__always)
public func winogradTiles4x4(_ planes: UnsafePointer<Float>, into elements: UnsafeMutablePointer<Float>) {
    simd_winograd_tiles4x4(planes, elements)
}
