#ifndef SIMD_SHUFFLE_H
#define SIMD_SHUFFLE_H

/// Kernels built on lane shuffles, which Swift's SIMD types cannot name: the lane sums of 16
/// vectors at once (Core's `SIMD16.laneSums`), a 16 x 16 transpose, and the Winograd tiles of an
/// 8 x 8 plane. They take plain float pointers; the vectors and shuffles are in simd_shuffle.c.

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

/// The elements of the 16 Winograd F(2x2, 3x3) input tiles of one 8 x 8 plane (64 floats, row
/// major): `elements[16 (4 r + k) + 4 ty + tx]` = element (r, k) of tile (ty, tx), the plane's
/// value at row 2 ty + r - 1, column 2 tx + k - 1, or +0 in the one-pixel zero padding. Values
/// are moved, never changed. No alignment needed.
void simd_winograd_tiles8x8(const float *plane, float *elements);

/// The 2 x 2 output gradients of the 16 tiles of one 8 x 8 plane, one tile per lane:
/// `elements[16 (2 r + k) + 4 ty + tx]` = the plane's value at row 2 ty + r, column 2 tx + k.
void simd_winograd_gradient_tiles8x8(const float *plane, float *elements);

/// The inverse placement: the 16 tiles' 2 x 2 outputs, `outputs[16 (2 r + k) + 4 ty + tx]`,
/// written to their places in an 8 x 8 plane (64 floats, row major).
void simd_winograd_outputs8x8(const float *outputs, float *plane);

/// The elements of the Winograd F(2x2, 3x3) input tiles of four 4 x 4 planes (16 floats each,
/// consecutive), one tile per lane: `elements[16 (4 r + k) + 4 q + 2 ty + tx]` = element (r, k)
/// of tile (ty, tx) of plane q, its value at row 2 ty + r - 1, column 2 tx + k - 1, or +0 in
/// the one-pixel zero padding. Values are moved, never changed. No alignment needed.
void simd_winograd_tiles4x4(const float *planes, float *elements);

/// Asks the caches to bring the 64-byte line holding `address` into the second-level cache
/// ahead of its use. A hint: it changes no value and faults on no address (x86 and ARM
/// prefetches never fault). Inline, so a Swift loop calling it compiles to one instruction.
static inline void simd_prefetch_l2(const void *address) { __builtin_prefetch(address, 0, 2); }

#endif
