// Host driver for the native baseline: prints run(N) like `wtrun --invoke run`.
#include <stdio.h>
#include <stdlib.h>

int run(int n);

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  printf("%d\n", run(n));
  return 0;
}
