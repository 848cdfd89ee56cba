// A C program that divides by zero three calls deep; built with -g: the report has file:line.
#include <stdio.h>

int divide(int a, int b) {
  return a / b;
}

int compute(int n) {
  int base = 100;
  return divide(base, n - 1);
}

int main(int argc, char** argv) {
  (void)argv;
  printf("computing\n");
  return compute(argc);
}
