// The smallest real program: one line on stdout (also the start-up benchmark's module).
#include <stdio.h>

int main(void) {
  printf("Hello, world!\n");
  return 0;
}
