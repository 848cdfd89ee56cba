/* Recursive Fibonacci: call-heavy (two calls and a compare per call). n = argument. */
#define BENCH_NAME "fib"
#define BENCH_DEFAULT_N 42
#include "bench.h"

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t bench(int n) {
  return fib((uint32_t)n);
}
