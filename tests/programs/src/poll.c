// poll(): a timeout alone waits at least that long; a regular file is readable at once;
// stdin (a pipe the test feeds, then closes) becomes readable, then hangs up.
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

static long long NowMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(void) {
  long long t0 = NowMs();
  int r = poll(NULL, 0, 50);
  long long waited = NowMs() - t0;
  printf("poll(no fds, 50 ms): %d, waited >= 50 ms: %s\n", r, waited >= 50 ? "yes" : "no");

  int fd = open("poll.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(fd, "abc", 3);
  lseek(fd, 0, SEEK_SET);
  struct pollfd p = {fd, POLLIN, 0};
  t0 = NowMs();
  r = poll(&p, 1, 5000);
  printf("file: %d ready, POLLIN %s, at once %s\n", r, (p.revents & POLLIN) ? "yes" : "no",
         NowMs() - t0 < 1000 ? "yes" : "no");
  close(fd);
  unlink("poll.txt");

  // stdin: the test writes one line after a short delay and closes the pipe.
  struct pollfd in = {0, POLLIN, 0};
  t0 = NowMs();
  r = poll(&in, 1, 10000);
  printf("stdin: %d ready, POLLIN %s\n", r, (in.revents & POLLIN) ? "yes" : "no");
  char buf[128];
  ssize_t n = read(0, buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = '\0';
    printf("read: %s", buf);
  }
  return 0;
}
