// Directory listing: creates entries, lists them (sorted), removes them.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errname.h"

static int Compare(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static int List(const char* path) {
  DIR* d = opendir(path);
  if (d == NULL) {
    printf("opendir %s: %s\n", path, ErrName(errno));
    return 1;
  }
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL && n < 64) {
    const char* kind = e->d_type == DT_DIR ? "dir" : e->d_type == DT_REG ? "file"
                       : e->d_type == DT_LNK ? "link" : "other";
    char* line = malloc(300);
    snprintf(line, 300, "%s (%s)", e->d_name, kind);
    names[n++] = line;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], Compare);
  printf("%s:\n", path);
  for (int i = 0; i < n; ++i) {
    printf("  %s\n", names[i]);
    free(names[i]);
  }
  return 0;
}

int main(void) {
  if (mkdir("tree", 0755) != 0) return 1;
  if (mkdir("tree/sub", 0755) != 0) return 1;
  for (int i = 0; i < 20; ++i) {
    char name[64];
    snprintf(name, sizeof name, "tree/file%02d.txt", i);
    int fd = open(name, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return 1;
    close(fd);
  }
  if (symlink("file00.txt", "tree/link") != 0) return 1;
  if (List("tree") != 0) return 1;
  if (List("tree/sub") != 0) return 1;
  // rmdir of a non-empty directory fails; emptying it first works.
  errno = 0;
  printf("rmdir non-empty: %s\n", rmdir("tree") == 0 ? "ok" : ErrName(errno));
  DIR* d = opendir("tree");
  struct dirent* e;
  int removed = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char path[300];
    snprintf(path, sizeof path, "tree/%s", e->d_name);
    if ((e->d_type == DT_DIR ? rmdir(path) : unlink(path)) == 0) ++removed;
  }
  closedir(d);
  printf("removed %d entries\n", removed);
  printf("rmdir empty: %s\n", rmdir("tree") == 0 ? "ok" : ErrName(errno));
  errno = 0;
  printf("opendir removed: %s\n", opendir("tree") == NULL ? ErrName(errno) : "opened");
  return 0;
}
