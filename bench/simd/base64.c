/* Base64 encoding (RFC 4648 alphabet, no line breaks) of a 48 KiB buffer into 64 KiB, n times.
 * Plain C: each 3-byte group is read as a 24-bit number, its four characters are computed in
 * the four bytes of a 32-bit word (the vectorizer's lanes) and stored as one word; a 6-bit
 * value v becomes its character arithmetically (a table lookup per byte does not vectorize):
 * 'A' + v, plus 6 from 26 on, minus 75 from 52 on, minus 15 for 62 and minus 12 for 63.
 * Intrinsics: 12 input bytes per 16-byte vector, placed by a shuffle so that each 32-bit lane
 * holds one group; the four 6-bit fields move to the four bytes with shifts and masks; the
 * characters are v plus an offset looked up by class (26..51, 52..61, 62, 63, 0..25: a
 * saturating subtract and a compare) in a 16-byte table through i8x16.swizzle. */
#define KERNEL "base64"
#define BENCH_DEFAULT_N 40000
#include "simd.h"

#define LEN 49152 /* input bytes; a multiple of 12 */

/* Characters of the four 6-bit values in the bytes of v (each byte < 64), four at a time. */
static inline uint32_t enc4(uint32_t v) {
  uint32_t out = 0;
  for (int i = 0; i < 32; i += 8) {
    uint32_t x = (v >> i) & 63;
    uint32_t c = x + 'A' + (x >= 26 ? 6 : 0) - (x >= 52 ? 75 : 0) - (x == 62 ? 15 : 0) -
                 (x == 63 ? 12 : 0);
    out |= c << i;
  }
  return out;
}

#if USE_INTRIN
static void base64(const uint8_t* in, uint8_t* out) {
  /* offset added to v, by class: 0 -> 26..51, 1..10 -> 52..61, 11 -> 62, 12 -> 63, 13 -> 0..25 */
  const v128_t offsets = wasm_i8x16_make(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
  const v128_t m6 = wasm_i32x4_splat(0x3f), zero = wasm_i32x4_splat(0);
  int i = 0, o = 0;
  for (; i + 16 <= LEN; i += 12, o += 16) {
    v128_t x = wasm_v128_load(in + i);
    /* lane k = bytes (c, b, a, 0) of group k: the number a << 16 | b << 8 | c */
    v128_t w = wasm_i8x16_shuffle(x, zero, 2, 1, 0, 16, 5, 4, 3, 16, 8, 7, 6, 16, 11, 10, 9, 16);
    v128_t v = wasm_v128_or(
        wasm_v128_or(wasm_v128_and(wasm_u32x4_shr(w, 18), m6),
                     wasm_v128_and(wasm_u32x4_shr(w, 4), wasm_i32x4_splat(0x3f00))),
        wasm_v128_or(wasm_v128_and(wasm_i32x4_shl(w, 10), wasm_i32x4_splat(0x3f0000)),
                     wasm_v128_and(wasm_i32x4_shl(w, 24), wasm_i32x4_splat(0x3f000000))));
    v128_t cls = wasm_u8x16_sub_sat(v, wasm_i8x16_splat(51));
    cls = wasm_v128_or(cls, wasm_v128_and(wasm_u8x16_lt(v, wasm_i8x16_splat(26)), wasm_i8x16_splat(13)));
    wasm_v128_store(out + o, wasm_i8x16_add(v, wasm_i8x16_swizzle(offsets, cls)));
  }
  for (; i < LEN; i += 3, o += 4) { /* the last groups (a 16-byte load would read past the end) */
    uint32_t n = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    uint32_t v = (n >> 18) | ((n >> 4) & 0x3f00) | ((n << 10) & 0x3f0000) | ((n << 24) & 0x3f000000);
    uint32_t c = enc4(v);
    memcpy(out + o, &c, 4);
  }
}
#else
static void base64(const uint8_t* restrict in, uint8_t* restrict out) {
  for (int g = 0; g < LEN / 3; g++) {
    uint32_t n = (uint32_t)in[3 * g] << 16 | (uint32_t)in[3 * g + 1] << 8 | in[3 * g + 2];
    uint32_t v = (n >> 18) | ((n >> 4) & 0x3f00) | ((n << 10) & 0x3f0000) | ((n << 24) & 0x3f000000);
    uint32_t c = enc4(v);
    memcpy(out + 4 * g, &c, 4); /* little-endian: the first character in the first byte */
  }
}
#endif

static uint32_t bench(int n) {
  uint8_t* in = aligned_alloc(16, LEN);
  uint8_t* out = aligned_alloc(16, LEN / 3 * 4);
  bench_seed(17);
  for (int i = 0; i < LEN; i++) in[i] = (uint8_t)(bench_rand() >> 11);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    base64(in, out);
    sum = bench_mix(sum, out[(r * 4099) % (LEN / 3 * 4)]);
    in[(r * 7919) % LEN] += 101;
  }
  sum = mix_words(sum, out, LEN / 3 * 4, 3);
  free(in);
  free(out);
  return sum;
}
