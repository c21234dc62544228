#include <string.h>
#include "simd_shuffle.h"

// The vectors below are passed by value only between inlined functions of this file, so
// the AVX2 calling-convention note for 16-float vectors (-Wpsabi) does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

/// Lane shuffles of two 16-float vectors: each is one `__builtin_shufflevector` (one or two
/// permute instructions); lane numbers run 0-15 over `a`, 16-31 over `b`.
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


void simd_lane_sums16(const float *vectors, float *sums) {
    float16v v[16];
    memcpy(v, vectors, sizeof v);
    float16v h0 = simd_shuffle_low_halves(v[0], v[1]) + simd_shuffle_high_halves(v[0], v[1]);
    float16v h1 = simd_shuffle_low_halves(v[2], v[3]) + simd_shuffle_high_halves(v[2], v[3]);
    float16v h2 = simd_shuffle_low_halves(v[4], v[5]) + simd_shuffle_high_halves(v[4], v[5]);
    float16v h3 = simd_shuffle_low_halves(v[6], v[7]) + simd_shuffle_high_halves(v[6], v[7]);
    float16v h4 = simd_shuffle_low_halves(v[8], v[9]) + simd_shuffle_high_halves(v[8], v[9]);
    float16v h5 = simd_shuffle_low_halves(v[10], v[11]) + simd_shuffle_high_halves(v[10], v[11]);
    float16v h6 = simd_shuffle_low_halves(v[12], v[13]) + simd_shuffle_high_halves(v[12], v[13]);
    float16v h7 = simd_shuffle_low_halves(v[14], v[15]) + simd_shuffle_high_halves(v[14], v[15]);
    float16v q0 = simd_shuffle_even_quads(h0, h1) + simd_shuffle_odd_quads(h0, h1);
    float16v q1 = simd_shuffle_even_quads(h2, h3) + simd_shuffle_odd_quads(h2, h3);
    float16v q2 = simd_shuffle_even_quads(h4, h5) + simd_shuffle_odd_quads(h4, h5);
    float16v q3 = simd_shuffle_even_quads(h6, h7) + simd_shuffle_odd_quads(h6, h7);
    float16v e0 = simd_shuffle_even_pairs(q0, q1) + simd_shuffle_odd_pairs(q0, q1);
    float16v e1 = simd_shuffle_even_pairs(q2, q3) + simd_shuffle_odd_pairs(q2, q3);
    float16v out = simd_shuffle_even_lanes(e0, e1) + simd_shuffle_odd_lanes(e0, e1);
    memcpy(sums, &out, sizeof out);
}

// The transpose in four stages. In the stage of block size s, rows i and i + s (i with bit
// s clear) swap their off-diagonal s x s blocks: [A | B] over [C | D], in every 2s lanes,
// becomes [A | C] over [B | D]. After the stages for 8, 4, 2 and 1, row i holds column i.

static inline void swap_blocks_of_8(float16v *lo, float16v *hi) {
    float16v a = *lo, b = *hi;
    *lo = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    *hi = __builtin_shufflevector(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

static inline void swap_blocks_of_4(float16v *lo, float16v *hi) {
    float16v a = *lo, b = *hi;
    *lo = __builtin_shufflevector(a, b, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    *hi = __builtin_shufflevector(a, b, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
}

static inline void swap_blocks_of_2(float16v *lo, float16v *hi) {
    float16v a = *lo, b = *hi;
    *lo = __builtin_shufflevector(a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    *hi = __builtin_shufflevector(a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
}

static inline void swap_blocks_of_1(float16v *lo, float16v *hi) {
    float16v a = *lo, b = *hi;
    *lo = __builtin_shufflevector(a, b, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
    *hi = __builtin_shufflevector(a, b, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
}

void simd_transpose16x16(const float *source, long sourceStride, float *destination, long destinationStride) {
    float16v r[16];
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i++) memcpy(&r[i], source + i * sourceStride, sizeof r[i]);
#pragma clang loop unroll(full)
    for (int i = 0; i < 8; i++) swap_blocks_of_8(&r[i], &r[i + 8]);
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i++) if (!(i & 4)) swap_blocks_of_4(&r[i], &r[i + 4]);
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i++) if (!(i & 2)) swap_blocks_of_2(&r[i], &r[i + 2]);
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i += 2) swap_blocks_of_1(&r[i], &r[i + 1]);
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i++) memcpy(destination + i * destinationStride, &r[i], sizeof r[i]);
}

// The elements of the 16 Winograd F(2x2, 3x3) input tiles of one 8 x 8 plane: tile (ty, tx)
// covers rows 2ty - 1 ... 2ty + 2 and columns 2tx - 1 ... 2tx + 2 of the plane padded by one
// zero on every side, so element (r, k) of all 16 tiles takes rows {r - 1, r + 1, r + 3, r + 5}
// and columns {k - 1, k + 1, k + 3, k + 5}: with the plane's even rows in two vectors and its
// odd rows in two more, each element is one two-vector shuffle, with zeros where a row or
// column falls in the padding.

typedef int int16v __attribute__((ext_vector_type(16)));

/// Lanes whose tile row (lane / 4) or tile column (lane % 4) is `row` / `column` become 0.
static inline __attribute__((always_inline)) float16v zeroed(float16v v, int row, int column) {
    int16v keep;
#pragma clang loop unroll(full)
    for (int lane = 0; lane < 16; lane++) {
        keep[lane] = (lane / 4 == row || lane % 4 == column) ? 0 : -1;
    }
    int16v bits;
    memcpy(&bits, &v, sizeof v);
    bits &= keep;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/// Lane 4·ty + tx of the result: column `first + 2·tx` of row ty of the four rows held by
/// `a` (rows 0 and 1, 8 floats each) and `b` (rows 2 and 3); columns outside 0 ... 7 give an
/// arbitrary lane, zeroed by the caller.
static inline __attribute__((always_inline)) float16v columns_from(float16v a, float16v b, int first) {
    switch (first) {
    case -1: return __builtin_shufflevector(a, b, 0, 1, 3, 5, 8, 9, 11, 13, 16, 17, 19, 21, 24, 25, 27, 29);
    case 0: return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    case 1: return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    default: return __builtin_shufflevector(a, b, 2, 4, 6, 6, 10, 12, 14, 14, 18, 20, 22, 22, 26, 28, 30, 30);
    }
}

/// The even and odd rows of an 8 x 8 plane, two vectors each (rows 0, 2 | 4, 6 and 1, 3 | 5, 7).
static inline __attribute__((always_inline)) void split_rows8x8(const float *plane, float16v *even01, float16v *even23,
                                                                 float16v *odd01, float16v *odd23) {
    float16v p[4];
    for (int i = 0; i < 4; i++) memcpy(&p[i], plane + 16 * i, sizeof p[i]);
    *even01 = __builtin_shufflevector(p[0], p[1], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    *even23 = __builtin_shufflevector(p[2], p[3], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    *odd01 = __builtin_shufflevector(p[0], p[1], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    *odd23 = __builtin_shufflevector(p[2], p[3], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
}

void simd_winograd_tiles8x8(const float *plane, float *elements) {
    float16v even01, even23, odd01, odd23;
    split_rows8x8(plane, &even01, &even23, &odd01, &odd23);
    // Element rows r = 0 ... 3 read plane rows r - 1 + 2·ty: odd rows shifted down one tile
    // (row -1 is padding), even rows, odd rows, even rows shifted up one (row 8 is padding).
    float16v odd_down_a = __builtin_shufflevector(odd01, odd01, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
    float16v odd_down_b = __builtin_shufflevector(odd01, odd23, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
    float16v even_up_a = __builtin_shufflevector(even01, even23, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
    float16v even_up_b = __builtin_shufflevector(even23, even23, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
    const float16v rows_a[4] = {odd_down_a, even01, odd01, even_up_a};
    const float16v rows_b[4] = {odd_down_b, even23, odd23, even_up_b};
    // Unrolled, so that every shuffle pattern and padding mask is a constant.
#pragma clang loop unroll(full)
    for (int r = 0; r < 4; r++) {
#pragma clang loop unroll(full)
        for (int k = 0; k < 4; k++) {
            float16v e = columns_from(rows_a[r], rows_b[r], k - 1);
            e = zeroed(e, r == 0 ? 0 : (r == 3 ? 3 : -1), k == 0 ? 0 : (k == 3 ? 3 : -1));
            memcpy(elements + 16 * (4 * r + k), &e, sizeof e);
        }
    }
}

void simd_winograd_gradient_tiles8x8(const float *plane, float *elements) {
    float16v even01, even23, odd01, odd23;
    split_rows8x8(plane, &even01, &even23, &odd01, &odd23);
    float16v e[4] = {columns_from(even01, even23, 0), columns_from(even01, even23, 1),
                     columns_from(odd01, odd23, 0), columns_from(odd01, odd23, 1)};
    memcpy(elements, e, sizeof e);
}

void simd_winograd_outputs8x8(const float *outputs, float *plane) {
    float16v q[4];
    for (int i = 0; i < 4; i++) memcpy(&q[i], outputs + 16 * i, sizeof q[i]);
    // Rows 2ty interleave the top-left and top-right outputs of tile row ty; rows 2ty + 1 the
    // bottom ones. top01 holds rows 0 and 2, top23 rows 4 and 6; bottom likewise 1, 3 | 5, 7.
    float16v top01 = __builtin_shufflevector(q[0], q[1], 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    float16v top23 = __builtin_shufflevector(q[0], q[1], 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    float16v bottom01 = __builtin_shufflevector(q[2], q[3], 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    float16v bottom23 = __builtin_shufflevector(q[2], q[3], 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    float16v p[4] = {
        __builtin_shufflevector(top01, bottom01, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
        __builtin_shufflevector(top01, bottom01, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
        __builtin_shufflevector(top23, bottom23, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
        __builtin_shufflevector(top23, bottom23, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
    };
    memcpy(plane, p, sizeof p);
}

// The elements of the Winograd input tiles of four 4 x 4 planes, one tile per lane: lane
// 4 q + 2 ty + tx of element (r, k) is plane q's value at row 2 ty + r - 1, column 2 tx + k - 1,
// or +0 in the padding. Each element is two shuffles within pairs of planes and one joining
// them; the shuffle patterns below are written out (generated) because they must be constants.
void simd_winograd_tiles4x4(const float *planes, float *elements) {
    float16v p[4];
    for (int i = 0; i < 4; i++) memcpy(&p[i], planes + 16 * i, sizeof p[i]);
    int16v bits;
    float16v a, b, e;
    // Element (0, 0).
    a = __builtin_shufflevector(p[0], p[1], 0, 0, 0, 5, 16, 16, 16, 21, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 16, 16, 16, 21);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 0, &e, sizeof e);
    // Element (0, 1).
    a = __builtin_shufflevector(p[0], p[1], 0, 0, 4, 6, 16, 16, 20, 22, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 6, 16, 16, 20, 22);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 16, &e, sizeof e);
    // Element (0, 2).
    a = __builtin_shufflevector(p[0], p[1], 0, 0, 5, 7, 16, 16, 21, 23, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 7, 16, 16, 21, 23);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 32, &e, sizeof e);
    // Element (0, 3).
    a = __builtin_shufflevector(p[0], p[1], 0, 0, 6, 0, 16, 16, 22, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 16, 16, 22, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 48, &e, sizeof e);
    // Element (1, 0).
    a = __builtin_shufflevector(p[0], p[1], 0, 1, 0, 9, 16, 17, 16, 25, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9, 16, 17, 16, 25);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 64, &e, sizeof e);
    // Element (1, 1).
    a = __builtin_shufflevector(p[0], p[1], 0, 2, 8, 10, 16, 18, 24, 26, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 8, 10, 16, 18, 24, 26);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(elements + 80, &e, sizeof e);
    // Element (1, 2).
    a = __builtin_shufflevector(p[0], p[1], 1, 3, 9, 11, 17, 19, 25, 27, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 9, 11, 17, 19, 25, 27);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(elements + 96, &e, sizeof e);
    // Element (1, 3).
    a = __builtin_shufflevector(p[0], p[1], 2, 0, 10, 0, 18, 16, 26, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 10, 0, 18, 16, 26, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 112, &e, sizeof e);
    // Element (2, 0).
    a = __builtin_shufflevector(p[0], p[1], 0, 5, 0, 13, 16, 21, 16, 29, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 13, 16, 21, 16, 29);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 128, &e, sizeof e);
    // Element (2, 1).
    a = __builtin_shufflevector(p[0], p[1], 4, 6, 12, 14, 20, 22, 28, 30, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 4, 6, 12, 14, 20, 22, 28, 30);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(elements + 144, &e, sizeof e);
    // Element (2, 2).
    a = __builtin_shufflevector(p[0], p[1], 5, 7, 13, 15, 21, 23, 29, 31, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 5, 7, 13, 15, 21, 23, 29, 31);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(elements + 160, &e, sizeof e);
    // Element (2, 3).
    a = __builtin_shufflevector(p[0], p[1], 6, 0, 14, 0, 22, 16, 30, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 14, 0, 22, 16, 30, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 176, &e, sizeof e);
    // Element (3, 0).
    a = __builtin_shufflevector(p[0], p[1], 0, 9, 0, 0, 16, 25, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 16, 25, 16, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 192, &e, sizeof e);
    // Element (3, 1).
    a = __builtin_shufflevector(p[0], p[1], 8, 10, 0, 0, 24, 26, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 0, 0, 24, 26, 16, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){-1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 208, &e, sizeof e);
    // Element (3, 2).
    a = __builtin_shufflevector(p[0], p[1], 9, 11, 0, 0, 25, 27, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 9, 11, 0, 0, 25, 27, 16, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){-1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 224, &e, sizeof e);
    // Element (3, 3).
    a = __builtin_shufflevector(p[0], p[1], 10, 0, 0, 0, 26, 16, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0);
    b = __builtin_shufflevector(p[2], p[3], 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 26, 16, 16, 16);
    e = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
    memcpy(&bits, &e, sizeof e);
    bits &= (int16v){-1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 0, 0};
    memcpy(&e, &bits, sizeof e);
    memcpy(elements + 240, &e, sizeof e);
}
