// Sandbox escapes: run with `--dir SANDBOX::/` (SANDBOX the current directory's "box" folder)
// while a file "secret.txt" and a folder "outside" lie next to SANDBOX on the host. Every
// attempt to read, write, list or link outside must fail with EPERM (wasmtime's errno for an
// escape); the test then checks on the host that nothing outside changed.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "errname.h"

static void Report(const char* what, int ok) {
  printf("%-44s %s\n", what, ok ? "ok" : ErrName(errno));
}

static void Open(const char* path, int flags) {
  errno = 0;
  int fd = open(path, flags, 0644);
  char what[256];
  snprintf(what, sizeof what, "open %s%s", path, (flags & O_CREAT) ? " (create)" : "");
  Report(what, fd >= 0);
  if (fd >= 0) {
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    printf("  !! read %zd bytes: %s\n", n, buf);
    close(fd);
  }
}

// path_open straight through the WASI call, from the preopen (fd 3), so wasi-libc's own path
// handling plays no part.
static void RawOpen(const char* path) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = __wasi_path_open(3, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  printf("raw path_open %-31s %s\n", path,
         e == 0 ? "ok" : e == __WASI_ERRNO_PERM ? "EPERM"
                       : e == __WASI_ERRNO_NOENT ? "ENOENT"
                       : e == __WASI_ERRNO_NOTCAPABLE ? "ENOTCAPABLE" : "other");
}

int main(void) {
  // The sandbox's own files work.
  Open("inside.txt", O_RDONLY);
  Open("/inside.txt", O_RDONLY);
  Open("sub/../inside.txt", O_RDONLY);

  // `..` out of the preopen.
  Open("../secret.txt", O_RDONLY);
  Open("/../secret.txt", O_RDONLY);
  Open("sub/../../secret.txt", O_RDONLY);
  Open("sub/../../box/../secret.txt", O_RDONLY);
  Open("../new.txt", O_CREAT | O_WRONLY);
  Open("../outside/new.txt", O_CREAT | O_WRONLY);
  RawOpen("../secret.txt");
  RawOpen("sub/../../secret.txt");

  // Absolute paths: the guest's "/" is the sandbox, so the host's /etc is not there, and the
  // host's own path to the secret is not either; given raw to the host, absolute is EPERM.
  Open("/etc/passwd", O_RDONLY);
  RawOpen("/etc/passwd");
  RawOpen("/inside.txt");

  // Links planted on the host (by the test): relative outside, absolute, to a directory out.
  Open("link_up", O_RDONLY);
  Open("link_abs", O_RDONLY);
  Open("link_dir/secret.txt", O_RDONLY);
  Open("link_dir/new.txt", O_CREAT | O_WRONLY);
  Open("sub/link_up2", O_RDONLY);
  Open("link_inside", O_RDONLY);

  // Links the guest plants itself.
  errno = 0;
  Report("symlink ../secret.txt -> mine", symlink("../secret.txt", "mine") == 0);
  Open("mine", O_RDONLY);
  Open("mine", O_CREAT | O_WRONLY);
  errno = 0;
  Report("symlink /etc/passwd -> mine_abs", symlink("/etc/passwd", "mine_abs") == 0);
  errno = 0;
  Report("symlink .. -> mine_dir", symlink("..", "mine_dir") == 0);
  Open("mine_dir/secret.txt", O_RDONLY);
  errno = 0;
  Report("symlink sub/../.. -> mine_deep", symlink("sub/../..", "mine_deep") == 0);
  Open("mine_deep/secret.txt", O_RDONLY);
  errno = 0;
  Report("symlink loop_b -> loop_a", symlink("loop_b", "loop_a") == 0);
  errno = 0;
  Report("symlink loop_a -> loop_b", symlink("loop_a", "loop_b") == 0);
  Open("loop_a", O_RDONLY);

  // Every other path function, pointed outside.
  struct stat st;
  errno = 0;
  Report("stat ../secret.txt", stat("../secret.txt", &st) == 0);
  errno = 0;
  Report("stat mine_dir/secret.txt", stat("mine_dir/secret.txt", &st) == 0);
  errno = 0;
  Report("mkdir ../made", mkdir("../made", 0755) == 0);
  errno = 0;
  Report("mkdir link_dir/made", mkdir("link_dir/made", 0755) == 0);
  errno = 0;
  Report("unlink ../secret.txt", unlink("../secret.txt") == 0);
  errno = 0;
  Report("unlink link_dir/secret.txt", unlink("link_dir/secret.txt") == 0);
  errno = 0;
  Report("rmdir ../outside", rmdir("../outside") == 0);
  errno = 0;
  Report("rename inside.txt -> ../moved.txt", rename("inside.txt", "../moved.txt") == 0);
  errno = 0;
  Report("rename ../secret.txt -> stolen.txt", rename("../secret.txt", "stolen.txt") == 0);
  errno = 0;
  Report("link ../secret.txt -> hard", link("../secret.txt", "hard") == 0);
  errno = 0;
  Report("link inside.txt -> ../hard", link("inside.txt", "../hard") == 0);
  errno = 0;
  Report("symlink inside.txt -> ../sym", symlink("inside.txt", "../sym") == 0);
  char target[256];
  errno = 0;
  Report("readlink ../link_elsewhere", readlink("../link_elsewhere", target, sizeof target) >= 0);
  errno = 0;
  struct timespec times[2] = {{1, 0}, {1, 0}};
  Report("utimensat ../secret.txt", utimensat(AT_FDCWD, "../secret.txt", times, 0) == 0);
  errno = 0;
  Report("truncate mine (link out)", truncate("mine", 0) == 0);
  errno = 0;
  DIR* d = opendir("..");
  Report("opendir ..", d != NULL);
  if (d) closedir(d);
  errno = 0;
  d = opendir("link_dir");
  Report("opendir link_dir", d != NULL);
  if (d) closedir(d);

  // Walking up from a subdirectory opened as a descriptor.
  int sub = open("sub", O_RDONLY | O_DIRECTORY);
  errno = 0;
  int fd = openat(sub, "../../secret.txt", O_RDONLY);
  Report("openat(sub, ../../secret.txt)", fd >= 0);
  errno = 0;
  fd = openat(sub, "..", O_RDONLY | O_DIRECTORY);
  Report("openat(sub, ..) (above the descriptor)", fd >= 0);
  if (fd >= 0) {
    errno = 0;
    int fd2 = openat(fd, "../secret.txt", O_RDONLY);
    Report("openat(that, ../secret.txt)", fd2 >= 0);
  }
  return 0;
}
