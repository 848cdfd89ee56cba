/* f32 dot product of two 4096-element vectors (16 KiB each, in L1), n times. The sum is kept
 * in 16 partial sums (4 vectors of 4 lanes) combined in a fixed order, so that plain C,
 * auto-vectorized code, intrinsics and native code all add in the same order. */
#define KERNEL "dot"
#define BENCH_DEFAULT_N 3000000
#include "simd.h"

#define LEN 4096

#if USE_INTRIN
static float dot(const float* a, const float* b) {
  v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (int i = 0; i < LEN; i += 16) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
    s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_v128_load(a + i + 8), wasm_v128_load(b + i + 8)));
    s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_v128_load(a + i + 12), wasm_v128_load(b + i + 12)));
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
  v128_t t = wasm_f32x4_add(s, wasm_i32x4_shuffle(s, s, 2, 3, 0, 1)); /* s0+s2, s1+s3 */
  return wasm_f32x4_extract_lane(t, 0) + wasm_f32x4_extract_lane(t, 1);
}
#else
static float dot(const float* a, const float* b) {
  float acc[16] = {0};
  for (int i = 0; i < LEN; i += 16)
    for (int l = 0; l < 16; l++) acc[l] += a[i + l] * b[i + l];
  float s[4];
  for (int l = 0; l < 4; l++) s[l] = (acc[l] + acc[l + 4]) + (acc[l + 8] + acc[l + 12]);
  return (s[0] + s[2]) + (s[1] + s[3]);
}
#endif

static uint32_t bench(int n) {
  float* a = aligned_alloc(16, LEN * sizeof(float));
  float* b = aligned_alloc(16, LEN * sizeof(float));
  bench_seed(11);
  for (int i = 0; i < LEN; i++) {
    a[i] = (float)((int)(bench_rand() % 2001) - 1000) / 256.0f;
    b[i] = (float)((int)(bench_rand() % 2001) - 1000) / 512.0f;
  }
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    float d = dot(a, b);
    sum = bench_mix(sum, f32_bits(d));
    a[r & (LEN - 1)] += 0.125f; /* every repetition sees different data */
  }
  free(a);
  free(b);
  return sum;
}
