// An exception nothing catches: native builds call std::terminate (abort, exit status 134);
// wtrun reports the uncaught wasm exception with its tag and exits with 134 as well. stdout is
// flushed first (abort does not flush it).
#include <cstdio>
#include <stdexcept>

struct Noisy {
  ~Noisy() { std::printf("never printed: no handler, so no unwinding\n"); }
};

static void inner(int n) {
  Noisy guard;
  if (n == 0) throw std::runtime_error("nobody catches this");
  inner(n - 1);
}

int main() {
  std::printf("before the throw\n");
  std::fflush(stdout);
  inner(3);
  std::printf("not reached\n");
  return 0;
}
