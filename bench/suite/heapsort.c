/* Heapsort (binary max-heap, sift-down) of 1M pseudo-random doubles, n times. */
#define BENCH_NAME "heapsort"
#define BENCH_DEFAULT_N 5
#include "bench.h"

#define COUNT (1u << 20)
static double data[COUNT];

static void sift_down(double* a, uint32_t root, uint32_t end) {
  double v = a[root];
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= end) break;
    if (child + 1 < end && a[child + 1] > a[child]) child++;
    if (!(a[child] > v)) break;
    a[root] = a[child];
    root = child;
  }
  a[root] = v;
}

static void heapsort(double* a, uint32_t count) {
  for (uint32_t i = count / 2; i-- > 0;) sift_down(a, i, count);
  for (uint32_t end = count - 1; end > 0; end--) {
    double t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end);
  }
}

static uint32_t bench(int n) {
  uint32_t sum = 0;
  bench_seed(99);
  for (int rep = 0; rep < n; rep++) {
    for (uint32_t i = 0; i < COUNT; i++) data[i] = (double)bench_rand() / 4294967296.0 * 1000.0;
    heapsort(data, COUNT);
    for (uint32_t i = 1; i < COUNT; i++)
      if (data[i - 1] > data[i]) return 0xdeadu;
    for (uint32_t i = 0; i < COUNT; i += 4099) sum = bench_mix_double(sum, data[i]);
  }
  return sum;
}
