// Prints its arguments and the environment variables it was given, in order.
#include <stdio.h>
#include <stdlib.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  int n = 0;
  for (char** e = environ; *e != NULL; ++e) {
    printf("env: %s\n", *e);
    ++n;
  }
  printf("environ: %d\n", n);
  const char* greeting = getenv("GREETING");
  printf("getenv(GREETING)=%s\n", greeting ? greeting : "(null)");
  return 0;
}
