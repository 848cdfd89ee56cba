// [lazy] Lazy compilation (jit/lazy.h): stubs, the compile thunk, one compile per function,
// direct calls vs calls through stubs, lazy_stress, many threads racing for one compile. Every
// behaviour is checked against the same module compiled eagerly.
#include <gtest/gtest.h>

#include <pthread.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "jit/code_arena.h"
#include "jit/lazy.h"
#include "runtime/code_registry.h"
#include "runtime/lazy_runtime.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::jit {
namespace {

using runtime::InvokeResult;
using runtime::Value;

std::shared_ptr<runtime::LoadedModule> LoadWat(const std::string& wat, CompileMode mode,
                                               bool stress = false, uint32_t background = 0) {
  auto bytes = text::WatToBinary(wat, "lazy.wat");
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  wasm::ReadOptions ro;
  ro.features = wasm::Features::Wasm20();
  auto m = wasm::ReadModule(std::move(*bytes), ro);
  EXPECT_TRUE(m.ok()) << m.error().ToString();
  if (!m.ok()) return nullptr;
  CompileOptions co;
  co.mode = mode;
  co.lazy_stress = stress;
  co.background_jobs = background;
  auto lm = runtime::LoadModule(std::move(*m), co);
  EXPECT_TRUE(lm.ok()) << lm.error().ToString();
  return lm.ok() ? *lm : nullptr;
}

// One module loaded and instantiated in its own store.
struct ModRun {
  runtime::Store store;
  runtime::Linker linker;
  std::shared_ptr<runtime::LoadedModule> module;
  runtime::Instance* inst = nullptr;

  ModRun(const std::string& wat, CompileMode mode, bool stress = false) {
    module = LoadWat(wat, mode, stress);
    if (!module) return;
    auto i = linker.Instantiate(store, module);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    if (i.ok()) inst = *i;
  }
  // The results' bits (v128: both halves), or "trap N".
  std::vector<uint64_t> Call(const std::string& name, const std::vector<Value>& args = {}) {
    runtime::Func* f = inst ? inst->GetFunc(name) : nullptr;
    EXPECT_NE(f, nullptr) << name;
    if (!f) return {};
    auto r = runtime::Invoke(store, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok()) return {};
    if (r->trap) return {0xDEAD0000u + static_cast<uint64_t>(r->trap->code)};
    std::vector<uint64_t> out;
    for (const Value& v : r->results) {
      if (v.type.kind == wasm::ValKind::kV128) {
        uint64_t h[2];
        std::memcpy(h, &v.bits, 16);
        out.push_back(h[0]);
        out.push_back(h[1]);
      } else if (v.type.is_ref()) {
        out.push_back(v.bits.ref != nullptr);
      } else {
        out.push_back(v.bits.i64);
      }
    }
    return out;
  }
  LazyModule::Stats stats() const {
    return module && module->code->lazy ? module->code->lazy->stats() : LazyModule::Stats{};
  }
};

// ---- Signature shapes through the thunk ----------------------------------------------------

const char* const kTypes[] = {"i32", "i64", "f32", "f64", "v128", "externref", "funcref"};

// (param kind -> i64 on the stack) for the hash.
std::string ToI64(const std::string& t, uint32_t local) {
  std::string g = "(local.get " + std::to_string(local) + ")";
  if (t == "i32") return "(i64.extend_i32_u " + g + ")";
  if (t == "i64") return g;
  if (t == "f32") return "(i64.extend_i32_u (i32.reinterpret_f32 " + g + "))";
  if (t == "f64") return "(i64.reinterpret_f64 " + g + ")";
  if (t == "v128")
    return "(i64.xor (i64x2.extract_lane 0 " + g + ") (i64.rotl (i64x2.extract_lane 1 " + g +
           ") (i64.const 17)))";
  return "(i64.extend_i32_u (ref.is_null " + g + "))";
}

std::string ConstOf(const std::string& t, uint32_t k) {
  std::string n = std::to_string(k * 7919 + 13);
  if (t == "i32") return "(i32.const " + n + ")";
  if (t == "i64") return "(i64.const -" + n + "000003)";
  if (t == "f32") return "(f32.const " + n + ".25)";
  if (t == "f64") return "(f64.const -" + n + ".5e10)";
  if (t == "v128") return "(v128.const i32x4 " + n + " 7 -1 " + std::to_string(k) + ")";
  if (t == "externref") return "(ref.null extern)";
  return k % 2 ? "(ref.func $anchor)" : "(ref.null func)";
}

Value ArgOf(const std::string& t, uint32_t k) {
  if (t == "i32") return Value::I32(k * 31 + 5);
  if (t == "i64") return Value::I64(0x123456789ull * (k + 1));
  if (t == "f32") return Value::F32(static_cast<float>(k) * 1.5f);
  if (t == "f64") return Value::F64(static_cast<double>(k) * -2.25);
  if (t == "v128") {
    uint8_t b[16];
    for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(k * 16 + i);
    return Value::V128(b);
  }
  if (t == "externref") return Value::Null(wasm::ValType::ExternRef());
  return Value::Null(wasm::ValType::FuncRef());
}

struct Shape {
  std::vector<std::string> params, results;
};

// Shapes: 0-20 params cycling through the kinds from a shifting start, and results: i64 hash
// then up to three params echoed (multi-value results in the call area, v128 included).
std::vector<Shape> Shapes() {
  std::vector<Shape> shapes;
  for (uint32_t n = 0; n <= 20; ++n) {
    for (uint32_t start : {0u, 3u}) {
      Shape s;
      for (uint32_t i = 0; i < n; ++i) s.params.push_back(kTypes[(start + i * (n % 3 + 1)) % 7]);
      s.results.push_back("i64");
      for (uint32_t i = 0; i < n && i < 3; ++i) s.results.push_back(s.params[n - 1 - i]);
      shapes.push_back(std::move(s));
    }
  }
  // Result 0 of every kind (xmm0 / rax), no params.
  for (const char* t : kTypes) shapes.push_back(Shape{{}, {t, "i32"}});
  return shapes;
}

std::string ShapesModule(const std::vector<Shape>& shapes) {
  std::string w = "(module (func $anchor)\n(elem declare func $anchor)\n";
  for (size_t k = 0; k < shapes.size(); ++k) {
    const Shape& s = shapes[k];
    std::string sig;
    for (const auto& p : s.params) sig += " (param " + p + ")";
    for (const auto& r : s.results) sig += " (result " + r + ")";
    std::string ks = std::to_string(k);
    // callee: hash of the params, then the echoed ones.
    w += "(func $f" + ks + " (export \"f" + ks + "\")" + sig + "\n  (i64.const " + ks + ")\n";
    for (uint32_t i = 0; i < s.params.size(); ++i)
      w += "  (i64.mul (i64.const 31)) " + ToI64(s.params[i], i) + " (i64.add)\n";
    if (s.params.empty() && s.results.size() == 2) {
      w += "  drop " + ConstOf(s.results[0], static_cast<uint32_t>(k) | 1) + " (i32.const 9)\n";
    } else {
      for (size_t r = 1; r < s.results.size(); ++r)
        w += "  (local.get " + std::to_string(s.params.size() - r) + ")\n";
    }
    w += ")\n";
    // caller: a direct call with constants.
    std::string rs;
    for (const auto& r : s.results) rs += " (result " + r + ")";
    w += "(func (export \"c" + ks + "\")" + rs + "\n";
    for (uint32_t i = 0; i < s.params.size(); ++i)
      w += "  " + ConstOf(s.params[i], static_cast<uint32_t>(k * 3 + i)) + "\n";
    w += "  (call $f" + ks + "))\n";
  }
  return w + ")";
}

class LazySig : public ::testing::TestWithParam<bool> {};  // param: lazy_stress

TEST_P(LazySig, EverySignatureThroughTheThunkMatchesEager) {
  std::vector<Shape> shapes = Shapes();
  std::string wat = ShapesModule(shapes);
  ModRun eager(wat, CompileMode::kEager);
  ModRun lazy(wat, CompileMode::kLazy, GetParam());
  ASSERT_NE(eager.inst, nullptr);
  ASSERT_NE(lazy.inst, nullptr);
  ASSERT_NE(lazy.module->code->lazy, nullptr);
  EXPECT_EQ(lazy.stats().compiled, 0u);
  for (size_t k = 0; k < shapes.size(); ++k) {
    std::string ks = std::to_string(k);
    // Half the shapes: the caller first (direct call into an uncompiled callee: its stub and
    // the thunk), the other half the callee first (host entry -> stub -> thunk), then the
    // caller (compiled after its callee: a direct call, unless lazy_stress).
    std::vector<Value> args;
    for (uint32_t i = 0; i < shapes[k].params.size(); ++i)
      args.push_back(ArgOf(shapes[k].params[i], static_cast<uint32_t>(k + i)));
    if (k % 2 == 0) {
      EXPECT_EQ(lazy.Call("c" + ks), eager.Call("c" + ks)) << k;
      EXPECT_EQ(lazy.Call("f" + ks, args), eager.Call("f" + ks, args)) << k;
    } else {
      EXPECT_EQ(lazy.Call("f" + ks, args), eager.Call("f" + ks, args)) << k;
      EXPECT_EQ(lazy.Call("c" + ks), eager.Call("c" + ks)) << k;
    }
    // Again, everything compiled now.
    EXPECT_EQ(lazy.Call("c" + ks), eager.Call("c" + ks)) << k;
    EXPECT_EQ(lazy.Call("f" + ks, args), eager.Call("f" + ks, args)) << k;
  }
  LazyModule::Stats s = lazy.stats();
  EXPECT_EQ(s.compiled, 2 * shapes.size());  // $anchor never runs
  EXPECT_EQ(s.by_thunk, s.compiled);
  EXPECT_FALSE(lazy.module->code->lazy->IsCompiled(0));
  EXPECT_GT(s.code_bytes, 0u);
  // One registration for the whole module.
  EXPECT_NE(runtime::LookupCode(reinterpret_cast<uintptr_t>(lazy.module->code->func_code[0])),
            nullptr);
}

INSTANTIATE_TEST_SUITE_P(Lazy, LazySig, ::testing::Bool());

// ---- Recursion, direct calls, stress -------------------------------------------------------

const char* const kRecursion = R"((module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
  (func $sq (export "sq") (param i64) (result i64) (i64.mul (local.get 0) (local.get 0)))
  (func (export "via_early") (param i64) (result i64) (call $sq (local.get 0)))
  (func (export "via_late") (param i64) (result i64) (call $sq (local.get 0)))))";

TEST(Lazy, RecursionAndDirectCallsMatchEager) {
  for (bool stress : {false, true}) {
    ModRun lazy(kRecursion, CompileMode::kLazy, stress);
    ASSERT_NE(lazy.inst, nullptr);
    EXPECT_EQ(lazy.Call("fib", {Value::I32(20)}), std::vector<uint64_t>{6765});
    EXPECT_EQ(lazy.stats().compiled, 1u);  // self-recursion: a bound label, no stub
    EXPECT_EQ(lazy.Call("even", {Value::I32(1001)}), std::vector<uint64_t>{0});
    EXPECT_EQ(lazy.Call("odd", {Value::I32(1001)}), std::vector<uint64_t>{1});
    EXPECT_EQ(lazy.stats().compiled, 3u);
    // via_early is compiled before $sq (calls its stub), via_late after it (direct unless
    // lazy_stress): the same results.
    EXPECT_EQ(lazy.Call("via_early", {Value::I64(12345)}), std::vector<uint64_t>{152399025});
    EXPECT_TRUE(lazy.module->code->lazy->IsCompiled(3));
    EXPECT_EQ(lazy.Call("via_late", {Value::I64(3)}), std::vector<uint64_t>{9});
    EXPECT_EQ(lazy.Call("via_early", {Value::I64(-4)}), std::vector<uint64_t>{16});
    EXPECT_EQ(lazy.stats().compiled, 6u);
    EXPECT_EQ(lazy.stats().waited, 0u);
  }
}

#if defined(WTRUN_ISA_a64)
constexpr std::ptrdiff_t kStubSize = 32;  // jit/lazy_compile.h kLazyStubSize
#else
constexpr std::ptrdiff_t kStubSize = 16;
#endif

// The slot stub `stub` jumps through (x64: jmp [rip + disp32]; [a64] adrp x16 + ldr x16).
const uint64_t* StubSlot(const uint8_t* stub) {
#if defined(WTRUN_ISA_a64)
  uint32_t adrp, ldr;
  std::memcpy(&adrp, stub, 4);
  std::memcpy(&ldr, stub + 4, 4);
  EXPECT_EQ(adrp & 0x9F00001Fu, 0x90000010u);  // adrp x16
  EXPECT_EQ(ldr & 0xFFC003FFu, 0xF9400210u);   // ldr x16, [x16, #imm]
  int64_t pages = static_cast<int64_t>(((adrp >> 5) & 0x7FFFFu) << 2 | ((adrp >> 29) & 3u));
  if (pages & (int64_t{1} << 20)) pages -= int64_t{1} << 21;
  uint64_t page = (reinterpret_cast<uint64_t>(stub) & ~uint64_t{0xFFF}) + (pages << 12);
  return reinterpret_cast<const uint64_t*>(page + ((ldr >> 10) & 0xFFFu) * 8);
#else
  EXPECT_EQ(stub[0], 0xFF);  // jmp [rip + slot]
  int32_t disp;
  std::memcpy(&disp, stub + 2, 4);
  return reinterpret_cast<const uint64_t*>(stub + 6 + disp);
#endif
}

// A stub is kLazyStubSize bytes (16 on x64, 32 on a64) and jumps through its slot; once
// compiled, the slot holds the code, whose record the arena's lookups find.
TEST(Lazy, StubsSlotsAndRecords) {
  ModRun lazy(kRecursion, CompileMode::kLazy);
  ASSERT_NE(lazy.inst, nullptr);
  const CompiledModule& cm = *lazy.module->code;
  ASSERT_EQ(cm.func_code.size(), 6u);
  for (size_t i = 1; i < cm.func_code.size(); ++i)
    EXPECT_EQ(static_cast<const uint8_t*>(cm.func_code[i]) -
                  static_cast<const uint8_t*>(cm.func_code[i - 1]),
              kStubSize);
  const auto* arena = dynamic_cast<const CodeArena*>(cm.code.get());
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->record_count(), 0u);
  EXPECT_EQ(lazy.Call("fib", {Value::I32(10)}), std::vector<uint64_t>{55});
  EXPECT_EQ(arena->record_count(), 1u);
  const auto* stub = static_cast<const uint8_t*>(cm.func_code[0]);
  EXPECT_EQ(arena->FindFunc(reinterpret_cast<uintptr_t>(stub)), nullptr);
  uint64_t code;
  std::memcpy(&code, StubSlot(stub), 8);
  const FuncRange* r = arena->FindFunc(code);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->func_index, 0u);
  // Stubs, thunk, trampolines: in the arena, outside every function record.
  auto fixed = lazy.module->code->lazy->FixedCode();
  ASSERT_EQ(fixed.size(), 3u);
  for (const auto& c : fixed) {
    EXPECT_TRUE(arena->Contains(reinterpret_cast<uintptr_t>(c.start))) << c.name;
    EXPECT_EQ(arena->FindFunc(reinterpret_cast<uintptr_t>(c.start)), nullptr) << c.name;
  }
}

// ---- Threads -----------------------------------------------------------------------------

TEST(Lazy, ThreadsRaceForOneCompile) {
  // One function, 8 threads each with its own store and instance: compiled once.
  const std::string one = R"((module (func (export "f") (param i32) (result i32)
      (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1)))))";
  constexpr int kThreads = 8;
  {
    auto module = LoadWat(one, CompileMode::kLazy);
    ASSERT_NE(module, nullptr);
    std::barrier sync(kThreads);
    std::atomic<int> bad{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t) {
      ts.emplace_back([&, t] {
        runtime::Store store;
        runtime::Linker linker;
        auto inst = linker.Instantiate(store, module);
        sync.arrive_and_wait();
        for (int r = 0; r < 1000; ++r) {
          std::vector<Value> a{Value::I32(t + r)};
          auto res = runtime::Invoke(store, *(*inst)->GetFunc("f"), a);
          if (!res.ok() || res->trap || res->results[0].i32() != uint32_t(3 * (t + r) + 1))
            bad.fetch_add(1);
        }
      });
    }
    for (auto& t : ts) t.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(module->code->lazy->stats().compiled, 1u);
  }
  // 1,000 rounds, each racing for a fresh uncompiled function: each compiled exactly once.
  constexpr int kRounds = 1000;
  std::string many = "(module\n";
  for (int r = 0; r < kRounds; ++r)
    many += "(func (export \"f" + std::to_string(r) +
            "\") (param i32) (result i32) (i32.add (local.get 0) (i32.const " +
            std::to_string(r * 7) + ")))\n";
  many += ")";
  auto module = LoadWat(many, CompileMode::kLazy);
  ASSERT_NE(module, nullptr);
  std::barrier sync(kThreads);
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      runtime::Store store;
      runtime::Linker linker;
      auto inst = linker.Instantiate(store, module);
      std::vector<runtime::Func*> fs;
      for (int r = 0; r < kRounds; ++r) fs.push_back((*inst)->GetFunc(fmt::format("f{}", r)));
      for (int r = 0; r < kRounds; ++r) {
        sync.arrive_and_wait();
        std::vector<Value> a{Value::I32(t)};
        auto res = runtime::Invoke(store, *fs[r], a);
        if (!res.ok() || res->trap || res->results[0].i32() != uint32_t(t + 7 * r))
          bad.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  LazyModule::Stats s = module->code->lazy->stats();
  EXPECT_EQ(s.compiled, static_cast<uint32_t>(kRounds));
  EXPECT_EQ(s.by_thunk, static_cast<uint32_t>(kRounds));
  auto* arena = dynamic_cast<const CodeArena*>(module->code->code.get());
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->record_count(), static_cast<uint32_t>(kRounds));
}

// ---- Background compilation -------------------------------------------------------------

// $hub (compiled by the thunk) has 150 direct callees it does not call for 0: queued for the
// background threads, which compile them (each once, never one the thunk has) while the
// caller goes on.
std::string HubModule() {
  std::string w = "(module\n";
  for (int i = 0; i < 150; ++i)
    w += fmt::format(
        "(func $f{0} (export \"f{0}\") (param i32) (result i32) (i32.add (i32.mul (local.get 0) "
        "(i32.const {0})) (i32.popcnt (local.get 0))))\n",
        i);
  w += "(func (export \"hub\") (param i32) (result i32) (local i32)\n";
  w += "  (if (local.get 0) (then\n";
  for (int i = 0; i < 150; ++i)
    w += fmt::format("    (local.set 1 (i32.add (local.get 1) (call $f{} (local.get 0))))\n", i);
  w += "  )) (local.get 1)))";
  return w;
}

TEST(Lazy, BackgroundCompilesTheCalleesOfCompiledFunctions) {
  auto module = LoadWat(HubModule(), CompileMode::kLazy, false, /*background=*/2);
  ASSERT_NE(module, nullptr);
  LazyModule& lazy = *module->code->lazy;
  {
    runtime::Store store;
    runtime::Linker linker;
    auto inst = linker.Instantiate(store, module);
    ASSERT_TRUE(inst.ok());
    std::vector<Value> a{Value::I32(0)};
    auto r = runtime::Invoke(store, *(*inst)->GetFunc("hub"), a);
    ASSERT_TRUE(r.ok() && !r->trap);
    EXPECT_EQ(r->results[0].i32(), 0u);
    // The background threads run at the lowest priority: give them time on a busy machine.
    for (int i = 0; i < 3000 && lazy.stats().by_background < 150; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    LazyModule::Stats s = lazy.stats();
    EXPECT_EQ(s.by_thunk, 1u);
    EXPECT_EQ(s.by_background, 150u);
    for (uint32_t f = 0; f < 150; ++f) EXPECT_TRUE(lazy.IsCompiled(f)) << f;
    // Calls now find compiled code: nothing more is compiled, the results are right.
    a[0] = Value::I32(3);
    r = runtime::Invoke(store, *(*inst)->GetFunc("hub"), a);
    ASSERT_TRUE(r.ok() && !r->trap);
    uint32_t want = 0;
    for (uint32_t i = 0; i < 150; ++i) want += 3 * i + 2;
    EXPECT_EQ(r->results[0].i32(), want);
    EXPECT_EQ(lazy.stats().compiled, 151u);
  }
  // lazy_stress: no background compiles.
  auto stressed = LoadWat(HubModule(), CompileMode::kLazy, true, 2);
  ASSERT_NE(stressed, nullptr);
  runtime::Store store;
  runtime::Linker linker;
  auto inst = linker.Instantiate(store, stressed);
  ASSERT_TRUE(inst.ok());
  std::vector<Value> a{Value::I32(0)};
  ASSERT_TRUE(runtime::Invoke(store, *(*inst)->GetFunc("hub"), a).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(stressed->code->lazy->stats().by_background, 0u);
}

// A background compile claims its function only to publish it: callers racing it compile the
// function themselves instead of waiting for it, and whoever publishes first wins; the loser's
// code takes no arena space (one record per function).
TEST(Lazy, BackgroundCompilesNeverMakeCallersWait) {
  constexpr int kFuncs = 600;
  std::string w = "(module\n";
  for (int r = 0; r < kFuncs; ++r)
    w += fmt::format(
        "(func (export \"f{0}\") (param i32) (result i32) (i32.add (local.get 0) (i32.const "
        "{1})))\n",
        r, r * 5);
  w += ")";
  auto module = LoadWat(w, CompileMode::kLazy);
  ASSERT_NE(module, nullptr);
  LazyModule& lazy = *module->code->lazy;
  constexpr int kCallers = 3;
  std::barrier sync(kCallers + 1);
  std::atomic<int> bad{0};
  std::atomic<uint32_t> background_wins{0};
  std::vector<std::thread> ts;
  ts.emplace_back([&] {
    sync.arrive_and_wait();
    for (uint32_t f = 0; f < kFuncs; ++f)
      if (lazy.CompileIfIdle(f)) background_wins.fetch_add(1);
  });
  for (int t = 0; t < kCallers; ++t) {
    ts.emplace_back([&, t] {
      runtime::Store store;
      runtime::Linker linker;
      auto inst = linker.Instantiate(store, module);
      std::vector<runtime::Func*> fs;
      for (int r = 0; r < kFuncs; ++r) fs.push_back((*inst)->GetFunc(fmt::format("f{}", r)));
      sync.arrive_and_wait();
      for (int r = 0; r < kFuncs; ++r) {
        std::vector<Value> a{Value::I32(t)};
        auto res = runtime::Invoke(store, *fs[r], a);
        if (!res.ok() || res->trap || res->results[0].i32() != uint32_t(t + 5 * r))
          bad.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  LazyModule::Stats s = lazy.stats();
  EXPECT_EQ(s.compiled, static_cast<uint32_t>(kFuncs));
  EXPECT_EQ(s.by_background, background_wins.load());
  auto* arena = dynamic_cast<const CodeArena*>(module->code->code.get());
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->record_count(), static_cast<uint32_t>(kFuncs));
  // A compiled function is never compiled again.
  for (uint32_t f = 0; f < kFuncs; ++f) EXPECT_FALSE(lazy.CompileIfIdle(f));
  EXPECT_EQ(lazy.stats().compiled, static_cast<uint32_t>(kFuncs));
}

// Unloading while background compiles are queued and running: the queue is dropped, in-flight
// compiles finish before the arena goes (ASan would see a use after unmap).
TEST(Lazy, UnloadWhileBackgroundCompilesRun) {
  for (int round = 0; round < 20; ++round) {
    auto module = LoadWat(HubModule(), CompileMode::kLazy, false, 2);
    ASSERT_NE(module, nullptr);
    {
      runtime::Store store;
      runtime::Linker linker;
      auto inst = linker.Instantiate(store, module);
      ASSERT_TRUE(inst.ok());
      std::vector<Value> a{Value::I32(0)};
      ASSERT_TRUE(runtime::Invoke(store, *(*inst)->GetFunc("hub"), a).ok());
    }
    LazyModule::Stats s = module->code->lazy->stats();
    EXPECT_EQ(s.by_thunk, 1u);
    EXPECT_LE(s.by_background, 150u);
    module.reset();  // drains and joins
  }
}

// ---- The compiler's native stack use ------------------------------------------------------

struct StackProbe {
  LazyModule* lazy;
  uint32_t func;
  bool ok = false;
};

void* CompileOnProbeStack(void* arg) {
  auto* p = static_cast<StackProbe*>(arg);
  p->ok = p->lazy->Ensure(p->func).ok();
  return nullptr;
}

// The deepest native stack a compile uses (on a thread whose painted stack is inspected after)
// stays well below runtime::kLazyCompileStack, the headroom below which the thunk hands the
// compile to a helper thread. Functions: deep nesting, many locals and params, a wide
// br_table, SIMD.
TEST(Lazy, CompilerStackUseIsBelowTheHeadroom) {
  std::string deep = "(func (param i32) (result i32) (local i64 f64 v128)";
  for (int i = 0; i < 400; ++i)
    deep += "(block (result i32) (local.get 0) (local.get 0) (br_if 0) (drop)";
  deep += "(local.get 0)";
  for (int i = 0; i < 400; ++i) deep += ")";
  deep += ")\n";
  std::string wide = "(func (param i32) (result i32) (block";
  for (int i = 0; i < 300; ++i) wide += " (block";
  wide += " (br_table";
  for (int i = 0; i < 300; ++i) wide += fmt::format(" {}", i);
  wide += " 300 (local.get 0))";
  for (int i = 0; i < 300; ++i) wide += ")";
  wide += ") (i32.const 1))\n";
  std::string params = "(func (param";
  for (int i = 0; i < 200; ++i) params += i % 2 ? " i64" : " v128";
  params += ") (result i64) (local.get 199))\n";
  std::string wat = "(module " + deep + wide + params + ")";
  auto module = LoadWat(wat, CompileMode::kLazy);
  ASSERT_NE(module, nullptr);
  constexpr size_t kStack = 4 << 20;
  std::vector<uint8_t> stack(kStack, 0xA5);
  size_t deepest = 0;
  for (uint32_t f = 0; f < 3; ++f) {
    std::fill(stack.begin(), stack.end(), 0xA5);
    StackProbe probe{module->code->lazy.get(), f};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, stack.data(), stack.size());
    pthread_t t;
    ASSERT_EQ(pthread_create(&t, &attr, &CompileOnProbeStack, &probe), 0);
    pthread_join(t, nullptr);
    pthread_attr_destroy(&attr);
    EXPECT_TRUE(probe.ok) << f;
    size_t untouched = 0;
    while (untouched < stack.size() && stack[untouched] == 0xA5) ++untouched;
    deepest = std::max(deepest, stack.size() - untouched);
  }
  EXPECT_EQ(module->code->lazy->stats().compiled, 3u);
  EXPECT_GT(deepest, 0u);
  // Thread start-up and TLS take part of the top of the stack: the figure is an upper bound.
  EXPECT_LT(deepest, runtime::kLazyCompileStack / 2) << deepest;
  std::printf("deepest compile stack use: %zu bytes\n", deepest);
}

}  // namespace
}  // namespace wt::jit
