/* memmove / memcpy / memset heavy: n rounds over an 8 MiB buffer of overlapping moves of
 * mixed sizes (mostly small, some medium, few large), copies and fills, through the C
 * library (wasi-libc's in the wasm build, glibc's natively). */
#define BENCH_NAME "memops"
#define BENCH_DEFAULT_N 60
#include <string.h>
#include "bench.h"

#define BUF (8u << 20)
static uint8_t buf[BUF];

static uint32_t size_of_class(uint32_t r) {
  uint32_t c = r % 100;
  if (c < 70) return 1 + (r >> 8) % 64;    /* small */
  if (c < 95) return 65 + (r >> 8) % 4032; /* medium */
  return 4097 + (r >> 8) % (256u << 10);   /* large */
}

static uint32_t bench(int n) {
  bench_seed(31337);
  for (uint32_t i = 0; i < BUF; i++) buf[i] = (uint8_t)(i * 131u + (i >> 9));
  uint32_t sum = 0;
  for (int rep = 0; rep < n; rep++) {
    for (int k = 0; k < 20000; k++) {
      uint32_t r = bench_rand();
      uint32_t len = size_of_class(r);
      uint32_t src = bench_rand() % (BUF - len);
      uint32_t dst = (k & 1) ? src + 1 + bench_rand() % 64 : bench_rand() % (BUF - len);
      if (dst > BUF - len) dst = BUF - len;
      switch (k % 4) {
        case 0:
        case 1:
          memmove(buf + dst, buf + src, len);
          break;
        case 2:
          if (dst + len <= src || src + len <= dst)
            memcpy(buf + dst, buf + src, len);
          else
            memmove(buf + dst, buf + src, len);
          break;
        default:
          memset(buf + dst, (int)(r & 0xff), len);
          break;
      }
    }
    /* Whole-buffer operations. */
    memmove(buf + 1, buf, BUF / 2);
    memset(buf + BUF / 2, rep & 0xff, BUF / 4);
    memcpy(buf + BUF / 2 + BUF / 4, buf, BUF / 4);
    uint32_t s = 0;
    for (uint32_t i = 0; i < BUF; i += 61) s += buf[i];
    sum = bench_mix(sum, s);
  }
  return sum;
}
