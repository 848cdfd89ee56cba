/* Sum of the bytes of a 64 KiB buffer (as a 32-bit total), n times, one byte changed between
 * repetitions. Intrinsics: u8 pairs added into u16 lanes (extadd_pairwise), flushed into u32
 * lanes every 128 vectors (128 * 510 < 65536). */
#define KERNEL "bytesum"
#define BENCH_DEFAULT_N 400000
#include "simd.h"

#define LEN 65536

#if USE_INTRIN
static uint32_t bytesum(const uint8_t* p) {
  v128_t total = wasm_i32x4_splat(0);
  for (int i = 0; i < LEN; i += 128 * 16) {
    v128_t a0 = wasm_i16x8_splat(0), a1 = a0;
    for (int j = 0; j < 128 * 16; j += 32) {
      a0 = wasm_i16x8_add(a0, wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(p + i + j)));
      a1 = wasm_i16x8_add(a1, wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(p + i + j + 16)));
    }
    total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(a0));
    total = wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(a1));
  }
  total = wasm_i32x4_add(total, wasm_i32x4_shuffle(total, total, 2, 3, 0, 1));
  return wasm_u32x4_extract_lane(total, 0) + wasm_u32x4_extract_lane(total, 1);
}
#else
static uint32_t bytesum(const uint8_t* p) {
  uint32_t s = 0;
  for (int i = 0; i < LEN; i++) s += p[i];
  return s;
}
#endif

static uint32_t bench(int n) {
  uint8_t* p = aligned_alloc(16, LEN);
  bench_seed(13);
  for (int i = 0; i < LEN; i++) p[i] = (uint8_t)(bench_rand() >> 7);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    sum = bench_mix(sum, bytesum(p));
    p[(r * 31) & (LEN - 1)] += (uint8_t)r;
  }
  free(p);
  return sum;
}
