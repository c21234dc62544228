#ifndef SIMD_SHUFFLE_H
#define SIMD_SHUFFLE_H

/// Two kernels built on lane shuffles, which Swift's SIMD types cannot name: the lane sums of
/// 16 vectors at once (Core's `SIMD16.laneSums`) and a 16 x 16 transpose. They take plain
/// float pointers; the vectors and shuffles are in simd_shuffle.c.

/// `sums[i]` = the lane sum of the 16 floats at `vectors + 16 i`, for i in 0 ..< 16, each added
/// as `SIMD16.laneSum()` adds one vector (halves, quarters, pairs, last two lanes), the sixteen
/// side by side. Neither pointer needs any alignment. (A function of its own, not inline: the
/// same shuffles inlined into Swift code were split by the optimizer into 128-bit pieces,
/// about 30 instructions per sum instead of 4.)
void simd_lane_sums16(const float *vectors, float *sums);

/// Transposes a 16 x 16 block: row i of `destination` (rows `destinationStride` floats
/// apart) receives column i of `source` (rows `sourceStride` apart), in 64 two-vector
/// shuffles instead of 256 scalar moves. Values are moved, never changed. No alignment needed.
void simd_transpose16x16(const float *source, long sourceStride, float *destination, long destinationStride);

#endif
