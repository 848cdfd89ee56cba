/* Quicksort (median-of-three pivot, Hoare-style partition, insertion sort below 16 elements,
 * recursion on the smaller side) of 1M pseudo-random 32-bit integers, n times. */
#define BENCH_NAME "quicksort"
#define BENCH_DEFAULT_N 16
#include "bench.h"

#define COUNT (1u << 20)
static uint32_t data[COUNT];

static void insertion_sort(uint32_t* a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    uint32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap(uint32_t* a, int i, int j) {
  uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(uint32_t* a, int lo, int hi) {
  while (hi - lo >= 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    uint32_t pivot = a[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

static uint32_t bench(int n) {
  uint32_t sum = 0;
  bench_seed(42);
  for (int rep = 0; rep < n; rep++) {
    for (uint32_t i = 0; i < COUNT; i++) data[i] = bench_rand() % (rep % 2 ? 1000u : 0xffffffffu);
    quicksort(data, 0, COUNT - 1);
    for (uint32_t i = 1; i < COUNT; i++)
      if (data[i - 1] > data[i]) return 0xdeadu;
    for (uint32_t i = 0; i < COUNT; i += 4099) sum = bench_mix(sum, data[i]);
  }
  return sum;
}
