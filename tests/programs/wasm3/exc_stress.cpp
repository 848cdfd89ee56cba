// C++ exceptions under register pressure and indirection: values of every scalar type live
// across try blocks and landing pads, throws through virtual calls, std::function and lambdas,
// containers unwound mid-construction, function-try-blocks, catch in loops with break/continue,
// and setjmp/longjmp in the same module as C++ exceptions (built with both -fwasm-exceptions and
// -mllvm -wasm-enable-sjlj). Every line must match the native build.
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual double area(double scale) const = 0;
};
struct Square : Shape {
  double s;
  explicit Square(double x) : s(x) {}
  double area(double k) const override {
    if (s < 0) throw std::domain_error("negative side");
    return s * s * k;
  }
};
struct Circle : Shape {
  double r;
  explicit Circle(double x) : r(x) {}
  double area(double k) const override {
    if (r > 100) throw std::range_error("too big");
    return 3.0 * r * r * k;
  }
};

static int dtor_count = 0;
struct Tracked {
  std::string name;
  explicit Tracked(std::string n) : name(std::move(n)) {}
  Tracked(const Tracked& o) : name(o.name + "'") {}
  ~Tracked() { ++dtor_count; }
};

static std::vector<Tracked> build(int n, int fail_at) {
  std::vector<Tracked> v;
  for (int i = 0; i < n; ++i) {
    if (i == fail_at) throw std::runtime_error("build failed at " + std::to_string(i));
    v.emplace_back("t" + std::to_string(i));
  }
  return v;
}

// Many values of each type live across the try, modified in it and in the handler.
static double pressure(int n) {
  int32_t a = n, b = n * 3, c = n ^ 0x55;
  int64_t d = int64_t(n) << 33, e = -int64_t(n) * 7;
  float f = float(n) * 0.5f, g = 1.25f;
  double h = n / 3.0, i = 1e10, j = -2.5;
  for (int round = 0; round < 6; ++round) {
    try {
      a += round;
      d += a;
      h *= 1.5;
      if ((round + n) % 2 == 0) throw round;
      f += 1.0f;
      e -= b;
    } catch (int r) {
      b += r;
      c ^= r;
      g *= 2.0f;
      i -= r * 1000.0;
      j += h;
      if (r == 4) continue;
    }
    e += c;
  }
  return double(a + b + c) + double(d % 1000003) + double(e % 999983) + f + g + h + i / 1e6 + j;
}

struct Resource {
  int id;
  explicit Resource(int i) try : id(i) {
    if (i == 2) throw std::invalid_argument("bad id");
  } catch (const std::invalid_argument& e) {
    std::printf("  function-try-block saw: %s\n", e.what());
    // rethrown implicitly at the end of a constructor's function-try-block
  }
};

static std::jmp_buf jb;
static void c_style_fail(int code) {
  std::longjmp(jb, code);
}
static int sjlj_then_throw(int k) {
  int r = setjmp(jb);
  if (r == 0) {
    c_style_fail(k + 1);
    return -1;
  }
  if (r == 3) throw std::runtime_error("longjmp value 3 turned into an exception");
  return r * 10;
}

int main() {
  std::printf("virtual:\n");
  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.emplace_back(new Square(2));
  shapes.emplace_back(new Circle(1));
  shapes.emplace_back(new Square(-1));
  shapes.emplace_back(new Circle(1000));
  shapes.emplace_back(new Circle(2));
  double total = 0;
  for (auto& s : shapes) {
    try {
      total += s->area(2.0);
    } catch (const std::logic_error& e) {
      std::printf("  logic_error: %s\n", e.what());
    } catch (const std::runtime_error& e) {
      std::printf("  runtime_error: %s\n", e.what());
    }
  }
  std::printf("  total %.3f\n", total);

  std::printf("std::function:\n");
  std::map<std::string, std::function<int(int)>> ops;
  ops["half"] = [](int x) {
    if (x % 2) throw std::invalid_argument("odd " + std::to_string(x));
    return x / 2;
  };
  ops["inc"] = [](int x) { return x + 1; };
  ops["boom"] = [](int) -> int { throw 7; };
  for (const char* name : {"half", "inc", "boom", "half"}) {
    for (int x : {4, 5}) {
      try {
        std::printf("  %s(%d) = %d\n", name, x, ops.at(name)(x));
      } catch (const std::exception& e) {
        std::printf("  %s(%d): %s\n", name, x, e.what());
      } catch (int v) {
        std::printf("  %s(%d): int %d\n", name, x, v);
      }
    }
  }

  std::printf("containers:\n");
  for (int fail : {3, 10}) {
    dtor_count = 0;
    try {
      auto v = build(6, fail);
      std::printf("  built %zu, last %s\n", v.size(), v.back().name.c_str());
    } catch (const std::exception& e) {
      std::printf("  %s\n", e.what());
    }
    std::printf("  destructors so far: %s\n", dtor_count > 0 ? "some" : "none");
  }

  std::printf("pressure:\n");
  for (int n : {1, 2, 7, 100}) std::printf("  pressure(%d) = %.4f\n", n, pressure(n));

  std::printf("function-try-block:\n");
  for (int i = 1; i <= 3; ++i) {
    try {
      Resource r(i);
      std::printf("  resource %d ok\n", r.id);
    } catch (const std::exception& e) {
      std::printf("  resource %d: %s\n", i, e.what());
    }
  }

  std::printf("loop control:\n");
  int caught = 0, done = 0;
  for (int i = 0; i < 50; ++i) {
    try {
      if (i % 7 == 0) throw i;
      if (i == 45) break;
      ++done;
    } catch (int v) {
      ++caught;
      if (v > 40) break;
      continue;
    }
  }
  std::printf("  caught %d, done %d\n", caught, done);

  std::printf("setjmp and exceptions:\n");
  for (int k = 0; k < 4; ++k) {
    try {
      std::printf("  k=%d -> %d\n", k, sjlj_then_throw(k));
    } catch (const std::exception& e) {
      std::printf("  k=%d -> %s\n", k, e.what());
    }
  }
  return 0;
}
