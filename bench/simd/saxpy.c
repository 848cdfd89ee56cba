/* saxpy, y = a * x + y over 8192-element f32 vectors (64 KiB in all), n times; `a` alternates
 * between 0.75 and -0.5 so that y stays bounded. A multiply then an add (no fused
 * multiply-add: wasm has none outside relaxed SIMD, and native builds use -ffp-contract=off). */
#define KERNEL "saxpy"
#define BENCH_DEFAULT_N 1500000
#include "simd.h"

#define LEN 8192

#if USE_INTRIN
static void saxpy(float a, const float* x, float* y) {
  v128_t va = wasm_f32x4_splat(a);
  for (int i = 0; i < LEN; i += 16) {
    v128_t y0 = wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i)), wasm_v128_load(y + i));
    v128_t y1 = wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i + 4)), wasm_v128_load(y + i + 4));
    v128_t y2 = wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i + 8)), wasm_v128_load(y + i + 8));
    v128_t y3 = wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i + 12)), wasm_v128_load(y + i + 12));
    wasm_v128_store(y + i, y0);
    wasm_v128_store(y + i + 4, y1);
    wasm_v128_store(y + i + 8, y2);
    wasm_v128_store(y + i + 12, y3);
  }
}
#else
static void saxpy(float a, const float* restrict x, float* restrict y) {
  for (int i = 0; i < LEN; i++) y[i] = a * x[i] + y[i];
}
#endif

static uint32_t bench(int n) {
  float* x = aligned_alloc(16, LEN * sizeof(float));
  float* y = aligned_alloc(16, LEN * sizeof(float));
  bench_seed(12);
  for (int i = 0; i < LEN; i++) {
    x[i] = (float)((int)(bench_rand() % 2001) - 1000) / 128.0f;
    y[i] = (float)((int)(bench_rand() % 2001) - 1000) / 64.0f;
  }
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    saxpy((r & 1) ? -0.5f : 0.75f, x, y);
    sum = bench_mix(sum, f32_bits(y[(r * 7) & (LEN - 1)]));
  }
  sum = mix_words(sum, y, LEN * sizeof(float), 1);
  free(x);
  free(y);
  return sum;
}
