// rename: files, over an existing file, directories, and the errors.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errname.h"

static void Make(const char* name, const char* text) {
  int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

static const char* Read(const char* name) {
  static char buf[64];
  memset(buf, 0, sizeof buf);
  int fd = open(name, O_RDONLY);
  if (fd < 0) return ErrName(errno);
  read(fd, buf, sizeof buf - 1);
  close(fd);
  return buf;
}

static void Try(const char* from, const char* to) {
  errno = 0;
  int r = rename(from, to);
  printf("rename %s -> %s: %s\n", from, to, r == 0 ? "ok" : ErrName(errno));
}

int main(void) {
  Make("a", "A");
  Make("b", "B");
  Try("a", "c");
  printf("a: %s\n", Read("a"));
  printf("c: %s\n", Read("c"));
  Try("c", "b");  // replaces b
  printf("b: %s\n", Read("b"));
  mkdir("d1", 0755);
  mkdir("d2", 0755);
  Make("d2/x", "X");
  Try("b", "d1/b");
  Try("d1", "d3");
  printf("d3/b: %s\n", Read("d3/b"));
  Try("d3", "d2");      // non-empty target directory
  Try("missing", "z");  // no source
  Try("d3/b", "d3/b/c");  // target under a file
  Try("d3", "d3/inside");  // into itself
  Try("d2/x", "d3");    // file over a directory
  return 0;
}
