/* f32 matrix multiply C = A * B of 128 x 128 matrices (64 KiB each), n times. Each element of
 * C is the sum over k in order 0..127 of a[i][k] * b[k][j] (no reordering, no fused
 * multiply-add), so every version gives the same bits. Plain C: the i-k-j loop order (the inner
 * loop runs along a row of B and C and vectorizes). Intrinsics: blocks of 2 rows x 16 columns
 * of C held in 8 registers while k runs. */
#define KERNEL "matmul"
#define BENCH_DEFAULT_N 9000
#include "simd.h"

#define N 128

#if USE_INTRIN
static void matmul(const float* a, const float* b, float* c) {
  for (int i = 0; i < N; i += 2) {
    const float* a0 = a + i * N;
    const float* a1 = a0 + N;
    for (int j = 0; j < N; j += 16) {
      v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c02 = c00, c03 = c00;
      v128_t c10 = c00, c11 = c00, c12 = c00, c13 = c00;
      for (int k = 0; k < N; k++) {
        const float* bk = b + k * N + j;
        v128_t b0 = wasm_v128_load(bk), b1 = wasm_v128_load(bk + 4);
        v128_t b2 = wasm_v128_load(bk + 8), b3 = wasm_v128_load(bk + 12);
        v128_t x = wasm_v128_load32_splat(a0 + k);
        c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x, b0));
        c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x, b1));
        c02 = wasm_f32x4_add(c02, wasm_f32x4_mul(x, b2));
        c03 = wasm_f32x4_add(c03, wasm_f32x4_mul(x, b3));
        v128_t y = wasm_v128_load32_splat(a1 + k);
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(y, b0));
        c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(y, b1));
        c12 = wasm_f32x4_add(c12, wasm_f32x4_mul(y, b2));
        c13 = wasm_f32x4_add(c13, wasm_f32x4_mul(y, b3));
      }
      float* ci = c + i * N + j;
      wasm_v128_store(ci, c00);
      wasm_v128_store(ci + 4, c01);
      wasm_v128_store(ci + 8, c02);
      wasm_v128_store(ci + 12, c03);
      wasm_v128_store(ci + N, c10);
      wasm_v128_store(ci + N + 4, c11);
      wasm_v128_store(ci + N + 8, c12);
      wasm_v128_store(ci + N + 12, c13);
    }
  }
}
#else
static void matmul(const float* restrict a, const float* restrict b, float* restrict c) {
  for (int i = 0; i < N; i++) {
    float* ci = c + i * N;
    for (int j = 0; j < N; j++) ci[j] = 0;
    for (int k = 0; k < N; k++) {
      float aik = a[i * N + k];
      const float* bk = b + k * N;
      for (int j = 0; j < N; j++) ci[j] += aik * bk[j];
    }
  }
}
#endif

static uint32_t bench(int n) {
  float* a = aligned_alloc(16, N * N * sizeof(float));
  float* b = aligned_alloc(16, N * N * sizeof(float));
  float* c = aligned_alloc(16, N * N * sizeof(float));
  bench_seed(15);
  for (int i = 0; i < N * N; i++) {
    a[i] = (float)((int)(bench_rand() % 2001) - 1000) / 512.0f;
    b[i] = (float)((int)(bench_rand() % 2001) - 1000) / 1024.0f;
  }
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    matmul(a, b, c);
    sum = bench_mix(sum, f32_bits(c[(r * 131) & (N * N - 1)]));
    a[(r * 17) & (N * N - 1)] += 0.25f;
  }
  sum = mix_words(sum, c, N * N * sizeof(float), 7);
  free(a);
  free(b);
  free(c);
  return sum;
}
