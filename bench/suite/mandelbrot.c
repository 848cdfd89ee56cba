/* Mandelbrot set on an n x n grid over [-1.5, 0.5] x [-1, 1], at most 50 iterations per point
 * (escape radius 2); one bit per point, 8 points per byte; checksum of the bytes. */
#define BENCH_NAME "mandelbrot"
#define BENCH_DEFAULT_N 3500
#include "bench.h"

static uint32_t bench(int n) {
  uint32_t sum = 0;
  for (int y = 0; y < n; y++) {
    double ci = 2.0 * y / n - 1.0;
    uint32_t byte = 0;
    int bits = 0;
    for (int x = 0; x < n; x++) {
      double cr = 2.0 * x / n - 1.5;
      double zr = 0, zi = 0, tr = 0, ti = 0;
      int i = 0;
      for (; i < 50 && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
      }
      byte = (byte << 1) | (tr + ti <= 4.0);
      if (++bits == 8) {
        sum = bench_mix(sum, byte);
        byte = 0;
        bits = 0;
      }
    }
    if (bits) sum = bench_mix(sum, byte << (8 - bits));
  }
  return sum;
}
