#include <string.h>
#include "simd_shuffle.h"

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
