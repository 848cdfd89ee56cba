// setjmp/longjmp: nested jump buffers, longjmp across several frames, values through volatile
// locals, a jump out of a recursive descent (an error exit), and re-entering setjmp in a loop.
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf top;
static int depth_reached;

static void dive(int n, int limit) {
  depth_reached = n;
  if (n == limit) longjmp(top, n * 10 + 1);
  dive(n + 1, limit);
  printf("unreachable after dive %d\n", n);
}

// A tiny expression parser that bails out through longjmp on a syntax error.
static jmp_buf parse_err;
static const char* p;
static long expr(void);
static long atom(void) {
  if (*p == '(') {
    ++p;
    long v = expr();
    if (*p != ')') longjmp(parse_err, 2);
    ++p;
    return v;
  }
  if (*p < '0' || *p > '9') longjmp(parse_err, 1);
  long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return v;
}
static long term(void) {
  long v = atom();
  while (*p == '*') {
    ++p;
    v *= atom();
  }
  return v;
}
static long expr(void) {
  long v = term();
  while (*p == '+' || *p == '-') {
    char op = *p++;
    long r = term();
    v = op == '+' ? v + r : v - r;
  }
  return v;
}
static void parse(const char* s) {
  p = s;
  int code = setjmp(parse_err);
  if (code == 0) {
    long v = expr();
    if (*p)
      printf("%-14s -> trailing '%s'\n", s, p);
    else
      printf("%-14s -> %ld\n", s, v);
  } else {
    printf("%-14s -> error %d at offset %d\n", s, code, (int)(p - s));
  }
}

static int nested(void) {
  jmp_buf inner;
  volatile int steps = 0;
  int r = setjmp(inner);
  steps++;
  if (r < 3) longjmp(inner, r + 1);
  return steps * 100 + r;
}

int main(void) {
  for (int limit = 1; limit <= 4; ++limit) {
    volatile int before = limit * 7;
    int r = setjmp(top);
    if (r == 0) {
      dive(0, limit * 50);
    } else {
      printf("limit %d: longjmp value %d, depth %d, before %d\n", limit, r, depth_reached, before);
    }
  }
  printf("nested: %d\n", nested());
  parse("1+2*3");
  parse("(1+2)*3-4");
  parse("2*(3+4");
  parse("7+x");
  parse("((((9))))*((2))");
  parse("12)");
  // longjmp with 0 yields 1
  jmp_buf z;
  volatile int n = 0;
  int r = setjmp(z);
  if (n++ == 0) longjmp(z, 0);
  printf("longjmp(0) -> %d after %d passes\n", r, n);
  return 0;
}
