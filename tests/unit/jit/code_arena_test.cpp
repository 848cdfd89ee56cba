// [lazy] CodeArena (jit/code_arena.h): both code-memory modes (memfd dual map and the page-flip
// fallback), real x86_64 / aarch64 code run from the arena, the records and their lock-free lookups
// (also from another thread and from a SIGPROF handler while functions are committed), W^X, memory.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "jit/code_arena.h"

namespace wt::jit {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

size_t Page() {
  return static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

struct MapLine {
  uintptr_t begin = 0, end = 0;
  std::string perms;  // "r-xs"
};

std::vector<MapLine> ReadMaps() {
  std::vector<MapLine> out;
  std::ifstream in("/proc/self/maps");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string range, perms;
    s >> range >> perms;
    size_t dash = range.find('-');
    MapLine m;
    m.begin = std::stoull(range.substr(0, dash), nullptr, 16);
    m.end = std::stoull(range.substr(dash + 1), nullptr, 16);
    m.perms = perms;
    out.push_back(m);
  }
  return out;
}

// The permissions of the mapping containing `p` ("" when unmapped).
std::string PermsAt(const void* p) {
  auto a = reinterpret_cast<uintptr_t>(p);
  for (const MapLine& m : ReadMaps())
    if (a >= m.begin && a < m.end) return m.perms;
  return "";
}

[[maybe_unused]] void Put(uint8_t* p, std::initializer_list<uint8_t> bytes) {
  std::memcpy(p, bytes.begin(), bytes.size());
}
[[maybe_unused]] void PutRel32(uint8_t* rw_field, const uint8_t* rx_next_insn,
                               const uint8_t* rx_target) {
  auto rel = static_cast<int32_t>(rx_target - rx_next_insn);
  std::memcpy(rw_field, &rel, 4);
}

// [a64] Code that returns `value` (an int), in this host's instructions.
#if defined(__aarch64__)
void PutWord(uint8_t* p, uint32_t w) {
  std::memcpy(p, &w, 4);
}
constexpr uint32_t kRetConstSize = 8;
void PutReturnConst(uint8_t* p, uint16_t value) {
  PutWord(p, 0x52800000u | (uint32_t{value} << 5));  // mov w0, #value
  PutWord(p + 4, 0xd65f03c0u);                       // ret
}
uint32_t A64Branch(uint32_t op, const uint8_t* from, const uint8_t* to) {  // b / bl
  return op | (static_cast<uint32_t>((to - from) >> 2) & 0x3FFFFFFu);
}
#else
constexpr uint32_t kRetConstSize = 6;
void PutReturnConst(uint8_t* p, uint8_t value) {
  Put(p, {0xB8, value, 0, 0, 0, 0xC3});  // mov eax, value; ret
}
#endif

std::unique_ptr<CodeArena> MakeArena(size_t reserve, size_t data, uint32_t max_records, bool dual) {
  auto r = CodeArena::Create(reserve, data, max_records, dual);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(*r) : nullptr;
}

bool EnvForcesFallback() {
  const char* e = std::getenv("WTRUN_NO_DUAL_MAP");
  return e && std::strcmp(e, "1") == 0;
}

class CodeArenaTest : public ::testing::TestWithParam<bool> {
 protected:
  bool dual() const { return GetParam(); }
  void ExpectMode(const CodeArena& a) {
    if (dual() && !EnvForcesFallback())
      EXPECT_TRUE(a.dual_mapped()) << "memfd dual map unavailable on this Linux?";
    else
      EXPECT_FALSE(a.dual_mapped());
  }
};

TEST(CodeArenaCreate, RejectsBadSizes) {
  auto big = CodeArena::Create((size_t{2} << 30) + 1, 0, 1);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("2 GiB"), std::string::npos) << big.error().message;
  auto no_code = CodeArena::Create(2 * Page(), 2 * Page(), 1);
  ASSERT_FALSE(no_code.ok());
  EXPECT_EQ(no_code.error().kind, ErrorKind::kUnsupported);
  // Exactly 2 GiB is allowed.
  auto max = CodeArena::Create(size_t{2} << 30, Page(), 16);
  ASSERT_TRUE(max.ok()) << max.error().ToString();
  EXPECT_EQ((*max)->size(), size_t{2} << 30);
}

TEST_P(CodeArenaTest, LayoutAndData) {
  auto a = MakeArena(10 * Page() + 1, Page() + 1, 4, dual());
  ASSERT_NE(a, nullptr);
  ExpectMode(*a);
  EXPECT_EQ(a->size(), 11 * Page());
  EXPECT_EQ(a->data(), a->base());
  EXPECT_EQ(a->data_size(), 2 * Page());
  EXPECT_EQ(PermsAt(a->data()).substr(0, 3), "rw-");
  a->data()[0] = 1;
  a->data()[a->data_size() - 1] = 2;
  EXPECT_EQ(a->data()[0] + a->data()[a->data_size() - 1], 3);
  EXPECT_EQ(a->code_bytes(), 0u);
  EXPECT_EQ(a->record_count(), 0u);
  auto f = a->Allocate(6, 0);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->rx, a->base() + a->data_size());  // code starts right after the data
}

TEST_P(CodeArenaTest, RunsCodeWrittenThroughRw) {
  auto a = MakeArena(64 * Page(), Page(), 16, dual());
  ASSERT_NE(a, nullptr);
  auto f1 = a->Allocate(kRetConstSize, 0);
  ASSERT_TRUE(f1.ok()) << f1.error().ToString();
  PutReturnConst(f1->rw, 42);
  ASSERT_TRUE(a->Commit(*f1, {}, {}, {}).ok());
#if defined(__aarch64__)
  // stp x29, x30, [sp, #-16]!; mov x29, sp; bl f1; add w0, w0, #1; ldp x29, x30, [sp], #16; ret
  constexpr uint32_t kCallReturn = 12;
  auto f2 = a->Allocate(24, 1);
  ASSERT_TRUE(f2.ok());
  PutWord(f2->rw, 0xa9bf7bfdu);
  PutWord(f2->rw + 4, 0x910003fdu);
  PutWord(f2->rw + 8, A64Branch(0x94000000u, f2->rx + 8, f1->rx));
  PutWord(f2->rw + 12, 0x11000400u);
  PutWord(f2->rw + 16, 0xa8c17bfdu);
  PutWord(f2->rw + 20, 0xd65f03c0u);
#else
  constexpr uint32_t kCallReturn = 5;
  auto f2 = a->Allocate(9, 1);
  ASSERT_TRUE(f2.ok());
  Put(f2->rw, {0xE8, 0, 0, 0, 0, 0x83, 0xC0, 0x01, 0xC3});  // call f1; add eax, 1; ret
  PutRel32(f2->rw + 1, f2->rx + 5, f1->rx);
#endif
  std::vector<CallSite> calls = {{kCallReturn, 77, UINT32_MAX}};
  ASSERT_TRUE(a->Commit(*f2, {}, calls, {}).ok());
#if defined(__aarch64__)
  auto stub = a->Allocate(4);  // a stub without a record: b f2
  ASSERT_TRUE(stub.ok());
  EXPECT_EQ(stub->record, UINT32_MAX);
  PutWord(stub->rw, A64Branch(0x14000000u, stub->rx, f2->rx));
#else
  auto stub = a->Allocate(5);  // a stub without a record: jmp f2
  ASSERT_TRUE(stub.ok());
  EXPECT_EQ(stub->record, UINT32_MAX);
  Put(stub->rw, {0xE9, 0, 0, 0, 0});
  PutRel32(stub->rw + 1, stub->rx + 5, f2->rx);
#endif
  ASSERT_TRUE(a->Commit(*stub, {}, {}, {}).ok());

  EXPECT_EQ(reinterpret_cast<int (*)()>(f1->rx)(), 42);
  EXPECT_EQ(reinterpret_cast<int (*)()>(f2->rx)(), 43);
  EXPECT_EQ(reinterpret_cast<int (*)()>(stub->rx)(), 43);
  EXPECT_EQ(a->record_count(), 2u);
  EXPECT_EQ(PermsAt(f1->rx).substr(0, 3), "r-x");
  const CallSite* c = a->FindCallSite(reinterpret_cast<uintptr_t>(f2->rx + kCallReturn));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->wasm_offset, 77u);
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(stub->rx)), nullptr);  // no record
}

TEST_P(CodeArenaTest, AllocationOrderIsAddressOrder) {
  auto a = MakeArena(256 * Page(), Page(), 64, dual());
  ASSERT_NE(a, nullptr);
  const uint8_t* prev_end = nullptr;
  uint32_t next_record = 0;
  for (uint32_t i = 0; i < 40; ++i) {
    uint32_t size = 1 + (i * 37) % 100;
    bool func = i % 3 != 2;
    auto r = a->Allocate(size, func ? i : UINT32_MAX);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->size, size);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(r->rx) % (dual() ? 16 : Page()), 0u);
    if (!dual()) {
      EXPECT_EQ(r->rw, r->rx);
    }
    if (prev_end) {
      EXPECT_GE(r->rx, prev_end);
    }
    prev_end = r->rx + size;
    EXPECT_EQ(r->record, func ? next_record++ : UINT32_MAX);
    // Not found before Commit, found after.
    auto pc = reinterpret_cast<uintptr_t>(r->rx + size - 1);
    EXPECT_EQ(a->FindFunc(pc), nullptr);
    ASSERT_TRUE(a->Commit(*r, {}, {}, {}).ok());
    const FuncRange* f = a->FindFunc(pc);
    if (func) {
      ASSERT_NE(f, nullptr);
      EXPECT_EQ(f->func_index, i);
      EXPECT_EQ(a->base() + f->begin, r->rx);
      EXPECT_EQ(f->end - f->begin, size);
    } else {
      EXPECT_EQ(f, nullptr);
    }
  }
  EXPECT_EQ(a->record_count(), next_record);
  EXPECT_GE(a->code_bytes(), static_cast<size_t>(prev_end - (a->base() + a->data_size())));
}

TEST_P(CodeArenaTest, LookupsAreRebased) {
  auto a = MakeArena(64 * Page(), Page(), 8, dual());
  ASSERT_NE(a, nullptr);
  auto pad = a->Allocate(100, 0);  // so that the function under test is not at offset 0
  ASSERT_TRUE(pad.ok());
  ASSERT_TRUE(a->Commit(*pad, {}, {}, {}).ok());
  auto f = a->Allocate(64, 5);
  ASSERT_TRUE(f.ok());
  auto g = a->Allocate(32, 6);  // right after f (dual map: 64 is 16-aligned, no gap)
  ASSERT_TRUE(g.ok());
  const uint32_t begin = static_cast<uint32_t>(f->rx - a->base());
  // Unsorted tables: Commit sorts them. The last call returns to the function's end.
  std::vector<TrapSite> traps = {{10, runtime::TrapCode::kUnreachable, 1000},
                                 {3, runtime::TrapCode::kUnreachable, 1001}};
  std::vector<CallSite> calls = {{64, 2002, 3}, {20, 2000, 0}, {40, 2001, UINT32_MAX}};
  std::vector<int32_t> maps = {2, -8, -16, 1, -24};
  ASSERT_TRUE(a->Commit(*f, traps, calls, maps).ok());
  // The caller's arrays are copied: changing them changes nothing.
  traps[0].wasm_offset = 0;
  calls[1].wasm_offset = 0;
  maps[1] = 0;
  auto pc = [&](uint32_t off) { return reinterpret_cast<uintptr_t>(f->rx) + off; };

  const FuncRange* r = a->FindFunc(pc(0));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->begin, begin);
  EXPECT_EQ(r->end, begin + 64);
  EXPECT_EQ(r->func_index, 5u);
  EXPECT_EQ(a->FindFunc(pc(63)), r);
  EXPECT_EQ(a->FindFunc(pc(64)), nullptr);  // g is not committed yet

  const TrapSite* t = a->FindTrap(pc(3));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->code_offset, begin + 3);
  EXPECT_EQ(t->wasm_offset, 1001u);
  t = a->FindTrap(pc(10));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->code_offset, begin + 10);
  EXPECT_EQ(t->wasm_offset, 1000u);
  EXPECT_EQ(a->FindTrap(pc(4)), nullptr);
  EXPECT_EQ(a->FindTrap(pc(0)), nullptr);

  const CallSite* c0 = a->FindCallSite(pc(20));
  ASSERT_NE(c0, nullptr);
  EXPECT_EQ(c0->return_offset, begin + 20);
  EXPECT_EQ(c0->wasm_offset, 2000u);
  std::span<const int32_t> m0 = a->StackMapAt(*c0);
  ASSERT_EQ(m0.size(), 3u);
  EXPECT_EQ(m0[0], 2);
  EXPECT_EQ(m0[1], -8);
  EXPECT_EQ(m0[2], -16);
  const CallSite* c1 = a->FindCallSite(pc(40));
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->wasm_offset, 2001u);
  EXPECT_TRUE(a->StackMapAt(*c1).empty());
  const CallSite* c2 = a->FindCallSite(pc(64));  // == f's end == g's begin (dual map)
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->wasm_offset, 2002u);
  std::span<const int32_t> m2 = a->StackMapAt(*c2);
  ASSERT_EQ(m2.size(), 2u);
  EXPECT_EQ(m2[1], -24);
  // A copy of a site works as well; a site with a bad map index has none.
  CallSite copy = *c2;
  EXPECT_EQ(a->StackMapAt(copy).size(), 2u);
  copy.stack_map = 0;
  EXPECT_EQ(a->StackMapAt(copy).size(), 3u);
  copy.stack_map = 4;  // n = -24: out of range
  EXPECT_TRUE(a->StackMapAt(copy).empty());
  copy.stack_map = 5;
  EXPECT_TRUE(a->StackMapAt(copy).empty());
  EXPECT_EQ(a->FindCallSite(pc(21)), nullptr);
  EXPECT_EQ(a->FindCallSite(pc(0)), nullptr);

  // Misses: the data part, before the arena, past it, recordless code, an uncommitted record.
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(a->data())), nullptr);
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(a->base()) - 1), nullptr);
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(a->base()) + a->size()), nullptr);
  EXPECT_EQ(a->FindTrap(reinterpret_cast<uintptr_t>(g->rx)), nullptr);
  EXPECT_EQ(a->FindCallSite(reinterpret_cast<uintptr_t>(a->base())), nullptr);
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(g->rx)), nullptr);
  ASSERT_TRUE(a->Commit(*g, {}, {}, {}).ok());
  ASSERT_NE(a->FindFunc(reinterpret_cast<uintptr_t>(g->rx)), nullptr);
  EXPECT_EQ(a->FindFunc(reinterpret_cast<uintptr_t>(g->rx))->func_index, 6u);
  EXPECT_EQ(a->FindTrap(reinterpret_cast<uintptr_t>(g->rx)), nullptr);  // no tables
  EXPECT_EQ(a->FindFunc(pc(63))->func_index, 5u);
  // The collector's view: an arena announces no spans.
  EXPECT_TRUE(a->funcs().empty());
  EXPECT_TRUE(a->traps().empty());
  EXPECT_TRUE(a->call_sites().empty());
}

TEST_P(CodeArenaTest, CommitRejectsBadInput) {
  auto a = MakeArena(64 * Page(), Page(), 8, dual());
  ASSERT_NE(a, nullptr);
  auto f = a->Allocate(16, 0);
  ASSERT_TRUE(f.ok());
  std::vector<TrapSite> out = {{16, runtime::TrapCode::kUnreachable, 0}};
  EXPECT_FALSE(a->Commit(*f, out, {}, {}).ok());
  std::vector<CallSite> zero = {{0, 0, UINT32_MAX}};
  EXPECT_FALSE(a->Commit(*f, {}, zero, {}).ok());
  ASSERT_TRUE(a->Commit(*f, {}, {}, {}).ok());
  EXPECT_FALSE(a->Commit(*f, {}, {}, {}).ok());  // twice
  auto stub = a->Allocate(16);
  ASSERT_TRUE(stub.ok());
  std::vector<TrapSite> in = {{0, runtime::TrapCode::kUnreachable, 0}};
  EXPECT_FALSE(a->Commit(*stub, in, {}, {}).ok());  // tables without a record
  CodeArena::Allocation bogus = *f;
  bogus.rx = a->data();
  EXPECT_FALSE(a->Commit(bogus, {}, {}, {}).ok());
  bogus = *f;
  bogus.record = 7;
  EXPECT_FALSE(a->Commit(bogus, {}, {}, {}).ok());
}

TEST_P(CodeArenaTest, ExhaustionIsAnError) {
  auto a = MakeArena(Page() + 4 * Page(), Page(), 1000, dual());
  ASSERT_NE(a, nullptr);
  std::vector<CodeArena::Allocation> ok;
  Error err;
  for (uint32_t i = 0;; ++i) {
    auto r = a->Allocate(1000, i);
    if (!r.ok()) {
      err = r.error();
      break;
    }
    ASSERT_TRUE(a->Commit(*r, {}, {}, {}).ok());
    ok.push_back(*r);
    ASSERT_LT(i, 100u) << "never full";
  }
  EXPECT_EQ(err.kind, ErrorKind::kUnsupported);
  EXPECT_NE(err.message.find("code arena full"), std::string::npos) << err.message;
  EXPECT_EQ(ok.size(), dual() ? 16u : 4u);  // 1024-byte steps vs whole pages
  EXPECT_FALSE(a->Allocate(1000).ok());
  EXPECT_FALSE(a->Allocate(UINT32_MAX, 0).ok());
  for (uint32_t i = 0; i < ok.size(); ++i) {
    const FuncRange* f = a->FindFunc(reinterpret_cast<uintptr_t>(ok[i].rx) + 999);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->func_index, i);
  }
  // The record limit is an error as well.
  auto b = MakeArena(64 * Page(), 0, 2, dual());
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->Allocate(16, 0).ok());
  EXPECT_TRUE(b->Allocate(16, 1).ok());
  auto third = b->Allocate(16, 2);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().message.find("code arena full"), std::string::npos);
  EXPECT_TRUE(b->Allocate(16).ok());  // recordless code still fits
}

// SIGPROF handler state (one concurrent test at a time).
std::atomic<const CodeArena*> g_arena{nullptr};
std::atomic<const uintptr_t*> g_pcs{nullptr};
std::atomic<uint32_t> g_published{0};
std::atomic<uint32_t> g_signal_checks{0};
std::atomic<uint32_t> g_signals{0};
std::atomic<uint32_t> g_signal_errors{0};

void ProfHandler(int) {
  int saved = errno;
  g_signals.fetch_add(1, std::memory_order_release);
  const CodeArena* a = g_arena.load(std::memory_order_acquire);
  uint32_t n = g_published.load(std::memory_order_acquire);
  if (a && n > 0) {
    const uintptr_t* pcs = g_pcs.load(std::memory_order_relaxed);
    uint32_t checks = g_signal_checks.fetch_add(1, std::memory_order_relaxed);
    uint32_t i = (checks * 2654435761u) % n;
    const FuncRange* f = a->FindFunc(pcs[i] + 1);
    const TrapSite* t = a->FindTrap(pcs[i] + 4);
    if (!f || f->func_index != i || !t || t->wasm_offset != i)
      g_signal_errors.fetch_add(1, std::memory_order_relaxed);
  }
  errno = saved;
}

TEST_P(CodeArenaTest, ConcurrentCommitAndLookups) {
  constexpr uint32_t kFuncs = 10000;
  const uint32_t fsize = 48;
  auto arena = MakeArena(kFuncs * (dual() ? 64 : Page()) + 64 * Page(), Page(), kFuncs, dual());
  ASSERT_NE(arena, nullptr);
  const CodeArena* a = arena.get();
  std::vector<uintptr_t> pcs(kFuncs);
  std::atomic<uint32_t> published{0};
  std::atomic<bool> done{false};
  std::atomic<uint64_t> reader_checks{0}, reader_errors{0};

  g_pcs.store(pcs.data());
  g_published.store(0);
  g_signal_checks.store(0);
  g_signal_errors.store(0);
  g_arena.store(a, std::memory_order_release);
  struct sigaction sa = {}, old = {};
  sa.sa_handler = ProfHandler;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(SIGPROF, &sa, &old), 0);
  itimerval tv = {};
  tv.it_interval.tv_usec = 200;
  tv.it_value.tv_usec = 200;
  ASSERT_EQ(setitimer(ITIMER_PROF, &tv, nullptr), 0);

  std::thread reader([&] {
    std::mt19937 rng(1);
    const auto code_begin = reinterpret_cast<uintptr_t>(a->base()) + Page();
    while (!done.load(std::memory_order_acquire)) {
      uint32_t n = published.load(std::memory_order_acquire);
      if (n == 0) continue;
      uint32_t i = rng() % n;
      const FuncRange* f = a->FindFunc(pcs[i] + 1);
      const TrapSite* t = a->FindTrap(pcs[i] + 4);
      const CallSite* c = a->FindCallSite(pcs[i] + 8);
      bool good = f && f->func_index == i && t && t->wasm_offset == i && c && c->wasm_offset == i &&
                  a->StackMapAt(*c).size() == 2 && a->StackMapAt(*c)[1] == -static_cast<int32_t>(i);
      // Any pc in the code part: a found record contains it.
      uintptr_t any = code_begin + rng() % (a->size() - Page());
      if (const FuncRange* g = a->FindFunc(any)) {
        uintptr_t off = any - reinterpret_cast<uintptr_t>(a->base());
        good = good && g->begin <= off && off < g->end;
      }
      reader_errors += good ? 0 : 1;
      ++reader_checks;
    }
  });
  // SIGPROF at the writer itself as well, every 20 us wherever it is (inside Allocate and
  // Commit too): a high-resolution timer aimed at its thread. (ITIMER_PROF's signals land on
  // any thread, a few hundred times a second at most.)
  std::atomic<uint32_t> writer_signals{0};
  std::thread writer([&] {
    sigevent ev = {};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGPROF;
    ev._sigev_un._tid = gettid();  // sigev_notify_thread_id (not in glibc 2.36's headers)
    timer_t timer{};
    bool timed = timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0;
    EXPECT_TRUE(timed) << std::strerror(errno);
    itimerspec its = {};
    its.it_interval.tv_nsec = 20000;
    its.it_value.tv_nsec = 20000;
    if (timed) {
      EXPECT_EQ(timer_settime(timer, 0, &its, nullptr), 0);
    }
    uint32_t signals_before = g_signals.load();
    for (uint32_t i = 0; i < kFuncs; ++i) {
      auto r = arena->Allocate(fsize, i);
      if (!r.ok()) {
        ADD_FAILURE() << r.error().ToString();
        break;
      }
      std::memset(r->rw, 0xCC, fsize);
      TrapSite t{4, runtime::TrapCode::kUnreachable, i};
      CallSite c{8, i, 0};
      int32_t map[2] = {1, -static_cast<int32_t>(i)};
      if (!arena->Commit(*r, std::span(&t, 1), std::span(&c, 1), map).ok()) {
        ADD_FAILURE() << "commit " << i;
        break;
      }
      pcs[i] = reinterpret_cast<uintptr_t>(r->rx);
      published.store(i + 1, std::memory_order_release);
      g_published.store(i + 1, std::memory_order_release);
    }
    if (timed) timer_delete(timer);
    writer_signals = g_signals.load() - signals_before;
  });
  writer.join();
  // Let the reader and the timer look at the complete arena for a moment too.
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (std::chrono::steady_clock::now() < until) {
  }
  done.store(true, std::memory_order_release);
  reader.join();
  tv = {};
  ASSERT_EQ(setitimer(ITIMER_PROF, &tv, nullptr), 0);
  usleep(10000);  // a signal already generated is delivered to the handler, not the default
  g_arena.store(nullptr);
  sigaction(SIGPROF, &old, nullptr);

  EXPECT_EQ(published.load(), kFuncs);
  EXPECT_EQ(a->record_count(), kFuncs);
  EXPECT_GT(reader_checks.load(), 0u);
  EXPECT_GT(g_signal_checks.load(), 0u);
  EXPECT_EQ(reader_errors.load(), 0u);
  EXPECT_EQ(g_signal_errors.load(), 0u);
  std::printf("[ info ] %s: %llu reader lookups, %u in SIGPROF handlers (%u while writing)\n",
              dual() ? "dual map" : "fallback",
              static_cast<unsigned long long>(reader_checks.load()), g_signal_checks.load(),
              writer_signals.load());
  for (uint32_t i = 0; i < kFuncs; i += 97) {
    const FuncRange* f = a->FindFunc(pcs[i] + fsize - 1);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->func_index, i);
  }
}

TEST_P(CodeArenaTest, WriteXorExecute) {
  auto a = MakeArena(256 * Page(), Page(), 64, dual());
  ASSERT_NE(a, nullptr);
  std::vector<CodeArena::Allocation> allocs;
  for (uint32_t i = 0; i < 20; ++i) {
    auto r = a->Allocate(100 + i * 50, i % 2 ? i : UINT32_MAX);
    ASSERT_TRUE(r.ok());
    std::memset(r->rw, 0xC3, r->size);
    if (i % 3 != 2) {
      ASSERT_TRUE(a->Commit(*r, {}, {}, {}).ok());
    }  // some stay uncommitted
    allocs.push_back(*r);
  }
  // No mapping of the arena's reservation (nor its alias) is writable and executable.
  auto lo = reinterpret_cast<uintptr_t>(a->base());
  auto hi = lo + a->size();
  for (const MapLine& m : ReadMaps()) {
    bool w = m.perms[1] == 'w', x = m.perms[2] == 'x';
    if (m.end > lo && m.begin < hi) {
      EXPECT_FALSE(w && x) << std::hex << m.begin << " " << m.perms;
    }
  }
  if (a->dual_mapped()) {
    for (const auto& r : allocs) {
      EXPECT_EQ(PermsAt(r.rx), "r-xs");
      EXPECT_EQ(PermsAt(r.rw), "rw-s");
      EXPECT_EQ(std::memcmp(r.rx, r.rw, r.size), 0);  // one memory, two views
    }
    for (const MapLine& m : ReadMaps()) {
      bool w = m.perms[1] == 'w', x = m.perms[2] == 'x';
      auto rw = reinterpret_cast<uintptr_t>(allocs[0].rw);
      if (rw >= m.begin && rw < m.end) {
        EXPECT_FALSE(w && x);
      }
    }
  } else {
    for (size_t i = 0; i < allocs.size(); ++i)
      EXPECT_EQ(PermsAt(allocs[i].rx).substr(0, 3), i % 3 != 2 ? "r-x" : "rw-") << i;
  }
}

size_t OpenDescriptors() {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) n += e.exists();
  return n;
}

// The memfd is closed once both views are mapped: thousands of live modules need no descriptors.
TEST(CodeArenaDualMap, HoldsNoDescriptor) {
  size_t before = OpenDescriptors();
  std::vector<std::unique_ptr<CodeArena>> arenas;
  for (int i = 0; i < 64; ++i) {
    arenas.push_back(MakeArena(16 * Page(), Page(), 4, true));
    ASSERT_NE(arenas.back(), nullptr);
    if (!EnvForcesFallback()) {
      EXPECT_TRUE(arenas.back()->dual_mapped());
    }
  }
  EXPECT_EQ(OpenDescriptors(), before);
  auto f = arenas[63]->Allocate(kRetConstSize, 0);
  ASSERT_TRUE(f.ok());
  PutReturnConst(f->rw, 7);
  ASSERT_TRUE(arenas[63]->Commit(*f, {}, {}, {}).ok());
  EXPECT_EQ(reinterpret_cast<int (*)()>(f->rx)(), 7);
}

TEST(CodeArenaFallback, NeverHandsOutAnExecutablePage) {
  auto a = MakeArena(512 * Page(), Page(), 512, false);
  ASSERT_NE(a, nullptr);
  ASSERT_FALSE(a->dual_mapped());
  std::vector<std::pair<const uint8_t*, const uint8_t*>> executable;  // page ranges
  for (uint32_t i = 0; i < 200; ++i) {
    uint32_t size = 1 + (i * 1237) % (3 * static_cast<uint32_t>(Page()));
    auto r = a->Allocate(size, i % 4 ? i : UINT32_MAX);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(reinterpret_cast<uintptr_t>(r->rw) % Page(), 0u);
    const uint8_t* end = r->rw + (size + Page() - 1) / Page() * Page();
    for (const auto& [b, e] : executable) ASSERT_TRUE(end <= b || r->rw >= e) << i;
    EXPECT_EQ(PermsAt(r->rw).substr(0, 3), "rw-");
    std::memset(r->rw, 0xC3, size);  // writable: a fault here would kill the test
    ASSERT_TRUE(a->Commit(*r, {}, {}, {}).ok());
    EXPECT_EQ(PermsAt(r->rx).substr(0, 3), "r-x");
    EXPECT_EQ(PermsAt(end - 1).substr(0, 3), "r-x");
    executable.emplace_back(r->rx, end);
  }
}

TEST(CodeArenaFallback, EnvironmentForcesIt) {
  const char* prev = std::getenv("WTRUN_NO_DUAL_MAP");
  std::string saved = prev ? prev : "";
  setenv("WTRUN_NO_DUAL_MAP", "1", 1);
  auto a = CodeArena::Create(64 * Page(), 0, 4, true);
  if (prev)
    setenv("WTRUN_NO_DUAL_MAP", saved.c_str(), 1);
  else
    unsetenv("WTRUN_NO_DUAL_MAP");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE((*a)->dual_mapped());
}

// Resident anonymous and shared-memory pages (RssAnon + RssShmem: the arena's own pages, in
// both modes; the dual map's are memfd pages). Not RssFile: the first run of a code path faults
// in pages of this large test binary (with fault-around, 64 KiB at a time), which made the
// +512 KiB bound below fail depending on the binary's layout.
size_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string key;
  size_t kib = 0, total = 0;
  while (in >> key) {
    if (key == "RssAnon:" || key == "RssShmem:") {
      in >> kib;
      total += kib * 1024;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return total;
}

// The lazy layout of the big LLVM module (docs/lazy-plan.md): 133,398 functions, one 16-byte
// stub and one 8-byte slot each, in a 1 GiB reservation. Nothing compiled: only the pages
// touched cost memory.
TEST_P(CodeArenaTest, UntouchedReservationCostsNothing) {
  constexpr uint32_t kFuncs = 133398;
  size_t before = RssBytes();
  auto a = MakeArena(size_t{1} << 30, size_t{kFuncs} * 8, kFuncs, dual());
  ASSERT_NE(a, nullptr);
  size_t created = RssBytes();
  auto stubs = a->Allocate(kFuncs * 16);
  ASSERT_TRUE(stubs.ok());
  std::memset(stubs->rw, 0xCC, size_t{kFuncs} * 16);
  std::memset(a->data(), 0, size_t{kFuncs} * 8);
  ASSERT_TRUE(a->Commit(*stubs, {}, {}, {}).ok());
  size_t stubbed = RssBytes();
  std::printf("[ info ] %s: RSS +%zu KiB after Create, +%zu KiB after %u stubs and slots\n",
              dual() ? "dual map" : "fallback", (created - std::min(created, before)) / 1024,
              (stubbed - std::min(stubbed, before)) / 1024, kFuncs);
  // Under qemu-user (ctest sets WTRUN_TEST_EMULATED) the process's RSS is the emulator's: it
  // allocates page descriptors for every guest page of a new mapping (~12 MB for the dual map's
  // 1 GiB alias, less when an earlier test in the process mapped the same addresses; see
  // docs/a64.md), so the reservation's own cost is checked natively only. What the stubs and
  // slots add is the arena's pages on both.
  if (std::getenv("WTRUN_TEST_EMULATED") == nullptr) {
    EXPECT_LT(created - std::min(created, before), kMiB / 2);
  }
  EXPECT_LT(stubbed - std::min(stubbed, created), 4 * kMiB);  // 2.1 MB stubs + 1.1 MB slots
}

// Allocate + Commit per function (no timing assertion: a figure for docs/jit.md).
TEST_P(CodeArenaTest, AllocateCommitCost) {
  const uint32_t kFuncs = dual() ? 100000 : 10000;  // fallback: a page each
  auto a = MakeArena(kFuncs * (dual() ? 256 : 2 * Page()), Page(), kFuncs, dual());
  ASSERT_NE(a, nullptr);
  std::vector<TrapSite> traps(4);
  std::vector<CallSite> calls(4);
  for (uint32_t i = 0; i < 4; ++i) {
    traps[i].code_offset = i * 16;
    calls[i].return_offset = 8 + i * 16;
  }
  auto t0 = std::chrono::steady_clock::now();
  timespec c0 = {}, c1 = {};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
  for (uint32_t i = 0; i < kFuncs; ++i) {
    auto r = a->Allocate(200, i);
    ASSERT_TRUE(r.ok());
    std::memset(r->rw, 0xC3, 200);  // as a compiler writes it
    ASSERT_TRUE(a->Commit(*r, traps, calls, {}).ok());
  }
  auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
  double cpu_ns = (c1.tv_sec - c0.tv_sec) * 1e9 + double(c1.tv_nsec - c0.tv_nsec);
  std::printf(
      "[ info ] %s: Allocate+Commit %.0f ns wall, %.0f ns thread CPU per function (200 B written, "
      "4 traps, 4 calls)\n",
      dual() ? "dual map" : "fallback", ns.count() / kFuncs, cpu_ns / kFuncs);
  EXPECT_EQ(a->record_count(), kFuncs);
}

INSTANTIATE_TEST_SUITE_P(Modes, CodeArenaTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "DualMap" : "Fallback"; });

}  // namespace
}  // namespace wt::jit
