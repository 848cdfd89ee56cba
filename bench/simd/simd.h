/* Common header of the SIMD benchmarks (bench/simd/<kernel>.c, run by `bench/suite.sh` with
 * PARTS=simd; docs/benchmarks.md describes them). Every kernel file defines
 *   #define KERNEL "dot"             -- the kernel's name
 *   #define BENCH_DEFAULT_N <n>      -- repetitions for >= 1 s native (clang-14 -O3 -msse4.1)
 * then includes this header, and defines `static uint32_t bench(int n)` (returns a checksum).
 *
 * Each file holds two versions of its kernel:
 *   - plain C loops, written so that clang-14 -O3 -msimd128 auto-vectorizes them (the
 *     "_auto" build, and every native build);
 *   - wasm_simd128.h intrinsics, compiled when SIMD_INTRIN is defined and the target is
 *     wasm with -msimd128 (the "_intr" build).
 * The native builds of the "_intr" programs compile the plain C version (there are no SSE/AVX
 * intrinsics here): native time is what a C compiler makes of the plain loops for x86.
 * Both versions compute bit-identical results (floating-point sums are kept in the same lane
 * structure and order), so "_auto" and "_intr" print the same checksum, and every runner
 * (wtrun, V8, native) must print the same line "<kernel>_<auto|intr> <n> <checksum>". */
#ifndef WT_SIMD_BENCH_H
#define WT_SIMD_BENCH_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(SIMD_INTRIN) && defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define USE_INTRIN 1
#else
#define USE_INTRIN 0
#endif

#ifdef SIMD_INTRIN
#define BENCH_NAME KERNEL "_intr"
#else
#define BENCH_NAME KERNEL "_auto"
#endif

#include "../suite/bench.h"

static inline uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

/* Keeps a buffer's contents in a checksum (FNV-1a over 32-bit words, every `step`-th word). */
static inline uint32_t mix_words(uint32_t h, const void* p, size_t bytes, size_t step) {
  const unsigned char* b = (const unsigned char*)p;
  for (size_t i = 0; i + 4 <= bytes; i += 4 * step) {
    uint32_t v;
    memcpy(&v, b + i, 4);
    h = bench_mix(h, v);
  }
  return h;
}
#endif
