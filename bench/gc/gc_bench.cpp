// [gc] The cost of passing an externref, next to an i64, through 10 million wasm-to-wasm calls
// and through 10 million host-to-wasm calls (Invoke). Prints ns per call (docs/gc.md).
//   build: cmake -DWTRUN_BUILD_BENCH=ON ...; make gc_bench; ./bench/gc_bench [calls]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/gc/activations.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "text/wat.h"

namespace rt = wt::runtime;

namespace {

constexpr const char* kWat = R"(
(module
  (func $pass_ref (param externref) (result externref) (local.get 0))
  (func $pass_i64 (param i64) (result i64) (local.get 0))
  ;; n wasm-to-wasm calls passing the value along (the result feeds the next call)
  (func (export "loop_ref") (param $v externref) (param $n i32) (result externref)
    (loop $l
      (local.set $v (call $pass_ref (local.get $v)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $v))
  (func (export "loop_i64") (param $v i64) (param $n i32) (result i64)
    (loop $l
      (local.set $v (call $pass_i64 (local.get $v)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $v))
  (func (export "id_ref") (param externref) (result externref) (local.get 0))
  (func (export "id_i64") (param i64) (result i64) (local.get 0)))
)";

// Thread CPU time (less disturbed than wall time on a shared machine).
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
  double wall_ns = 0;  // per call
  double cpu_ns = 0;
};

struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuSeconds();
  Timing Per(uint32_t n) const {
    double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    return Timing{w * 1e9 / n, (CpuSeconds() - cpu) * 1e9 / n};
  }
};

}  // namespace

int main(int argc, char** argv) {
  uint32_t n = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 10'000'000;
  auto bytes = wt::text::WatToBinary(kWat, "gc_bench.wat");
  if (!bytes.ok()) return std::fprintf(stderr, "%s\n", bytes.error().ToString().c_str()), 1;
  auto loaded = rt::LoadModule(std::move(*bytes), wt::wasm::Features::Wasm20());
  if (!loaded.ok()) return std::fprintf(stderr, "%s\n", loaded.error().ToString().c_str()), 1;
  rt::Store store;
  rt::Linker linker;
  auto inst = linker.Instantiate(store, *loaded);
  if (!inst.ok()) return std::fprintf(stderr, "%s\n", inst.error().ToString().c_str()), 1;
  rt::gc::ExternRef ref = rt::gc::ExternRef::New(nullptr, nullptr);
  rt::Value vref = rt::Value::ExternRef(ref.get());
  rt::Value vi64 = rt::Value::I64(42);

  auto wasm_loop = [&](const char* name, rt::Value v) {
    rt::Value args[2] = {v, rt::Value::I32(n)};
    Timer t;
    auto r = rt::Invoke(store, *(*inst)->GetFunc(name), args);
    Timing per = t.Per(n);
    if (!r.ok() || r->trap) std::abort();
    return per;
  };
  auto host_loop = [&](const char* name, rt::Value v) {
    const rt::Func& f = *(*inst)->GetFunc(name);
    Timer t;
    for (uint32_t i = 0; i < n; ++i) {
      auto r = rt::Invoke(store, f, {&v, 1});
      if (!r.ok() || r->trap) std::abort();
    }
    return t.Per(n);
  };

  // Warm up once (page faults, first activations table).
  wasm_loop("loop_i64", vi64);
  wasm_loop("loop_ref", vref);
  Timing w_i64 = wasm_loop("loop_i64", vi64);
  Timing w_ref = wasm_loop("loop_ref", vref);
  Timing h_i64 = host_loop("id_i64", vi64);
  uint64_t gcs_before = store.data().Activations().collections();
  Timing h_ref = host_loop("id_ref", vref);
  uint64_t gcs = store.data().Activations().collections() - gcs_before;
  std::printf("calls,%u\n", n);
  std::printf(
      "what,i64 cpu ns/call,externref cpu ns/call,i64 wall ns/call,externref wall ns/call\n");
  std::printf("wasm-to-wasm,%.2f,%.2f,%.2f,%.2f\n", w_i64.cpu_ns, w_ref.cpu_ns, w_i64.wall_ns,
              w_ref.wall_ns);
  std::printf("host-to-wasm,%.2f,%.2f,%.2f,%.2f\n", h_i64.cpu_ns, h_ref.cpu_ns, h_i64.wall_ns,
              h_ref.wall_ns);
  std::printf("collections during the host-to-wasm externref run: %llu (table capacity %zu)\n",
              static_cast<unsigned long long>(gcs), store.data().Activations().capacity());
  return 0;
}
