// stat/fstat/lstat: sizes, types, link counts, times set with utimensat.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

static const char* Kind(mode_t m) {
  return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "link" : "other";
}

int main(void) {
  int fd = open("s.txt", O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0 || write(fd, "0123456789", 10) != 10) return 1;
  struct stat st;
  if (fstat(fd, &st) != 0) return 1;
  printf("fstat: %s, %lld bytes, nlink %d\n", Kind(st.st_mode), (long long)st.st_size,
         (int)st.st_nlink);
  close(fd);
  if (link("s.txt", "s2.txt") != 0) return 1;
  struct stat st2;
  stat("s.txt", &st);
  stat("s2.txt", &st2);
  printf("hard link: nlink %d, same inode %s, same device %s\n", (int)st.st_nlink,
         st.st_ino == st2.st_ino ? "yes" : "no", st.st_dev == st2.st_dev ? "yes" : "no");
  mkdir("d", 0755);
  stat("d", &st);
  printf("stat d: %s\n", Kind(st.st_mode));
  symlink("s.txt", "l");
  lstat("l", &st);
  printf("lstat l: %s, %lld bytes\n", Kind(st.st_mode), (long long)st.st_size);
  stat("l", &st);
  printf("stat l: %s, %lld bytes\n", Kind(st.st_mode), (long long)st.st_size);
  struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
  if (utimensat(AT_FDCWD, "s.txt", times, 0) != 0) return 1;
  stat("s.txt", &st);
  printf("times: atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec,
         st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  errno = 0;
  printf("stat missing: %s\n", stat("nope", &st) == 0 ? "found" : ErrName(errno));
  errno = 0;
  printf("stat s.txt/x: %s\n", stat("s.txt/x", &st) == 0 ? "found" : ErrName(errno));
  unlink("l");
  unlink("s2.txt");
  unlink("s.txt");
  rmdir("d");
  return 0;
}
