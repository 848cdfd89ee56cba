// Sieve of Eratosthenes over a static byte array, repeated n times: loads/stores, branches.
#define kSize 1000000
static unsigned char composite[kSize];

int run(int n) {
  int count = 0;
  for (int rep = 0; rep < n; rep++) {
    for (int i = 0; i < kSize; i++) composite[i] = 0;
    count = 0;
    for (int i = 2; i < kSize; i++) {
      if (composite[i]) continue;
      count++;
      for (int j = 2 * i; j < kSize; j += i) composite[j] = 1;
    }
  }
  return count;
}
