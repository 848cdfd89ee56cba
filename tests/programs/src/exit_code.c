// Exit paths: `exit N` calls exit(N), `return N` returns N from main, `abort` aborts (a trap),
// `trap` divides by zero... (integer division traps in wasm; natively it is SIGFPE).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    printf("usage: exit_code exit|return|abort N\n");
    return 2;
  }
  int n = atoi(argv[2]);
  printf("before %s %d\n", argv[1], n);
  fflush(stdout);
  if (strcmp(argv[1], "exit") == 0) exit(n);
  if (strcmp(argv[1], "abort") == 0) abort();
  return n;
}
