// Clocks: realtime plausible, monotonic never going back, sleeps at least as long as asked,
// resolutions non-zero, process CPU time.
#include <stdio.h>
#include <time.h>
#include <sys/time.h>

static long long Ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  printf("realtime after 2024: %s\n", t.tv_sec > 1704067200 ? "yes" : "no");
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday within 10 s: %s\n",
         tv.tv_sec - t.tv_sec < 10 && t.tv_sec - tv.tv_sec < 10 ? "yes" : "no");
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int monotonic = 1;
  for (int i = 0; i < 1000; ++i) {
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (Ns(b) < Ns(a)) monotonic = 0;
    a = b;
  }
  printf("monotonic: %s\n", monotonic ? "yes" : "no");
  struct timespec res;
  printf("resolution realtime: %s\n",
         clock_getres(CLOCK_REALTIME, &res) == 0 && Ns(res) > 0 && Ns(res) <= 1000000 ? "ok"
                                                                                      : "bad");
  printf("resolution monotonic: %s\n",
         clock_getres(CLOCK_MONOTONIC, &res) == 0 && Ns(res) > 0 && Ns(res) <= 1000000 ? "ok"
                                                                                       : "bad");
  clock_gettime(CLOCK_MONOTONIC, &a);
  struct timespec nap = {0, 30 * 1000000};
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long slept = Ns(b) - Ns(a);
  printf("nanosleep 30 ms: %s\n", slept >= 30000000 && slept < 2000000000 ? "ok" : "bad");
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  volatile unsigned x = 0;
  for (unsigned i = 0; i < 10000000; ++i) x += i;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  (void)x;
  printf("process CPU time advances: %s\n", Ns(b) > Ns(a) ? "yes" : "no");
  return 0;
}
