#include <cstdio>

int main() {
  std::puts("wtrun " WTRUN_VERSION);
  return 0;
}
