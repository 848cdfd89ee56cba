/* Open-addressing hash map (linear probing, power-of-two capacity, tombstones) from 32-bit
 * keys to 32-bit values: n rounds of inserting 500k random keys, looking up hits and misses,
 * and deleting half of them. */
#define BENCH_NAME "hashmap"
#define BENCH_DEFAULT_N 14
#include "bench.h"

#define CAP (1u << 21)
#define EMPTY 0u
#define TOMB 1u /* keys 0 and 1 are reserved */

static uint32_t keys[CAP];
static uint32_t vals[CAP];

static inline uint32_t hash(uint32_t k) {
  k ^= k >> 16;
  k *= 0x7feb352du;
  k ^= k >> 15;
  k *= 0x846ca68bu;
  k ^= k >> 16;
  return k;
}

static void put(uint32_t k, uint32_t v) {
  uint32_t i = hash(k) & (CAP - 1), tomb = 0xffffffffu;
  for (;; i = (i + 1) & (CAP - 1)) {
    if (keys[i] == k) {
      vals[i] = v;
      return;
    }
    if (keys[i] == TOMB && tomb == 0xffffffffu) tomb = i;
    if (keys[i] == EMPTY) break;
  }
  if (tomb != 0xffffffffu) i = tomb;
  keys[i] = k;
  vals[i] = v;
}

static int get(uint32_t k, uint32_t* v) {
  for (uint32_t i = hash(k) & (CAP - 1);; i = (i + 1) & (CAP - 1)) {
    if (keys[i] == k) {
      *v = vals[i];
      return 1;
    }
    if (keys[i] == EMPTY) return 0;
  }
}

static int del(uint32_t k) {
  for (uint32_t i = hash(k) & (CAP - 1);; i = (i + 1) & (CAP - 1)) {
    if (keys[i] == k) {
      keys[i] = TOMB;
      return 1;
    }
    if (keys[i] == EMPTY) return 0;
  }
}

static uint32_t bench(int n) {
  uint32_t sum = 0;
  for (int rep = 0; rep < n; rep++) {
    for (uint32_t i = 0; i < CAP; i++) keys[i] = EMPTY;
    bench_seed(1000u + (uint32_t)rep);
    uint32_t found = 0, acc = 0;
    for (uint32_t i = 0; i < 500000; i++) {
      uint32_t k = (bench_rand() | 2u) % 1000000u + 2u;
      put(k, i);
    }
    bench_seed(1000u + (uint32_t)rep);
    for (uint32_t i = 0; i < 1000000; i++) {
      uint32_t k =
          i < 500000 ? (bench_rand() | 2u) % 1000000u + 2u : i * 2654435761u % 1500000u + 2u;
      uint32_t v;
      if (get(k, &v)) {
        found++;
        acc += v;
      }
    }
    bench_seed(1000u + (uint32_t)rep);
    for (uint32_t i = 0; i < 250000; i++)
      found += (uint32_t)del((bench_rand() | 2u) % 1000000u + 2u);
    for (uint32_t i = 0; i < 500000; i++) {
      uint32_t v;
      if (get(i * 7u + 2u, &v)) acc ^= v;
    }
    sum = bench_mix(bench_mix(sum, found), acc);
  }
  return sum;
}
