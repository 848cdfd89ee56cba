/* Common harness of the benchmark suite (bench/suite.sh). Every workload defines
 *   #define BENCH_DEFAULT_N <size for >= 1 s native>
 *   static uint32_t bench(int n);   -- does the work, returns a checksum
 * and includes this header last. The program prints "<name> <n> <checksum>"; all runners must
 * print the same line. argv[1] overrides n (quick mode uses a small n).
 * With -DBENCH_NO_MAIN (freestanding build for `wtrun --invoke bench FILE N`) the entry point is
 * the exported function `bench_entry(n)`. */
#ifndef WT_BENCH_H
#define WT_BENCH_H
#include <stddef.h>
#include <stdint.h>

/* xorshift32: the same pseudo-random sequence on every target. */
static uint32_t bench_rng_state = 2463534242u;
static inline uint32_t bench_rand(void) {
  uint32_t x = bench_rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return bench_rng_state = x;
}
static inline void bench_seed(uint32_t s) {
  bench_rng_state = s ? s : 1u;
}

/* FNV-1a style mixing of a 32-bit value into a checksum. */
static inline uint32_t bench_mix(uint32_t h, uint32_t v) {
  for (int i = 0; i < 4; i++) {
    h ^= (v >> (8 * i)) & 0xffu;
    h *= 16777619u;
  }
  return h;
}

/* Keeps a double's bits in a checksum (results are deterministic IEEE arithmetic). */
static inline uint32_t bench_mix_double(uint32_t h, double d) {
  union {
    double d;
    uint64_t u;
  } c;
  c.d = d;
  return bench_mix(bench_mix(h, (uint32_t)c.u), (uint32_t)(c.u >> 32));
}
#endif

#ifdef BENCH_NAME
static uint32_t bench(int n);
#ifdef BENCH_NO_MAIN
__attribute__((export_name("bench_entry"))) uint32_t bench_entry(int n) {
  return bench(n);
}
#else
#include <stdlib.h>
#include <unistd.h>
/* No printf: keeps the module small (printf's float formatting is most of wasi-libc's size). */
int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : BENCH_DEFAULT_N;
  uint32_t sum = bench(n);
  char line[64], digits[16];
  char* p = line;
  for (const char* s = BENCH_NAME " "; *s;) *p++ = *s++;
  unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
  int nd = 0;
  do digits[nd++] = (char)('0' + u % 10);
  while ((u /= 10) != 0);
  if (n < 0) *p++ = '-';
  while (nd > 0) *p++ = digits[--nd];
  *p++ = ' ';
  for (int i = 7; i >= 0; i--) *p++ = "0123456789abcdef"[(sum >> (4 * i)) & 15];
  *p++ = '\n';
  return write(1, line, (size_t)(p - line)) == p - line ? 0 : 1;
}
#endif
#endif
