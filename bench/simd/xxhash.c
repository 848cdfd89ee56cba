/* An xxHash32-like hash of a 64 KiB buffer, n times (seed = repetition). Four 32-bit
 * accumulators take 16 bytes per round: acc = rotl(acc + word * P2, 13) * P1 (the structure
 * of XXH32's main loop, with its primes); then the lanes are merged by rotations and the
 * result is avalanched. The four lanes are one i32x4 vector: i32x4.mul, add, shl/shr_u/or.
 * Plain C: an array of 4 accumulators updated in a loop of 4 (clang-14's SLP vectorizer makes
 * it one vector). */
#define KERNEL "xxhash"
#define BENCH_DEFAULT_N 90000
#include "simd.h"

#define LEN 65536
#define P1 2654435761u
#define P2 2246822519u
#define P3 3266489917u
#define P4 668265263u
#define P5 374761393u

static inline uint32_t rotl32(uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}

static uint32_t finish(const uint32_t acc[4]) {
  uint32_t h = rotl32(acc[0], 1) + rotl32(acc[1], 7) + rotl32(acc[2], 12) + rotl32(acc[3], 18);
  h += LEN;
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

#if USE_INTRIN
static uint32_t xxhash(const uint8_t* p, uint32_t seed) {
  v128_t acc = wasm_i32x4_make((int32_t)(seed + P1 + P2), (int32_t)(seed + P2), (int32_t)seed,
                               (int32_t)(seed - P1));
  const v128_t p1 = wasm_i32x4_splat((int32_t)P1), p2 = wasm_i32x4_splat((int32_t)P2);
  for (int i = 0; i < LEN; i += 16) {
    acc = wasm_i32x4_add(acc, wasm_i32x4_mul(wasm_v128_load(p + i), p2));
    acc = wasm_v128_or(wasm_i32x4_shl(acc, 13), wasm_u32x4_shr(acc, 19));
    acc = wasm_i32x4_mul(acc, p1);
  }
  uint32_t a[4];
  wasm_v128_store(a, acc);
  return finish(a);
}
#else
static uint32_t xxhash(const uint8_t* p, uint32_t seed) {
  uint32_t acc[4] = {seed + P1 + P2, seed + P2, seed, seed - P1};
  for (int i = 0; i < LEN; i += 16) {
    for (int l = 0; l < 4; l++) {
      uint32_t w;
      memcpy(&w, p + i + 4 * l, 4); /* little-endian */
      acc[l] = rotl32(acc[l] + w * P2, 13) * P1;
    }
  }
  return finish(acc);
}
#endif

static uint32_t bench(int n) {
  uint8_t* p = aligned_alloc(16, LEN);
  bench_seed(20);
  for (int i = 0; i < LEN; i++) p[i] = (uint8_t)(bench_rand() >> 5);
  uint32_t sum = 0;
  for (int r = 0; r < n; r++) {
    sum = bench_mix(sum, xxhash(p, (uint32_t)r));
    p[(r * 7919) & (LEN - 1)] ^= (uint8_t)(r | 1);
  }
  free(p);
  return sum;
}
