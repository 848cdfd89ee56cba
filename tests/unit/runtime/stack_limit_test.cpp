// Stack exhaustion for every frame size (issue 13, defect 1): recursion until the stack runs
// out always ends in "call stack exhausted", never in a crash — frames from 16 bytes to 4 MiB,
// with and without StoreLimits::max_wasm_stack, through direct calls, call_indirect and host
// calls (wasm -> host -> wasm), on the main thread and on a thread with a 256 KiB stack. And
// host code called at the limit (host functions, WASI, builtins, the trap path) fits in the
// margin kept below it.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime/trap/call_scope.h"
#include "text/wat.h"
#include "wasi/wasi.h"

namespace wt::runtime {
namespace {

// ---- A recursive module, written in binary (a 4 MiB frame needs a 500,000-entry value stack).

enum class Via { kDirect, kIndirect, kHost };

void Leb(std::vector<uint8_t>& o, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    o.push_back(v ? (b | 0x80) : b);
  } while (v);
}

void Section(std::vector<uint8_t>& o, uint8_t id, const std::vector<uint8_t>& body) {
  o.push_back(id);
  Leb(o, body.size());
  o.insert(o.end(), body.begin(), body.end());
}

void Name(std::vector<uint8_t>& o, const std::string& s) {
  Leb(o, s.size());
  o.insert(o.end(), s.begin(), s.end());
}

// (func $rec (export "rec") (local i64 * locals)
//   global.set $depth (global.get $depth + 1)
//   i64.const 0 * pushes, drop * pushes        ;; a value stack of `pushes` entries
//   call $rec | call_indirect (i32.const 0) | call $host)
// Frame: 8 * (1 + locals + max(2, pushes)) bytes, rounded up to 16.
std::vector<uint8_t> RecursiveModule(uint32_t locals, uint32_t pushes, Via via) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Section(m, 1, {0x01, 0x60, 0x00, 0x00});  // type 0: [] -> []
  bool host = via == Via::kHost;
  if (host) {
    std::vector<uint8_t> imp = {0x01};
    Name(imp, "host");
    Name(imp, "reenter");
    imp.insert(imp.end(), {0x00, 0x00});
    Section(m, 2, imp);
  }
  Section(m, 3, {0x01, 0x00});
  Section(m, 4, {0x01, 0x70, 0x00, 0x01});              // table: funcref, min 1
  Section(m, 6, {0x01, 0x7F, 0x01, 0x41, 0x00, 0x0B});  // (global $depth (mut i32) 0)
  uint8_t rec = host ? 1 : 0;
  std::vector<uint8_t> exp = {0x02};
  Name(exp, "rec");
  exp.insert(exp.end(), {0x00, rec});
  Name(exp, "depth");
  exp.insert(exp.end(), {0x03, 0x00});
  Section(m, 7, exp);
  Section(m, 9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, rec});  // elem: table[0] = $rec
  std::vector<uint8_t> body;
  if (locals > 0) {
    body.push_back(0x01);
    Leb(body, locals);
    body.push_back(0x7E);
  } else {
    body.push_back(0x00);
  }
  body.insert(body.end(), {0x23, 0x00, 0x41, 0x01, 0x6A, 0x24, 0x00});
  for (uint32_t i = 0; i < pushes; ++i) body.insert(body.end(), {0x42, 0x00});
  body.insert(body.end(), pushes, 0x1A);
  switch (via) {
    case Via::kDirect:
      body.insert(body.end(), {0x10, rec});
      break;
    case Via::kIndirect:
      body.insert(body.end(), {0x41, 0x00, 0x11, 0x00, 0x00});
      break;
    case Via::kHost:
      body.insert(body.end(), {0x10, 0x00});
      break;
  }
  body.push_back(0x0B);
  std::vector<uint8_t> code = {0x01};
  Leb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());
  Section(m, 10, code);
  return m;
}

struct Frame {
  uint32_t locals;
  uint32_t pushes;
  constexpr uint64_t bytes() const {
    uint64_t slots = 1 + uint64_t{locals} + std::max<uint32_t>(pushes, 2);
    return (8 * slots + 15) / 16 * 16;
  }
};

// 32 bytes to 4 MiB: small frames, around the 4 KiB page, 64 KiB, the 50,000 i64 locals of the
// issue (400 KB), 1 MiB and 4 MiB (value stacks: locals stop at 50,000).
constexpr Frame kFrames[] = {
    {0, 0},   {2, 0},    {12, 0},    {507, 0},    {509, 0},
    {511, 0}, {8189, 0}, {50000, 0}, {0, 131071}, {1000, 523287},
};
static_assert(kFrames[0].bytes() == 32 && kFrames[1].bytes() == 48 && kFrames[2].bytes() == 128 &&
              kFrames[3].bytes() == 4080 && kFrames[4].bytes() == 4096 &&
              kFrames[5].bytes() == 4112 && kFrames[6].bytes() == 65536 &&
              kFrames[8].bytes() == (1 << 20) && kFrames[9].bytes() == (4 << 20));

// Compiled once per frame and way of recursing (the large ones take a while under ASan).
std::shared_ptr<LoadedModule> Compiled(size_t frame, Via via) {
  static std::mutex mu;
  static std::map<std::pair<size_t, Via>, std::shared_ptr<LoadedModule>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[{frame, via}];
  if (!slot) {
    const Frame& f = kFrames[frame];
    auto loaded = LoadModule(RecursiveModule(f.locals, f.pushes, via), wasm::Features::Wasm20());
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    if (loaded.ok()) slot = *loaded;
  }
  return slot;
}

struct Result1 {
  std::optional<TrapCode> trap;
  uint32_t depth = 0;  // wasm frames that passed the check (the last call trapped)
};

// A store with the module; `rec` runs until the stack is exhausted.
class Recursion {
 public:
  Recursion(size_t frame, Via via, uint64_t max_wasm_stack) {
    StoreOptions o;
    o.limits.max_wasm_stack = max_wasm_stack;
    store_ = std::make_unique<Store>(o);
    std::shared_ptr<LoadedModule> loaded = Compiled(frame, via);
    if (!loaded) return;
    if (via == Via::kHost) {
      wasm::FuncType sig;
      Func* host = store_->NewHostFunc(
          sig,
          [](void* env, VMContext*, ValueSlot*) noexcept -> uint32_t {
            auto* self = static_cast<Recursion*>(env);
            auto r = Invoke(*self->store_, *self->rec_, {});
            if (!r.ok()) return static_cast<uint32_t>(TrapCode::kHostError) + 1;
            if (r->trap) return static_cast<uint32_t>(r->trap->code) + 1;  // pass it on
            return 0;
          },
          this);
      linker_.Define("host", "reenter", Extern(host));
    }
    auto inst = linker_.Instantiate(*store_, loaded);
    EXPECT_TRUE(inst.ok()) << inst.error().ToString();
    if (!inst.ok()) return;
    inst_ = *inst;
    rec_ = inst_->GetFunc("rec");
  }

  Result1 Run() {
    Result1 out;
    if (rec_ == nullptr) return out;
    EXPECT_TRUE(inst_->GetGlobal("depth")->Set(Value::I32(0)).ok());
    auto r = Invoke(*store_, *rec_, {});
    EXPECT_TRUE(r.ok());
    if (r.ok() && r->trap) out.trap = r->trap->code;
    out.depth = inst_->GetGlobal("depth")->Get().i32();
    return out;
  }

 private:
  std::unique_ptr<Store> store_;
  Linker linker_;
  Instance* inst_ = nullptr;
  Func* rec_ = nullptr;
};

const char* ViaName(Via v) {
  return v == Via::kDirect ? "call" : v == Via::kIndirect ? "call_indirect" : "host";
}

// Every frame size, every way of recursing, with the thread's own limit (budget 0) or with a
// budget: "call stack exhausted" each time (twice: the store works after the trap). With
// `check_depth`, the depth reached must follow the budget (so the frames really are that large).
void ExhaustAll(uint64_t budget, bool check_depth) {
  for (Via via : {Via::kDirect, Via::kIndirect, Via::kHost}) {
    for (size_t i = 0; i < std::size(kFrames); ++i) {
      const Frame& f = kFrames[i];
      SCOPED_TRACE(std::to_string(f.bytes()) + "-byte frames through " + ViaName(via) +
                   ", max_wasm_stack " + std::to_string(budget));
      Recursion rec(i, via, budget);
      for (int round = 0; round < 2; ++round) {
        Result1 r = rec.Run();
        ASSERT_TRUE(r.trap.has_value());
        EXPECT_EQ(*r.trap, TrapCode::kStackExhausted) << TrapMessage(*r.trap);
        if (check_depth && via == Via::kDirect) {
          EXPECT_LE(r.depth * f.bytes(), budget);
          if (budget / f.bytes() >= 4) {
            EXPECT_GE(r.depth * f.bytes(), budget / 2);
          }
        }
      }
    }
  }
}

TEST(StackLimit, EveryFrameSizeTrapsOnTheMainThread) {
  ExhaustAll(0, false);
}

TEST(StackLimit, EveryFrameSizeTrapsWithABudget) {
  ExhaustAll(2 << 20, true);
  ExhaustAll(uint64_t{1} << 40, false);  // beyond the thread's stack: the thread's stack
}

// Runs `fn` on a new thread with a stack of `size` bytes (its own mapping when `stack` is
// given: pthread_attr_setstack).
void OnThread(size_t size, const std::function<void()>& fn, void* stack = nullptr) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  if (stack != nullptr)
    ASSERT_EQ(pthread_attr_setstack(&attr, stack, size), 0);
  else
    ASSERT_EQ(pthread_attr_setstacksize(&attr, size), 0);
  pthread_t t;
  auto* arg = const_cast<std::function<void()>*>(&fn);
  ASSERT_EQ(pthread_create(
                &t, &attr,
                [](void* p) -> void* {
                  (*static_cast<std::function<void()>*>(p))();
                  return nullptr;
                },
                arg),
            0);
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(StackLimit, SmallThreadKeepsHalfItsStackAsTheMargin) {
  uintptr_t low = 0, limit = 0, here = 0;
  OnThread(256 * 1024, [&] {
    low = ThreadStackLow();
    limit = ThreadStackLimit();
    here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  });
  EXPECT_EQ(limit - low, 128u * 1024);
  EXPECT_LT(limit, here);
  EXPECT_GT(low + 256 * 1024, here);
  // The main thread: the full margin.
  EXPECT_EQ(ThreadStackLimit() - ThreadStackLow(), kStackMargin);
}

TEST(StackLimit, EveryFrameSizeTrapsOnASmallThread) {
  OnThread(256 * 1024, [] { ExhaustAll(0, false); });
  OnThread(256 * 1024, [] { ExhaustAll(64 * 1024, true); });
}

// Host code called at the deepest point — host functions through their stub, WASI functions,
// builtins (memory.grow), the trap path — uses at most half of the margin below the limit:
// measured on a thread whose stack is painted before it runs.
TEST(StackLimit, HostCallsAtTheLimitFitInTheMargin) {
  constexpr std::string_view kWat = R"((module
    (import "wasi_snapshot_preview1" "fd_write"
      (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get"
      (func $clock (param i32 i64 i32) (result i32)))
    (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open"
      (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_filestat_get"
      (func $fd_filestat_get (param i32 i32) (result i32)))
    (memory 1)
    (data (i32.const 0) "\10\00\00\00\00\00\00\00")  ;; an empty iovec
    (func $rec (export "rec")
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 64)))
      (drop (call $clock (i32.const 0) (i64.const 0) (i32.const 64)))
      (drop (call $random (i32.const 128) (i32.const 256)))
      (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 8)
                             (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0)
                             (i32.const 64)))
      (drop (call $fd_filestat_get (i32.const 1) (i32.const 512)))
      (drop (memory.grow (i32.const 0)))
      (call $rec))
  ))";
  constexpr size_t kSize = 2 << 20;
  constexpr uint8_t kPaint = 0xA5;
  void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mem, MAP_FAILED);
  std::memset(mem, kPaint, kSize);
  uintptr_t limit = 0;
  std::optional<TrapCode> wasi_trap, host_trap;
  OnThread(
      kSize,
      [&] {
        limit = ThreadStackLimit();
        {
          auto bytes = text::WatToBinary(kWat, "wasi.wat");
          ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
          auto loaded = LoadModule(std::move(*bytes), wasm::Features::Wasm20());
          ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
          auto ctx = wasi::WasiCtx::Create({});
          ASSERT_TRUE(ctx.ok()) << ctx.error().ToString();
          Store store;
          Linker linker;
          ASSERT_TRUE(wasi::DefineWasi(linker, store, **ctx).ok());
          auto inst = linker.Instantiate(store, *loaded);
          ASSERT_TRUE(inst.ok()) << inst.error().ToString();
          auto r = Invoke(store, *(*inst)->GetFunc("rec"), {});
          ASSERT_TRUE(r.ok());
          if (r->trap) wasi_trap = r->trap->code;
        }
        // wasm -> host -> wasm with 16-byte frames: a host function and a whole nested
        // activation (Invoke, its CallScope, the entry trampoline) run below the limit.
        Result1 r = Recursion(0, Via::kHost, 0).Run();
        host_trap = r.trap;
      },
      mem);
  EXPECT_EQ(wasi_trap, std::optional<TrapCode>(TrapCode::kStackExhausted));
  EXPECT_EQ(host_trap, std::optional<TrapCode>(TrapCode::kStackExhausted));
  auto base = reinterpret_cast<uintptr_t>(mem);
  uintptr_t lowest = base;
  while (lowest < base + kSize && *reinterpret_cast<const uint8_t*>(lowest) == kPaint) ++lowest;
  munmap(mem, kSize);
  ASSERT_GT(limit, base);
  ASSERT_LT(lowest, limit);  // the recursion did reach the limit
  uintptr_t below = limit - lowest;
  std::printf("[ stack    ] host code used %zu bytes below the limit (margin %zu)\n",
              static_cast<size_t>(below), static_cast<size_t>(kStackMargin));
  EXPECT_LT(below, kStackMargin / 2);
}

}  // namespace
}  // namespace wt::runtime
