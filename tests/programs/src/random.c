// random_get through getentropy and arc4random: not all zero, two draws differ, a large draw.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  unsigned char a[32], b[32];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  if (getentropy(a, sizeof a) != 0 || getentropy(b, sizeof b) != 0) return 1;
  int zero = 1;
  for (size_t i = 0; i < sizeof a; ++i) zero = zero && a[i] == 0;
  printf("non-zero: %s\n", zero ? "no" : "yes");
  printf("two draws differ: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
  // A byte histogram over 64 KiB: every value turns up.
  static unsigned char big[65536];
  for (size_t off = 0; off < sizeof big; off += 256) getentropy(big + off, 256);
  int seen[256] = {0};
  for (size_t i = 0; i < sizeof big; ++i) seen[big[i]] = 1;
  int values = 0;
  for (int i = 0; i < 256; ++i) values += seen[i];
  printf("byte values seen: %d\n", values);
  uint32_t r1 = arc4random(), r2 = arc4random(), r3 = arc4random();
  printf("arc4random varies: %s\n", r1 != r2 || r2 != r3 ? "yes" : "no");
  return 0;
}
