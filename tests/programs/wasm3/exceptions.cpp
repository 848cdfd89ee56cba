// C++ exceptions: class hierarchies caught by base, catch by value and by reference, RAII
// destructors during unwinding (their order), rethrow across frames, nested try in a catch,
// throws from constructors (members already built are destroyed), catch (...), pointer and
// scalar exceptions, a throw 20 frames deep, exceptions from std::vector::at, and a loop of
// throws. Every line must match the native build.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

static int g_live = 0;
struct Guard {
  const char* name;
  explicit Guard(const char* n) : name(n) {
    ++g_live;
    std::printf("  +%s\n", name);
  }
  ~Guard() {
    --g_live;
    std::printf("  -%s\n", name);
  }
};

struct AppError : std::runtime_error {
  int code;
  AppError(const std::string& m, int c) : std::runtime_error(m), code(c) {}
};
struct IoError : AppError {
  IoError(const std::string& m) : AppError("io: " + m, 5) {}
};

static int copies = 0;
struct Counted {
  int v;
  explicit Counted(int x) : v(x) {}
  Counted(const Counted& o) : v(o.v) { ++copies; }
};

static void level3(int kind) {
  Guard g("level3");
  switch (kind) {
    case 0:
      throw IoError("disk");
    case 1:
      throw AppError("app", 7);
    case 2:
      throw std::out_of_range("range");
    case 3:
      throw 42;
    case 4:
      throw "a C string";
    case 5:
      throw Counted(9);
    default:
      break;
  }
  std::printf("  level3 returns\n");
}
static void level2(int kind) {
  Guard g("level2");
  level3(kind);
}
static void level1(int kind) {
  Guard g("level1");
  try {
    level2(kind);
  } catch (const AppError& e) {
    std::printf("  level1 saw AppError code %d, rethrowing\n", e.code);
    throw;
  }
}

static void classify(int kind) {
  std::printf("kind %d:\n", kind);
  try {
    level1(kind);
    std::printf("  no exception\n");
  } catch (const IoError& e) {
    std::printf("  IoError: %s (code %d)\n", e.what(), e.code);
  } catch (const std::runtime_error& e) {
    std::printf("  runtime_error: %s\n", e.what());
  } catch (const std::exception& e) {
    std::printf("  exception: %s\n", e.what());
  } catch (int v) {
    std::printf("  int %d\n", v);
  } catch (const char* s) {
    std::printf("  const char* \"%s\"\n", s);
  } catch (Counted c) {
    std::printf("  Counted %d (by value)\n", c.v);
  }
  std::printf("  live guards: %d\n", g_live);
}

struct Part {
  int id;
  explicit Part(int i) : id(i) {
    if (i == 3) throw std::runtime_error("part 3 failed");
    std::printf("  part %d built\n", id);
  }
  ~Part() { std::printf("  part %d destroyed\n", id); }
};
struct Machine {
  Part a{1}, b{2}, c{3}, d{4};
};

static int deep(int n) {
  Guard* g = nullptr;
  if (n % 5 == 0) g = new Guard(n == 0 ? "deep0" : "deep5k");
  struct Del {
    Guard* g;
    ~Del() { delete g; }
  } del{g};
  if (n == 20) throw AppError("bottom", n);
  return deep(n + 1) + 1;
}

static int thrower(int i) {
  if (i % 3 == 0) throw i;
  if (i % 3 == 1) throw std::runtime_error("one");
  return i;
}

int main() {
  for (int k = 0; k <= 6; ++k) classify(k);
  std::printf("copies of Counted: %d\n", copies > 0 ? 1 : 0);

  std::printf("constructor:\n");
  try {
    Machine m;
    std::printf("  unreachable %d\n", m.a.id);
  } catch (const std::exception& e) {
    std::printf("  caught: %s\n", e.what());
  }

  std::printf("nested:\n");
  try {
    try {
      throw AppError("outer", 1);
    } catch (AppError& e) {
      try {
        throw std::logic_error("inner");
      } catch (const std::logic_error& inner) {
        std::printf("  inner caught %s while handling %s\n", inner.what(), e.what());
      }
      e.code = 99;
      throw;
    }
  } catch (const AppError& e) {
    std::printf("  outer caught %s code %d\n", e.what(), e.code);
  }

  std::printf("catch all:\n");
  try {
    throw 3.5;
  } catch (...) {
    std::printf("  something was thrown\n");
  }

  std::printf("deep:\n");
  try {
    deep(0);
  } catch (const AppError& e) {
    std::printf("  from depth %d: %s, live %d\n", e.code, e.what(), g_live);
  }

  std::printf("vector::at:\n");
  std::vector<int> v{1, 2, 3};
  try {
    std::printf("  v.at(2) = %d\n", v.at(2));
    std::printf("  v.at(7) = %d\n", v.at(7));
  } catch (const std::out_of_range&) {
    std::printf("  out_of_range\n");
  }

  long long sum = 0, ints = 0, errors = 0;
  for (int i = 0; i < 200000; ++i) {
    try {
      sum += thrower(i);
    } catch (int x) {
      ++ints;
      sum += x / 3;
    } catch (const std::exception&) {
      ++errors;
    }
  }
  std::printf("loop: sum %lld, int %lld, errors %lld\n", sum, ints, errors);
  return 0;
}
