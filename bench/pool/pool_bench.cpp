// [pool] Instantiate-and-drop benchmark (not a test): `pool_bench ALLOCATOR MODULE [N]`.
//   ALLOCATOR: on-demand | pool | uffd
//   MODULE:    a  1 MiB data segment, 4 pages touched
//              b  64 MiB initial memory, 1 page touched
//              c  a spec-test-sized module (1 page, a table, a few functions, 2 small segments)
// Each iteration: a new Store, instantiate, call `touch`, destroy the Store (which returns the
// slot). Prints one CSV line: allocator,module,n,instances_per_s,p50_us,p99_us,peak_rss_kb.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/pool/allocator.h"
#include "runtime/runtime.h"
#include "text/wat.h"

using namespace wt;
using namespace wt::runtime;

namespace {

std::string ModuleText(char which) {
  switch (which) {
    case 'a':  // 1 MiB of data (17 pages of memory), touches 4 pages
      return "(module (memory 17) (data (i32.const 0) \"" + std::string(1 << 20, 'd') +
             "\")\n"
             "(func (export \"touch\") (result i32)"
             "  (i32.store (i32.const 0) (i32.const 1))"
             "  (i32.store (i32.const 262144) (i32.const 2))"
             "  (i32.add (i32.load (i32.const 524288)) (i32.load (i32.const 1048000)))))";
    case 'b':  // 64 MiB initial memory, touches 1 page
      return "(module (memory 1024) (func (export \"touch\") (result i32)"
             "  (i32.store (i32.const 4096) (i32.const 1)) (i32.load (i32.const 4096))))";
    default:  // spec-test sized
      return "(module (memory 1) (table 4 funcref) (global $g (mut i32) (i32.const 0))"
             "(type $t (func (result i32)))"
             "(func $a (result i32) (i32.const 1)) (func $b (result i32) (i32.const 2))"
             "(elem (i32.const 0) $a $b)"
             "(data (i32.const 16) \"spec test data\") (data (i32.const 100) \"\\01\\02\\03\")"
             "(func (export \"touch\") (result i32)"
             "  (global.set $g (i32.load8_u (i32.const 16)))"
             "  (i32.add (global.get $g) (call_indirect (type $t) (i32.const 1)))))";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pool_bench on-demand|pool|uffd a|b|c [N]\n");
    return 2;
  }
  std::string alloc_name = argv[1];
  char which = argv[2][0];
  int n = argc > 3 ? std::atoi(argv[3]) : 10000;

  StoreOptions options;
  if (alloc_name != "on-demand") {
    PoolConfig c;
    c.instances = 100;
    c.uffd = alloc_name == "uffd";
    auto p = CreatePoolingAllocator(c);
    if (!p.ok()) {
      std::fprintf(stderr, "%s\n", p.error().ToString().c_str());
      return 1;
    }
    options.allocator = *p;
    if (c.uffd && !GetPoolStats(**p)->uffd) return 1;
  }
  auto bytes = text::WatToBinary(ModuleText(which), "bench.wat");
  if (!bytes.ok()) return 1;
  auto loaded = LoadModule(std::move(*bytes), wasm::Features::Wasm20());
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.error().ToString().c_str());
    return 1;
  }
  std::shared_ptr<const LoadedModule> module = *loaded;
  Linker linker;
  std::vector<double> us;
  us.reserve(n);
  uint64_t check = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    auto s = std::chrono::steady_clock::now();
    {
      Store store(options);
      auto inst = linker.Instantiate(store, module);
      if (!inst.ok()) {
        std::fprintf(stderr, "%s\n", inst.error().ToString().c_str());
        return 1;
      }
      auto r = Invoke(store, *(*inst)->GetFunc("touch"), {});
      if (!r.ok() || r->trap) return 1;
      check += r->results[0].i32();
    }
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s).count());
  }
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::sort(us.begin(), us.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("%s,%c,%d,%.0f,%.1f,%.1f,%ld\n", alloc_name.c_str(), which, n, n / total,
              us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)], ru.ru_maxrss);
  return check == 0 ? 1 : 0;
}
