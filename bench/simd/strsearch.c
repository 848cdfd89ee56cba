/* Substring search (strstr-like, every occurrence): a 6-byte needle in a 64 KiB text over a
 * 16-letter alphabet, n times (a different needle each time, taken from the text). Candidate
 * positions are those whose first and last bytes match the needle's; 16 positions are tested at
 * once, the candidates become a bitmask, and each set bit (found with ctz) is verified with
 * memcmp. The result counts the matches and sums their positions.
 * Plain C: a loop sets one flag byte per position of a block of 64 (clang-14 vectorizes it:
 * two loads, compares, and); the flags become bitmasks 8 at a time through a 64-bit multiply.
 * (A loop that ors (flag << j) into the mask is not vectorized for wasm, nor is an early-exit
 * loop.) Intrinsics: i8x16.eq on the two shifted loads, v128.and, i8x16.bitmask. */
#define KERNEL "strsearch"
#define BENCH_DEFAULT_N 170000
#include "simd.h"

#define LEN 65536
#define K 6

struct result {
  uint32_t count, possum;
};

static inline void verify(const uint8_t* text, const uint8_t* needle, int i, uint32_t m,
                          struct result* res) {
  while (m) {
    int pos = i + __builtin_ctz(m);
    if (memcmp(text + pos + 1, needle + 1, K - 2) == 0) {
      res->count++;
      res->possum += (uint32_t)pos;
    }
    m &= m - 1;
  }
}

#if USE_INTRIN
static struct result search(const uint8_t* text, const uint8_t* needle) {
  struct result res = {0, 0};
  const v128_t first = wasm_i8x16_splat((int8_t)needle[0]);
  const v128_t last = wasm_i8x16_splat((int8_t)needle[K - 1]);
  int i = 0;
  for (; i + 16 + K - 1 <= LEN; i += 16) {
    v128_t f = wasm_i8x16_eq(wasm_v128_load(text + i), first);
    v128_t l = wasm_i8x16_eq(wasm_v128_load(text + i + K - 1), last);
    uint32_t m = wasm_i8x16_bitmask(wasm_v128_and(f, l));
    if (m) verify(text, needle, i, m, &res);
  }
  for (; i + K <= LEN; i++)
    if (memcmp(text + i, needle, K) == 0) res.count++, res.possum += (uint32_t)i;
  return res;
}
#else
/* 8 flag bytes (each 0 or 1) to 8 bits, bit k from byte k: the multiply moves byte k's bit to
 * bit 56 + k (no carries: the partial products do not overlap there). */
static inline uint32_t pack8(const uint8_t* c) {
  uint64_t x;
  memcpy(&x, c, 8);
  return (uint32_t)((x * 0x0102040810204080ull) >> 56);
}
static struct result search(const uint8_t* text, const uint8_t* needle) {
  struct result res = {0, 0};
  const uint8_t first = needle[0], last = needle[K - 1];
  uint8_t c[64];
  int i = 0;
  for (; i + 64 + K - 1 <= LEN; i += 64) {
    for (int j = 0; j < 64; j++) c[j] = (text[i + j] == first) & (text[i + j + K - 1] == last);
    for (int q = 0; q < 64; q += 16) {
      uint32_t m = pack8(c + q) | pack8(c + q + 8) << 8;
      if (m) verify(text, needle, i + q, m, &res);
    }
  }
  for (; i + K <= LEN; i++)
    if (memcmp(text + i, needle, K) == 0) res.count++, res.possum += (uint32_t)i;
  return res;
}
#endif

static uint32_t bench(int n) {
  uint8_t* text = aligned_alloc(16, LEN);
  bench_seed(19);
  for (int i = 0; i < LEN; i++) text[i] = (uint8_t)('a' + (bench_rand() >> 9) % 16);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    uint8_t needle[K];
    memcpy(needle, text + (r * 7919) % (LEN - K), K);
    struct result res = search(text, needle);
    sum = bench_mix(bench_mix(sum, res.count), res.possum);
  }
  free(text);
  return sum;
}
