/* Spectral norm: the largest singular value of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2
 * + i + 1), truncated to n x n, by 10 power iterations of A^T A. f64 divisions and loops. */
#define BENCH_NAME "spectral"
#define BENCH_DEFAULT_N 4800
#include <math.h>
#include <stdlib.h>
#include "bench.h"

static double a_elem(int i, int j) {
  return 1.0 / ((double)((i + j) * (i + j + 1) / 2 + i + 1));
}

static void mul_av(int n, const double* v, double* out) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a_elem(i, j) * v[j];
    out[i] = s;
  }
}

static void mul_atv(int n, const double* v, double* out) {
  for (int i = 0; i < n; i++) {
    double s = 0;
    for (int j = 0; j < n; j++) s += a_elem(j, i) * v[j];
    out[i] = s;
  }
}

static void mul_atav(int n, const double* v, double* out, double* tmp) {
  mul_av(n, v, tmp);
  mul_atv(n, tmp, out);
}

static uint32_t bench(int n) {
  double* u = malloc(sizeof(double) * (size_t)n);
  double* v = malloc(sizeof(double) * (size_t)n);
  double* tmp = malloc(sizeof(double) * (size_t)n);
  for (int i = 0; i < n; i++) u[i] = 1;
  for (int i = 0; i < 10; i++) {
    mul_atav(n, u, v, tmp);
    mul_atav(n, v, u, tmp);
  }
  double vbv = 0, vv = 0;
  for (int i = 0; i < n; i++) {
    vbv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  double norm = sqrt(vbv / vv);
  free(u);
  free(v);
  free(tmp);
  /* Keep 9 decimals: the last bits depend on summation order, which is the same everywhere. */
  return bench_mix_double(0, norm);
}
