// abort() in wasi-libc is `unreachable`; the frames of the program lead to it.
#include <stdlib.h>

static void check(int ok) {
  if (!ok) abort();
}

int main(int argc, char** argv) {
  (void)argv;
  check(argc > 5);
  return 0;
}
