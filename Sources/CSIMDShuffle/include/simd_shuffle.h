#ifndef SIMD_SHUFFLE_H
#define SIMD_SHUFFLE_H

/// Lane shuffles of two 16-float vectors, which Swift's SIMD types cannot name, and the one
/// function built on them that Core calls (`SIMD16.laneSums`). Each shuffle is one
/// `__builtin_shufflevector` (one or two permute instructions); lane numbers run 0-15 over
/// `a`, 16-31 over `b`.

typedef float float16v __attribute__((ext_vector_type(16)));

/// The low 8 lanes of `a`, then the low 8 of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_low_halves(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/// The high 8 lanes of `a`, then the high 8 of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_high_halves(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

/// The first 4 lanes of each group of 8, of `a` then of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_even_quads(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

/// The last 4 lanes of each group of 8, of `a` then of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_odd_quads(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
}

/// The first 2 lanes of each group of 4, of `a` then of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_even_pairs(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}

/// The last 2 lanes of each group of 4, of `a` then of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_odd_pairs(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}

/// The even lanes of `a`, then the even lanes of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_even_lanes(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
}

/// The odd lanes of `a`, then the odd lanes of `b`.
static inline __attribute__((always_inline)) float16v simd_shuffle_odd_lanes(float16v a, float16v b) {
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
}

/// `sums[i]` = the lane sum of the 16 floats at `vectors + 16 i`, for i in 0 ..< 16, each added
/// as `SIMD16.laneSum()` adds one vector (halves, quarters, pairs, last two lanes), the sixteen
/// side by side. Neither pointer needs any alignment. (A function of its own, not inline: the
/// same shuffles inlined into Swift code were split by the optimizer into 128-bit pieces,
/// about 30 instructions per sum instead of 4.)
void simd_lane_sums16(const float *vectors, float *sums);

#endif
