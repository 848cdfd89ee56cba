// File I/O inside the preopened directory (run with the directory as the current one):
// create, write, read back, seek, append, pread/pwrite, truncate, O_EXCL, errors.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (!(cond)) {                                                        \
      printf("FAILED line %d: %s (errno %s)\n", __LINE__, #cond, ErrName(errno)); \
      return 1;                                                           \
    }                                                                     \
  } while (0)

int main(void) {
  int fd = open("data.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "hello file\n", 11) == 11);
  CHECK(lseek(fd, 0, SEEK_CUR) == 11);
  CHECK(lseek(fd, 6, SEEK_SET) == 6);
  char buf[64] = {0};
  CHECK(read(fd, buf, sizeof buf) == 5);
  printf("read after seek: %s", buf);
  CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
  memset(buf, 0, sizeof buf);
  CHECK(pread(fd, buf, 5, 0) == 5);
  printf("pread: %s\n", buf);
  CHECK(lseek(fd, 0, SEEK_END) == 11);
  CHECK(ftruncate(fd, 5) == 0);
  CHECK(lseek(fd, 0, SEEK_END) == 5);
  CHECK(close(fd) == 0);

  // Append mode: writes land at the end whatever the offset.
  fd = open("data.txt", O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK(write(fd, " world\n", 7) == 7);
  CHECK(close(fd) == 0);

  FILE* f = fopen("data.txt", "r");
  CHECK(f != NULL);
  memset(buf, 0, sizeof buf);
  CHECK(fgets(buf, sizeof buf, f) != NULL);
  printf("contents: %s", buf);
  fclose(f);

  // stdio buffered writes of a larger file.
  f = fopen("big.bin", "wb");
  CHECK(f != NULL);
  for (int i = 0; i < 100000; ++i) fputc('a' + i % 26, f);
  CHECK(fclose(f) == 0);
  f = fopen("big.bin", "rb");
  CHECK(f != NULL);
  long sum = 0, count = 0;
  int c;
  while ((c = fgetc(f)) != EOF) {
    sum += c;
    ++count;
  }
  fclose(f);
  printf("big.bin: %ld bytes, sum %ld\n", count, sum);

  errno = 0;
  CHECK(open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);
  printf("O_EXCL on an existing file: EEXIST\n");
  errno = 0;
  CHECK(open("missing.txt", O_RDONLY) == -1 && errno == ENOENT);
  printf("missing file: ENOENT\n");
  fd = open("data.txt", O_RDONLY);
  CHECK(fd >= 0);
  errno = 0;
  CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
  printf("write to a read-only fd: EBADF\n");
  close(fd);
  errno = 0;
  CHECK(read(fd, buf, 1) == -1 && errno == EBADF);
  printf("read from a closed fd: EBADF\n");
  printf("ok\n");
  return 0;
}
