/* Dense matrix multiply C = A * B of n x n f64 matrices (i-k-j loop order, row-major). */
#define BENCH_NAME "matmul"
#define BENCH_DEFAULT_N 1100
#include <stdlib.h>
#include "bench.h"

static uint32_t bench(int n) {
  size_t nn = (size_t)n * (size_t)n;
  double* a = malloc(nn * sizeof(double));
  double* b = malloc(nn * sizeof(double));
  double* c = malloc(nn * sizeof(double));
  bench_seed(5);
  for (size_t i = 0; i < nn; i++) {
    a[i] = (double)(bench_rand() % 1000) / 100.0;
    b[i] = (double)(bench_rand() % 1000) / 100.0;
    c[i] = 0;
  }
  for (int i = 0; i < n; i++) {
    double* ci = c + (size_t)i * n;
    for (int k = 0; k < n; k++) {
      double aik = a[(size_t)i * n + k];
      const double* bk = b + (size_t)k * n;
      for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
    }
  }
  uint32_t sum = 0;
  for (size_t i = 0; i < nn; i += 997) sum = bench_mix_double(sum, c[i]);
  free(a);
  free(b);
  free(c);
  return sum;
}
