/* Sieve of Eratosthenes over 0..2^23 (byte flags), repeated n times; counts the primes. */
#define BENCH_NAME "sieve"
#define BENCH_DEFAULT_N 20
#include "bench.h"

#define SIEVE_SIZE (1u << 23)
static uint8_t flags[SIEVE_SIZE];

static uint32_t bench(int n) {
  uint32_t sum = 0;
  for (int rep = 0; rep < n; rep++) {
    for (uint32_t i = 0; i < SIEVE_SIZE; i++) flags[i] = 1;
    flags[0] = flags[1] = 0;
    for (uint32_t i = 2; i * i < SIEVE_SIZE; i++) {
      if (!flags[i]) continue;
      for (uint32_t j = i * i; j < SIEVE_SIZE; j += i) flags[j] = 0;
    }
    uint32_t count = 0;
    for (uint32_t i = 0; i < SIEVE_SIZE; i++) count += flags[i];
    sum = bench_mix(sum, count + (uint32_t)rep);
  }
  return sum;
}
