// [lazy] The runtime with lazily compiled modules (runtime/lazy_runtime.h, jit/lazy.h): tables,
// ref.func, exports, host callbacks, the start function; traps, backtraces, fuel, epoch
// interrupts and GC stack maps the same as eager code; profiling of compiled functions only;
// the compile-failure trap; compiles on a nearly exhausted stack.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "jit/code_arena.h"
#include "jit/lazy.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/instance_data.h"
#include "runtime/lazy_runtime.h"
#include "runtime/profile.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::runtime {
namespace {

using jit::CompileMode;
using wasm::ValType;

std::shared_ptr<LoadedModule> LoadIn(std::string_view wat, CompileMode mode, bool fuel = false,
                                     bool epochs = false) {
  auto bytes = text::WatToBinary(wat, "lazy.wat");
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  wasm::ReadOptions ro;
  ro.features = wasm::Features::Wasm20();
  auto module = wasm::ReadModule(std::move(*bytes), ro);
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return nullptr;
  jit::CompileOptions co;
  co.mode = mode;
  co.consume_fuel = fuel;
  co.epoch_interruption = epochs;
  auto loaded = LoadModule(std::move(*module), co);
  EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
  return loaded.ok() ? *loaded : nullptr;
}

// What a call did, comparable across modes: results' bits or the trap with its backtrace
// (function index and wasm offset of every frame).
struct Outcome {
  bool trapped = false;
  TrapCode code = TrapCode::kCount;
  uint32_t wasm_offset = 0;
  std::vector<std::pair<uint32_t, uint32_t>> frames;
  std::vector<uint64_t> results;
  std::string detail;
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << (o.trapped ? TrapMessage(o.code) : "ok") << " @" << o.wasm_offset << " [";
  for (auto [f, off] : o.frames) os << f << ":" << off << " ";
  os << "] (";
  for (uint64_t r : o.results) os << r << " ";
  return os << ")";
}

struct Guest {
  Guest(std::shared_ptr<LoadedModule> m, const StoreOptions& options = {},
        std::function<void(Linker&, Store&)> imports = nullptr)
      : store(options), module(std::move(m)) {
    if (!module) return;
    if (imports) imports(linker, store);
    auto i = linker.Instantiate(store, module);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    if (i.ok()) inst = *i;
  }
  Outcome Call(std::string_view name, std::vector<Value> args = {}) {
    Outcome o;
    Func* f = inst ? inst->GetFunc(name) : nullptr;
    EXPECT_NE(f, nullptr) << name;
    if (!f) return o;
    auto r = Invoke(store, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok()) return o;
    if (r->trap) {
      o.trapped = true;
      o.code = r->trap->code;
      o.wasm_offset = r->trap->wasm_offset;
      o.detail = r->trap->detail;
      for (const WasmFrame& fr : r->trap->backtrace.frames)
        o.frames.emplace_back(fr.func_index, fr.wasm_offset);
    }
    for (const Value& v : r->results)
      o.results.push_back(v.type.is_ref() ? v.bits.ref != nullptr : v.bits.i64);
    return o;
  }
  jit::LazyModule* lazy() const { return module->code->lazy.get(); }

  Store store;
  Linker linker;
  std::shared_ptr<LoadedModule> module;
  Instance* inst = nullptr;
};

// The same calls on an eager and a lazy instance of `wat` give the same outcomes.
void ExpectSameOutcomes(std::string_view wat,
                        const std::vector<std::pair<std::string, std::vector<Value>>>& calls,
                        bool fuel = false, const StoreOptions& options = {}) {
  Guest eager(LoadIn(wat, CompileMode::kEager, fuel), options);
  Guest lazy(LoadIn(wat, CompileMode::kLazy, fuel), options);
  ASSERT_NE(eager.inst, nullptr);
  ASSERT_NE(lazy.inst, nullptr);
  ASSERT_NE(lazy.lazy(), nullptr);
  for (const auto& [name, args] : calls) {
    Outcome e = eager.Call(name, args), l = lazy.Call(name, args);
    EXPECT_EQ(l, e) << name;
    if (fuel) {
      EXPECT_EQ(lazy.store.data().store_ctx.fuel_consumed,
                eager.store.data().store_ctx.fuel_consumed)
          << name;
    }
  }
}

TEST(LazyRuntime, TablesRefFuncExportsAndStart) {
  constexpr std::string_view kWat = R"((module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (table $t 4 funcref)
    (global $started (mut i32) (i32.const 0))
    (elem (table $t) (i32.const 0) func $inc $dbl $noarg)
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
    (func $noarg (type $v))
    (func $start (global.set $started (i32.const 77)))
    (start $start)
    (func (export "started") (result i32) (global.get $started))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
    (func (export "set") (param i32) (table.set $t (local.get 0) (ref.func $dbl)))
    (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (elem declare func $dbl)))";
  ExpectSameOutcomes(kWat, {{"started", {}},
                            {"indirect", {Value::I32(0), Value::I32(5)}},
                            {"indirect", {Value::I32(1), Value::I32(5)}},
                            {"indirect", {Value::I32(2), Value::I32(5)}},  // type mismatch
                            {"indirect", {Value::I32(3), Value::I32(5)}},  // null
                            {"indirect", {Value::I32(9), Value::I32(5)}},  // out of bounds
                            {"set", {Value::I32(3)}},
                            {"is_null", {Value::I32(3)}},
                            {"indirect", {Value::I32(3), Value::I32(21)}}});
  Guest lazy(LoadIn(kWat, CompileMode::kLazy));
  ASSERT_NE(lazy.inst, nullptr);
  EXPECT_EQ(lazy.Call("started").results, std::vector<uint64_t>{77});
  EXPECT_EQ(lazy.Call("indirect", {Value::I32(2), Value::I32(5)}).code,
            TrapCode::kIndirectCallTypeMismatch);
  // $noarg was reached through the table but never called: not compiled.
  EXPECT_FALSE(lazy.lazy()->IsCompiled(2));
  EXPECT_TRUE(lazy.lazy()->IsCompiled(3));  // the start function
}

uint32_t CallBack(void* env, VMContext*, ValueSlot* a) noexcept {
  auto* g = static_cast<Store*>(env);
  (void)g;
  a[0].i32 = a[0].i32 * 10;
  return 0;
}

TEST(LazyRuntime, HostFunctionsCallingBackIntoWasm) {
  // host -> wasm (export) -> host import -> wasm (a funcref the host calls back).
  constexpr std::string_view kWat = R"((module
    (import "env" "tenfold" (func $tenfold (param i32) (result i32)))
    (import "env" "call_back" (func $call_back (param funcref i32) (result i32)))
    (func $plus3 (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))
    (elem declare func $plus3)
    (func (export "run") (param i32) (result i32)
      (call $call_back (ref.func $plus3) (call $tenfold (local.get 0))))))";
  for (CompileMode mode : {CompileMode::kEager, CompileMode::kLazy}) {
    Store* store_ptr = nullptr;
    auto imports = [&](Linker& linker, Store& store) {
      store_ptr = &store;
      linker.Define(
          "env", "tenfold",
          store.NewHostFunc(wasm::FuncType{{ValType::I32()}, {ValType::I32()}}, &CallBack, &store));
      struct Env {
        Store* store;
      };
      static Env env;
      env.store = &store;
      linker.Define("env", "call_back",
                    store.NewHostFunc(
                        wasm::FuncType{{ValType::FuncRef(), ValType::I32()}, {ValType::I32()}},
                        [](void* e, VMContext*, ValueSlot* a) noexcept -> uint32_t {
                          Store& s = *static_cast<Env*>(e)->store;
                          const Func* f = Func::FromRef(static_cast<FuncRef*>(a[0].ref));
                          auto r = Invoke(s, *f, std::vector<Value>{Value::I32(a[1].i32)});
                          if (!r.ok() || r->trap)
                            return 1 + static_cast<uint32_t>(TrapCode::kHostError);
                          a[0].i32 = r->results[0].i32();
                          return 0;
                        },
                        &env));
    };
    Guest g(LoadIn(kWat, mode), {}, imports);
    ASSERT_NE(g.inst, nullptr);
    EXPECT_EQ(g.Call("run", {Value::I32(4)}).results, std::vector<uint64_t>{43}) << int(mode);
    (void)store_ptr;
  }
}

// Names, wasm offsets and frames of traps in lazily compiled code are those of eager code.
constexpr std::string_view kTraps = R"((module $m (memory 1)
  (func $leaf (param i32) (result i32) (i32.load (local.get 0)))
  (func $mid (param i32) (result i32) (i32.add (i32.const 1) (call $leaf (local.get 0))))
  (func $div (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func $rec (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (unreachable))
      (else (call $rec (i32.sub (local.get 0) (i32.const 1))))))
  (func $grow (result i32) (memory.grow (i32.const 1)))
  (func (export "oob") (param i32) (result i32) (call $mid (local.get 0)))
  (func (export "div") (param i32) (result i32) (call $div (local.get 0)))
  (func (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "grow") (result i32) (call $grow))
  (func (export "forever") (result i32) (call $rec (i32.const -1))))
)";

TEST(LazyRuntime, TrapsAndBacktracesAsEager) {
  ExpectSameOutcomes(kTraps, {{"oob", {Value::I32(70000)}},
                              {"oob", {Value::I32(8)}},
                              {"div", {Value::I32(0)}},
                              {"div", {Value::I32(2)}},
                              {"rec", {Value::I32(5)}},
                              {"grow", {}},
                              {"forever", {}},
                              {"oob", {Value::I32(65535)}}});
  Guest lazy(LoadIn(kTraps, CompileMode::kLazy));
  Outcome o = lazy.Call("oob", {Value::I32(70000)});
  EXPECT_EQ(o.code, TrapCode::kMemoryOutOfBounds);
  ASSERT_EQ(o.frames.size(), 3u);
  EXPECT_EQ(o.frames[0].first, 0u);
  EXPECT_EQ(o.frames[1].first, 1u);
  EXPECT_EQ(o.frames[2].first, 5u);
  EXPECT_EQ(lazy.Call("forever").code, TrapCode::kStackExhausted);
}

TEST(LazyRuntime, FuelAsEager) {
  constexpr std::string_view kFuel = R"((module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $helper (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func (export "loop") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call $helper (local.get 0))))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1)))
  )";
  ExpectSameOutcomes(kFuel, {{"fib", {Value::I32(10)}}, {"loop", {Value::I32(100)}}}, true, [] {
    StoreOptions o;
    o.fuel = 1'000'000;
    return o;
  }());
  // Out of fuel at the same point: the same trap, offset and frames, the same fuel consumed.
  for (uint64_t budget : {5ull, 100ull, 1234ull}) {
    StoreOptions o;
    o.fuel = budget;
    ExpectSameOutcomes(kFuel, {{"fib", {Value::I32(15)}}, {"loop", {Value::I32(1000)}}}, true, o);
  }
}

TEST(LazyRuntime, EpochInterrupt) {
  constexpr std::string_view kSpin = R"((module
    (func $spin (loop $l (br $l)))
    (func (export "run") (call $spin)))
  )";
  Guest g(LoadIn(kSpin, CompileMode::kLazy, false, true), [] {
    StoreOptions o;
    o.timeout = std::chrono::milliseconds(50);
    return o;
  }());
  ASSERT_NE(g.inst, nullptr);
  Outcome o = g.Call("run");
  EXPECT_EQ(o.code, TrapCode::kInterrupt);
  ASSERT_EQ(o.frames.size(), 2u);
  EXPECT_EQ(o.frames[0].first, 0u);
  EXPECT_TRUE(g.lazy()->IsCompiled(0));
}

// An externref held in a frame below a lazily compiled callee (compiled mid-stack, by the
// thunk) survives a collection the callee triggers; its stack maps are found in the arena.
TEST(LazyRuntime, GcStackMapsWithALazyCalleeMidStack) {
  constexpr std::string_view kWat = R"((module
    (import "env" "gc" (func $gc))
    (table $t 1 externref)
    (func $deep (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (call $gc) (i32.const 0))
        (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "hold") (param externref) (result externref)
      (drop (call $deep (i32.const 3)))
      (local.get 0)))
  )";
  int collections = 0;
  struct Env {
    Store* store;
    int* collections;
  } env{nullptr, &collections};
  auto imports = [&](Linker& linker, Store& store) {
    env.store = &store;
    linker.Define("env", "gc",
                  store.NewHostFunc(
                      wasm::FuncType{},
                      [](void* e, VMContext*, ValueSlot*) noexcept -> uint32_t {
                        auto* en = static_cast<Env*>(e);
                        if (en->store->data().Activations().Collect()) ++*en->collections;
                        return 0;
                      },
                      &env));
  };
  Guest g(LoadIn(kWat, CompileMode::kLazy), {}, imports);
  ASSERT_NE(g.inst, nullptr);
  gc::ExternRef held =
      gc::ExternRef::New(new int(42), [](void* p) noexcept { delete static_cast<int*>(p); });
  Func* hold = g.inst->GetFunc("hold");
  ASSERT_NE(hold, nullptr);
  auto r = Invoke(g.store, *hold, std::vector<Value>{Value::ExternRef(held.get())});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->trap.has_value()) << TrapMessage(r->trap->code);
  EXPECT_EQ(collections, 1);
  ASSERT_EQ(r->results.size(), 1u);
  EXPECT_EQ(r->results[0].bits.ref, held.get());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(LazyRuntime, PerfMapHasOnlyCompiledFunctions) {
  constexpr std::string_view kWat = R"((module $lz
    (func $called (result i32) (i32.const 1))
    (func $never (result i32) (i32.const 2))
    (func (export "run") (result i32) (call $called)))
  )";
  ASSERT_TRUE(SetProfileMode(ProfileMode::kPerfMap).ok());
  std::string path = ProfileFilePath();
  auto m = LoadIn(kWat, CompileMode::kLazy);
  ASSERT_NE(m, nullptr);
  std::string before = ReadFile(path);
  EXPECT_NE(before.find(" wasm-lazy-stubs\n"), std::string::npos) << before;
  EXPECT_NE(before.find(" wasm-lazy-compile\n"), std::string::npos) << before;
  EXPECT_NE(before.find(" wasm-trampolines\n"), std::string::npos) << before;
  EXPECT_EQ(before.find("lz!"), std::string::npos) << before;
  {
    Guest g(m);
    EXPECT_EQ(g.Call("run").results, std::vector<uint64_t>{1});
  }
  ASSERT_TRUE(SetProfileMode(ProfileMode::kNone).ok());
  std::string after = ReadFile(path).substr(before.size());
  EXPECT_NE(after.find(" lz!called\n"), std::string::npos) << after;
  EXPECT_NE(after.find(" lz!<wasm function 2>\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("never"), std::string::npos) << after;
  const auto* arena = dynamic_cast<const jit::CodeArena*>(m->code->code.get());
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->record_count(), 2u);
  std::remove(path.c_str());
}

// jitdump: JIT_CODE_LOAD records for the code written at load, then one per function as it is
// compiled (in call order), each with the function's bytes.
TEST(LazyRuntime, JitDumpRecordsCompiledFunctions) {
  constexpr std::string_view kWat = R"((module $jd
    (func $first (result i32) (i32.const 1))
    (func $second (result i32) (call $first))
    (func $never (result i32) (i32.const 3))
    (func (export "run") (result i32) (call $second)))
  )";
  auto dir = std::filesystem::temp_directory_path() / fmt::format("wtrun-lazy-jd-{}", getpid());
  std::filesystem::create_directories(dir);
  setenv("JITDUMPDIR", dir.c_str(), 1);
  ASSERT_TRUE(SetProfileMode(ProfileMode::kJitDump).ok());
  unsetenv("JITDUMPDIR");
  std::string path = ProfileFilePath();
  auto m = LoadIn(kWat, CompileMode::kLazy);
  ASSERT_NE(m, nullptr);
  {
    Guest g(m);
    EXPECT_EQ(g.Call("run").results, std::vector<uint64_t>{1});
  }
  ASSERT_TRUE(SetProfileMode(ProfileMode::kNone).ok());
  std::string d = ReadFile(path);
  ASSERT_GE(d.size(), 40u);
  auto u32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, d.data() + at, 4);
    return v;
  };
  auto u64 = [&](size_t at) {
    uint64_t v;
    std::memcpy(&v, d.data() + at, 8);
    return v;
  };
  const jit::CodeObject& code = *m->code->code;
  std::vector<std::string> names;
  for (size_t at = 40; at + 16 <= d.size();) {
    uint32_t id = u32(at), size = u32(at + 4);
    ASSERT_GE(size, 16u);
    ASSERT_LE(at + size, d.size());
    if (id == 0) {
      uint64_t addr = u64(at + 24), code_size = u64(at + 40);
      std::string name(d.data() + at + 56);
      names.push_back(name);
      size_t code_at = at + 56 + name.size() + 1;
      ASSERT_EQ(code_at + code_size, at + size);
      ASSERT_TRUE(code.Contains(addr) && code.Contains(addr + code_size - 1)) << name;
      EXPECT_EQ(std::memcmp(d.data() + code_at, reinterpret_cast<const void*>(addr), code_size), 0)
          << name;
      if (name.rfind("jd!", 0) == 0) {
        EXPECT_NE(code.FindFunc(addr), nullptr) << name;
      }
    }
    at += size;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"wasm-lazy-stubs", "wasm-lazy-compile", "wasm-trampolines",
                                      "jd!<wasm function 3>", "jd!second", "jd!first"}));
  std::filesystem::remove_all(dir);
}

TEST(LazyRuntime, CompileFailureTrapsWithTheCallerInTheBacktrace) {
  constexpr std::string_view kWat = R"((module
    (func $ok (result i32) (i32.const 5))
    (func $doomed (result i32) (i32.const 6))
    (func (export "run") (result i32) (i32.add (call $ok) (call $doomed))))
  )";
  Guest g(LoadIn(kWat, CompileMode::kLazy));
  ASSERT_NE(g.inst, nullptr);
  SetLazyCompileFailHookForTesting(
      [](uint32_t defined) { return defined == 1 ? std::string("test hook") : std::string(); });
  Outcome o = g.Call("run");
  SetLazyCompileFailHookForTesting(nullptr);
  EXPECT_TRUE(o.trapped);
  EXPECT_EQ(o.code, TrapCode::kCompileFailed);
  EXPECT_STREQ(TrapMessage(o.code), "failed to compile function");
  EXPECT_EQ(LastLazyCompileError(), "failed to compile function 1: test hook");
  EXPECT_EQ(o.detail, "function 1: test hook");  // in the trap report
  // Innermost frame: the caller, at its call of $doomed (the second call instruction).
  ASSERT_EQ(o.frames.size(), 1u);
  EXPECT_EQ(o.frames[0].first, 2u);
  EXPECT_NE(o.frames[0].second, WasmFrame::kNoOffset);
  EXPECT_EQ(o.wasm_offset, o.frames[0].second);
  EXPECT_TRUE(g.lazy()->IsCompiled(0));
  EXPECT_FALSE(g.lazy()->IsCompiled(1));
  // Nothing is left broken: the next call compiles it.
  EXPECT_EQ(g.Call("run").results, std::vector<uint64_t>{11});
  EXPECT_TRUE(g.lazy()->IsCompiled(1));
}

// A never-called function reached at the bottom of a deep recursion: compiled on a helper
// thread (too little stack left), with the result eager gives.
TEST(LazyRuntime, DeepRecursionIntoANeverCalledFunction) {
  constexpr std::string_view kWat = R"((module
    (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
    (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (call $leaf (i32.const 14)))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
  )";
  StoreOptions so;
  so.limits.max_wasm_stack = 2 << 20;
  // The deepest recursion eager code survives, in steps of 256 frames (well below 256 KiB).
  Guest eager(LoadIn(kWat, CompileMode::kEager), so);
  ASSERT_NE(eager.inst, nullptr);
  uint32_t depth = 0;
  for (uint32_t d = 256; d < 1'000'000; d += 256) {
    if (eager.Call("down", {Value::I32(d)}).trapped) break;
    depth = d;
  }
  ASSERT_GT(depth, 0u);
  EXPECT_TRUE(eager.Call("down", {Value::I32(depth + 256)}).trapped);
  uint64_t handoffs = LazyHeadroomHandoffs();
  Guest lazy(LoadIn(kWat, CompileMode::kLazy), so);
  ASSERT_NE(lazy.inst, nullptr);
  // $down is compiled on the first (shallow) call; $leaf at the bottom.
  EXPECT_EQ(lazy.Call("down", {Value::I32(depth)}).results, std::vector<uint64_t>{depth + 42});
  EXPECT_EQ(LazyHeadroomHandoffs(), handoffs + 1);
  EXPECT_EQ(lazy.Call("down", {Value::I32(depth + 256)}).code, TrapCode::kStackExhausted);
  EXPECT_EQ(lazy.lazy()->stats().compiled, 2u);
}

}  // namespace
}  // namespace wt::runtime
