/* 3x3 blur of a 512 x 256 u8 image (weights 1 2 1 / 2 4 2 / 1 2 1, rounded: (sum + 8) >> 4)
 * into the interior of a second image, n times. Integer arithmetic: every version gives the
 * same bytes. Intrinsics: the vertical sums of 16 pixels in u16 lanes (low and high
 * halves), then the horizontal 1 2 1 from vectors loaded one byte left and right. */
#define KERNEL "blur"
#define BENCH_DEFAULT_N 30000
#include "simd.h"

#define W 512
#define H 256

#if USE_INTRIN
static inline v128_t vsum_lo(const uint8_t* t, const uint8_t* m, const uint8_t* b) {
  v128_t s = wasm_i16x8_add(wasm_u16x8_load8x8(t), wasm_u16x8_load8x8(b));
  return wasm_i16x8_add(s, wasm_i16x8_shl(wasm_u16x8_load8x8(m), 1));
}
static void blur(const uint8_t* in, uint8_t* out) {
  const v128_t round = wasm_i16x8_splat(8);
  for (int y = 1; y < H - 1; y++) {
    const uint8_t* t = in + (y - 1) * W;
    const uint8_t* m = t + W;
    const uint8_t* b = m + W;
    uint8_t* o = out + y * W;
    /* 8 pixels per half: x .. x+7 and x+8 .. x+15, for x = 1, 17, ..., the last block
     * ending at W - 2 (it overlaps the one before). */
    for (int x = 1; x < W - 1; x += 16) {
      if (x > W - 17) x = W - 17;
      v128_t r[2];
      for (int h = 0; h < 2; h++) {
        int xx = x + 8 * h;
        v128_t l = vsum_lo(t + xx - 1, m + xx - 1, b + xx - 1);
        v128_t c = vsum_lo(t + xx, m + xx, b + xx);
        v128_t rr = vsum_lo(t + xx + 1, m + xx + 1, b + xx + 1);
        v128_t s = wasm_i16x8_add(wasm_i16x8_add(l, rr), wasm_i16x8_shl(c, 1));
        r[h] = wasm_u16x8_shr(wasm_i16x8_add(s, round), 4);
      }
      wasm_v128_store(o + x, wasm_u8x16_narrow_i16x8(r[0], r[1]));
    }
  }
}
#else
/* Two plain passes per row: the vertical 1 2 1 sums into a row of u16, then the horizontal
 * 1 2 1 through three pointers (left, centre, right). Written as v[x - 1], v[x], v[x + 1] the
 * loop does not vectorize with clang-14 (for wasm or x86): it carries the loads from one
 * iteration to the next and then cannot vectorize the recurrence. */
static void blur(const uint8_t* restrict in, uint8_t* restrict out) {
  uint16_t v[W];
  for (int y = 1; y < H - 1; y++) {
    const uint8_t* t = in + (y - 1) * W;
    const uint8_t* m = t + W;
    const uint8_t* b = m + W;
    uint8_t* o = out + y * W;
    for (int x = 0; x < W; x++) v[x] = (uint16_t)(t[x] + 2 * m[x] + b[x]);
    const uint16_t *l = v, *c = v + 1, *r = v + 2;
    for (int x = 0; x < W - 2; x++) o[x + 1] = (uint8_t)((l[x] + 2 * c[x] + r[x] + 8) >> 4);
  }
}
#endif

static uint32_t bench(int n) {
  uint8_t* in = aligned_alloc(16, W * H);
  uint8_t* out = aligned_alloc(16, W * H);
  bench_seed(16);
  for (int i = 0; i < W * H; i++) in[i] = (uint8_t)(bench_rand() >> 9);
  memset(out, 0, W * H);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    blur(in, out);
    sum = bench_mix(sum, out[(r * 1031) % (W * H)]);
    in[(r * 7919) % (W * H)] += 77;
  }
  sum = mix_words(sum, out, W * H, 5);
  free(in);
  free(out);
  return sum;
}
