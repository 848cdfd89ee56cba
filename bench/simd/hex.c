/* Hex encoding (lower case) of a 32 KiB buffer into 64 KiB, n times. Plain C: each byte
 * becomes a 16-bit word of two characters, the digit computed arithmetically ('0' + d, plus
 * 39 from 10 on). Intrinsics: the nibbles of 16 bytes looked up in a "0123456789abcdef" vector
 * with i8x16.swizzle, interleaved by two shuffles. */
#define KERNEL "hex"
#define BENCH_DEFAULT_N 150000
#include "simd.h"

#define LEN 32768

#if USE_INTRIN
static void hex(const uint8_t* in, uint8_t* out) {
  const v128_t digits = wasm_i8x16_make('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a',
                                        'b', 'c', 'd', 'e', 'f');
  const v128_t m4 = wasm_i8x16_splat(15);
  for (int i = 0; i < LEN; i += 16) {
    v128_t x = wasm_v128_load(in + i);
    v128_t hi = wasm_i8x16_swizzle(digits, wasm_u8x16_shr(x, 4));
    v128_t lo = wasm_i8x16_swizzle(digits, wasm_v128_and(x, m4));
    wasm_v128_store(out + 2 * i, wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20,
                                                   5, 21, 6, 22, 7, 23));
    wasm_v128_store(out + 2 * i + 16, wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27,
                                                        12, 28, 13, 29, 14, 30, 15, 31));
  }
}
#else
static void hex(const uint8_t* restrict in, uint8_t* restrict out) {
  for (int i = 0; i < LEN; i++) {
    uint16_t hi = in[i] >> 4, lo = in[i] & 15;
    uint16_t w = (uint16_t)((hi + '0' + (hi >= 10 ? 39 : 0)) | (lo + '0' + (lo >= 10 ? 39 : 0)) << 8);
    memcpy(out + 2 * i, &w, 2); /* little-endian: the high nibble's digit first */
  }
}
#endif

static uint32_t bench(int n) {
  uint8_t* in = aligned_alloc(16, LEN);
  uint8_t* out = aligned_alloc(16, 2 * LEN);
  bench_seed(18);
  for (int i = 0; i < LEN; i++) in[i] = (uint8_t)(bench_rand() >> 13);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    hex(in, out);
    sum = bench_mix(sum, out[(r * 4099) % (2 * LEN)]);
    in[(r * 7919) % LEN] += 59;
  }
  sum = mix_words(sum, out, 2 * LEN, 3);
  free(in);
  free(out);
  return sum;
}
