/* Byte histogram: how many bytes of a 64 KiB buffer fall in each of 16 buckets (the high
 * nibble), n times. A scatter (`h[p[i] >> 4]++`) does not vectorize; both versions compare the
 * bytes with each bucket instead and count the matches, block by block (3840 bytes, in L1).
 * Plain C: per bucket, a counting loop over the block into a 16-bit counter (clang-14
 * vectorizes it: i8x16.eq, widening adds in u16 lanes). (Written with 16 explicit byte lanes
 * instead, clang vectorized the outer loop with a gather of 16 lane loads per vector.)
 * Intrinsics: 8 bucket counters in i8x16 registers (a match is -1: subtract it), two passes per
 * block, flushed into 32-bit totals after each block (240 vectors: < 256 matches per lane). */
#define KERNEL "hist"
#define BENCH_DEFAULT_N 20000
#include "simd.h"

#define LEN 65280 /* 17 blocks of 3840 bytes */
#define BLOCK 3840

#if USE_INTRIN
static void hist(const uint8_t* p, uint32_t* h) {
  for (int blk = 0; blk < LEN; blk += BLOCK) {
    for (int half = 0; half < 16; half += 8) {
      v128_t c[8];
      for (int b = 0; b < 8; b++) c[b] = wasm_i8x16_splat(0);
      for (int i = blk; i < blk + BLOCK; i += 16) {
        v128_t v = wasm_u8x16_shr(wasm_v128_load(p + i), 4);
        for (int b = 0; b < 8; b++)  /* a match is -1: subtract it */
          c[b] = wasm_i8x16_sub(c[b], wasm_i8x16_eq(v, wasm_i8x16_splat((int8_t)(half + b))));
      }
      for (int b = 0; b < 8; b++) {
        v128_t w = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(c[b]));
        w = wasm_i32x4_add(w, wasm_i32x4_shuffle(w, w, 2, 3, 0, 1));
        h[half + b] += wasm_u32x4_extract_lane(w, 0) + wasm_u32x4_extract_lane(w, 1);
      }
    }
  }
}
#else
static void hist(const uint8_t* p, uint32_t* h) {
  for (int blk = 0; blk < LEN; blk += BLOCK) {
    for (int b = 0; b < 16; b++) {
      uint16_t c = 0; /* < 3840 */
      uint8_t bucket = (uint8_t)b;
      for (int i = blk; i < blk + BLOCK; i++) c += (uint8_t)(p[i] >> 4) == bucket;
      h[b] += c;
    }
  }
}
#endif

static uint32_t bench(int n) {
  uint8_t* p = aligned_alloc(16, LEN);
  bench_seed(14);
  for (int i = 0; i < LEN; i++) {
    uint32_t x = bench_rand();
    p[i] = (uint8_t)((x >> 8) & (x >> 16)); /* a skewed distribution */
  }
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    uint32_t h[16] = {0};
    hist(p, h);
    for (int b = 0; b < 16; b++) sum = bench_mix(sum, h[b]);
    p[(r * 97) % LEN] ^= (uint8_t)(r | 1);
  }
  free(p);
  return sum;
}
