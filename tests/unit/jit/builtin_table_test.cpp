// [lazy] The builtin table (runtime/builtin_table.h) and relocation-free eager code: every
// builtin the compiler calls is in the table (no absolute address left in the code), the table
// round-trips, every chunk of compiled code is position-independent but for its table link,
// and a copy of the code + table page at another address runs (what the .cwasm loader does).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "jit_test_util.h"
#include "runtime/builtin_table.h"
#include "runtime/builtins.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

#ifndef WTRUN_DISAS_DIR
#error "WTRUN_DISAS_DIR must name tests/disas (set in tests/CMakeLists.txt)"
#endif

namespace wt::jit {
namespace {

using runtime::BuiltinId;
using runtime::kNumBuiltins;

TEST(BuiltinTable, RoundTrips) {
  std::set<const void*> seen;
  std::vector<const void*> filled(kNumBuiltins, nullptr);
  runtime::FillBuiltinTable(filled.data());
  for (uint32_t i = 0; i < kNumBuiltins; ++i) {
    auto id = static_cast<BuiltinId>(i);
    const void* p = runtime::BuiltinAddress(id);
    ASSERT_NE(p, nullptr) << "id " << i;
    EXPECT_TRUE(seen.insert(p).second) << "id " << i << " shares its address";
    auto back = runtime::BuiltinIdOf(p);
    ASSERT_TRUE(back.has_value()) << "id " << i;
    EXPECT_EQ(static_cast<uint32_t>(*back), i);
    EXPECT_EQ(filled[i], p) << "id " << i;
  }
  EXPECT_EQ(runtime::BuiltinAddress(BuiltinId::kCount), nullptr);
  EXPECT_FALSE(runtime::BuiltinIdOf(nullptr).has_value());
  EXPECT_FALSE(runtime::BuiltinIdOf(&seen).has_value());
  EXPECT_EQ(runtime::BuiltinAddress(BuiltinId::kRaiseTrap),
            reinterpret_cast<const void*>(&wt_raise_trap));
}

Result<wasm::Module> Load(const std::string& wat, wasm::Features features) {
  WT_TRY_ASSIGN(std::vector<uint8_t> bytes,
                text::WatToBinary(wat, "test.wat", text::WatOptions{features}));
  wasm::ReadOptions ro;
  ro.features = features;
  WT_TRY_ASSIGN(wasm::Module m, wasm::ReadModule(std::move(bytes), ro));
  wasm::ValidateOptions vo;
  vo.features = features;
  WT_TRY(wasm::ValidateModule(m, vo));
  return m;
}

// The builtin ids the code calls: every `call qword ptr [rip + disp32]` (FF 15) whose target
// is an entry of the table after the code. [a64] Every `adrp xN, page; ldr xM, [xN, #imm]`
// pair (the kAdrpLdr form of Impl::CallBuiltinId) whose word is an entry of the table.
std::set<uint32_t> CalledIds(const CompiledModule& c) {
  std::set<uint32_t> ids;
  const uint8_t* b = c.code->base();
  const uint64_t table = c.builtin_table_offset;
#if defined(WTRUN_ISA_a64)
  const auto base = reinterpret_cast<uint64_t>(b);
  for (size_t at = 0; at + 8 <= c.code->size(); at += 4) {
    uint32_t adrp, ldr;
    std::memcpy(&adrp, b + at, 4);
    std::memcpy(&ldr, b + at + 4, 4);
    if ((adrp & 0x9F000000u) != 0x90000000u || (ldr & 0xFFC00000u) != 0xF9400000u ||
        ((ldr >> 5) & 31u) != (adrp & 31u))
      continue;
    int64_t pages = static_cast<int64_t>(((adrp >> 5) & 0x7FFFFu) << 2 | ((adrp >> 29) & 3u));
    if (pages & (int64_t{1} << 20)) pages -= int64_t{1} << 21;
    uint64_t target = ((base + at) & ~uint64_t{0xFFF}) + static_cast<uint64_t>(pages << 12) +
                      ((ldr >> 10) & 0xFFFu) * 8;
    int64_t off = static_cast<int64_t>(target - base) - static_cast<int64_t>(table);
    if (off >= 0 && off % 8 == 0 && off / 8 < kNumBuiltins)
      ids.insert(static_cast<uint32_t>(off / 8));
  }
#else
  for (size_t at = 0; at + 6 <= c.code->size(); ++at) {
    if (b[at] != 0xFF || b[at + 1] != 0x15) continue;
    int32_t d;
    std::memcpy(&d, b + at + 2, 4);
    int64_t target = static_cast<int64_t>(at) + 6 + d;
    int64_t off = target - static_cast<int64_t>(table);
    if (off >= 0 && off % 8 == 0 && off / 8 < kNumBuiltins)
      ids.insert(static_cast<uint32_t>(off / 8));
  }
#endif
  return ids;
}

// Every builtin the compiler emits, under every fuel/epoch combination: the code must call
// each through the table (an address not in the table would be called absolutely and make
// the code position-dependent: builtin_table_offset UINT32_MAX), and together they call every
// entry of the table (the list holds nothing the compiler does not use).
TEST(BuiltinTable, EveryCompilerBuiltinIsInTheTable) {
  const std::string wat = R"(
    (module
      (memory 1) (data $d "abc") (table $t 4 funcref) (table $x 2 externref)
      (elem $e func $f)
      (global $g (mut externref) (ref.null extern))
      (func $f (export "f") (param i32) (result i32)
        (drop (memory.grow (local.get 0)))
        (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))
        (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))
        (memory.init $d (i32.const 0) (i32.const 1) (i32.const 2))
        (data.drop $d)
        (drop (table.get $t (local.get 0)))
        (table.set $t (local.get 0) (ref.null func))
        (drop (table.grow $t (ref.null func) (local.get 0)))
        (table.fill $t (i32.const 0) (ref.null func) (i32.const 1))
        (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
        (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))
        (elem.drop $e)
        (drop (table.get $x (local.get 0)))
        (table.set $x (local.get 0) (ref.null extern))
        (global.set $g (global.get $g))
        (i32.load (local.get 0))))
  )";
  auto m = Load(wat, wasm::Features::Wasm20());
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  std::set<uint32_t> all;
  for (int variant = 0; variant < 4; ++variant) {
    CompileOptions co;
    co.consume_fuel = (variant & 1) != 0;
    co.epoch_interruption = (variant & 2) != 0;
    auto c = CompileModule(*m, co);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    ASSERT_NE((*c)->builtin_table_offset, UINT32_MAX) << "variant " << variant;
    EXPECT_EQ((*c)->builtin_table_offset % 4096, 0u);
    EXPECT_GE((*c)->builtin_table_offset, (*c)->code->size());
    // The table page holds the addresses (read-only from now on).
    const auto* table =
        reinterpret_cast<const void* const*>((*c)->code->base() + (*c)->builtin_table_offset);
    for (uint32_t i = 0; i < kNumBuiltins; ++i)
      EXPECT_EQ(table[i], runtime::BuiltinAddress(static_cast<BuiltinId>(i))) << i;
    std::set<uint32_t> ids = CalledIds(**c);
    all.insert(ids.begin(), ids.end());
  }
  {  // [exceptions] throw and throw_ref
    auto x = Load(R"((module (tag $e) (func (throw $e))
                      (func (param exnref) (throw_ref (local.get 0)))))",
                  wasm::Features::Wasm30());
    ASSERT_TRUE(x.ok()) << x.error().ToString();
    auto c = CompileModule(*x, CompileOptions{});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    ASSERT_NE((*c)->builtin_table_offset, UINT32_MAX);
    std::set<uint32_t> ids = CalledIds(**c);
    all.insert(ids.begin(), ids.end());
  }
  {  // [wasmgc] G2: struct/array allocation and the bulk array routines
    auto x = Load(R"((module (type $s (struct (field i32))) (type $a (array (mut i32)))
                      (type $r (array (mut funcref)))
                      (data $d "abcd") (elem $e func $f)
                      (func $f (result (ref $s)) (struct.new $s (i32.const 1)))
                      (func (param (ref $a) (ref $r))
                        (drop (array.new_default $a (i32.const 1)))
                        (drop (array.new $a (i32.const 1) (i32.const 1)))
                        (drop (array.new_data $a $d (i32.const 0) (i32.const 1)))
                        (drop (array.new_elem $r $e (i32.const 0) (i32.const 1)))
                        (array.fill $a (local.get 0) (i32.const 0) (i32.const 1) (i32.const 1))
                        (array.copy $a $a (local.get 0) (i32.const 0) (local.get 0) (i32.const 0)
                                    (i32.const 1))
                        (array.init_data $a $d (local.get 0) (i32.const 0) (i32.const 0)
                                         (i32.const 1))
                        (array.init_elem $r $e (local.get 1) (i32.const 0) (i32.const 0)
                                         (i32.const 1)))))",
                  wasm::Features::Wasm30());
    ASSERT_TRUE(x.ok()) << x.error().ToString();
    auto c = CompileModule(*x, CompileOptions{});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    std::set<uint32_t> ids = CalledIds(**c);
    all.insert(ids.begin(), ids.end());
  }
  {  // [wasmgc] casts: call_indirect to a non-final function type asks wt_gc_func_subtype
    auto x = Load(R"((module (type $f (sub (func))) (table 1 funcref)
                      (func (call_indirect (type $f) (i32.const 0)))))",
                  wasm::Features::Wasm30());
    ASSERT_TRUE(x.ok()) << x.error().ToString();
    auto c = CompileModule(*x, CompileOptions{});
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    std::set<uint32_t> ids = CalledIds(**c);
    all.insert(ids.begin(), ids.end());
  }
  for (uint32_t i = 0; i < kNumBuiltins; ++i)
    EXPECT_TRUE(all.count(i)) << "builtin id " << i << " never called through the table";
}

std::vector<std::string> DisasModules() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(WTRUN_DISAS_DIR "/x64")) {
    if (e.path().extension() != ".wat") continue;
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

// Every eager code object is position-independent but for the builtin table link, with one
// chunk or many (each finished early by its worker), with and without fuel/epoch checks:
// tests/disas modules and the .wasm files of WTRUN_IDENTITY_MODULES (big real modules).
TEST(BuiltinTable, EagerCodeIsPositionIndependent) {
  std::vector<wasm::Module> modules;
  for (const std::string& wat : DisasModules()) {
    auto m = Load(wat, wasm::Features::Wasm30());
    ASSERT_TRUE(m.ok()) << m.error().ToString();
    modules.push_back(std::move(*m));
  }
  ASSERT_GE(modules.size(), 10u);
  if (const char* env = std::getenv("WTRUN_IDENTITY_MODULES")) {
    std::stringstream list(env);
    std::string path;
    while (std::getline(list, path, ':')) {
      if (path.empty()) continue;
      std::ifstream f(path, std::ios::binary);
      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
      auto m = wasm::ReadModule(std::move(bytes));
      ASSERT_TRUE(m.ok()) << path;
      modules.push_back(std::move(*m));
    }
  }
  for (size_t i = 0; i < modules.size(); ++i) {
    for (uint32_t chunk_bytes : {0u, 64u}) {
      for (bool fuel : {false, true}) {
        CompileOptions co;
        co.jobs = 2;
        co.chunk_bytes = chunk_bytes;
        co.consume_fuel = fuel;
        co.epoch_interruption = fuel;
        auto c = CompileModule(modules[i], co);
        ASSERT_TRUE(c.ok()) << c.error().ToString();
        EXPECT_NE((*c)->builtin_table_offset, UINT32_MAX)
            << "module " << i << " chunk_bytes " << chunk_bytes << " fuel " << fuel;
      }
    }
  }
}

// Moved code: the code pages copied to a fresh mapping and the table page filled there, the
// original made inaccessible; the functions run from the copy (direct calls across chunks,
// call_indirect, br_table, SIMD constants, host stubs), and a builtin call goes through the
// copy's table (its memory.grow entry replaced by a test function).
uint64_t FakeMemoryGrow(runtime::VMContext*, uint32_t, uint64_t delta) noexcept {
  return 1000 + delta;
}

TEST(BuiltinTable, MovedCodeRuns) {
  const std::string wat = R"(
    (module
      (import "env" "h" (func $h (param i32) (result i32)))
      (memory 1) (table 2 funcref) (elem (i32.const 0) $sq $inc)
      (type $t (func (param i32) (result i32)))
      (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
      (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
      (func (export "run") (param i32) (result i32)
        (local i32)
        (block $b2 (block $b1 (block $b0
          (br_table $b0 $b1 $b2 (local.get 0)))
          (local.set 1 (call $sq (i32.const 7))) (br $b2))
          (local.set 1 (call_indirect (type $t) (i32.const 41) (i32.const 1))))
        (i32.add (local.get 1)
          (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4)
                                           (v128.const i32x4 10 20 30 40)))))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "host") (param i32) (result i32) (call $h (local.get 0))))
  )";
  std::vector<runtime::HostFuncRecord> hosts(1);
  hosts[0].fn = [](void*, runtime::VMContext*, runtime::ValueSlot* a) noexcept -> uint32_t {
    a[0].i32 = a[0].i32 * 3;
    return 0;
  };
  CompileOptions co;
  co.chunk_bytes = 16;  // a chunk per function: calls between chunks
  co.jobs = 2;
  uint8_t* copy = nullptr;
  size_t copy_size = 0;
  auto move = [&](CompiledModule& c) {
    ASSERT_NE(c.builtin_table_offset, UINT32_MAX);
    const uint8_t* old = c.code->base();
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    copy_size = c.builtin_table_offset + page;
    void* p = mmap(nullptr, copy_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(p, MAP_FAILED);
    copy = static_cast<uint8_t*>(p);
    std::memcpy(copy, old, c.code->size());
    auto** table = reinterpret_cast<const void**>(copy + c.builtin_table_offset);
    runtime::FillBuiltinTable(table);
    table[static_cast<uint32_t>(BuiltinId::kMemoryGrow)] =
        reinterpret_cast<const void*>(&FakeMemoryGrow);
    ASSERT_EQ(mprotect(copy, c.builtin_table_offset, PROT_READ | PROT_EXEC), 0);
    ASSERT_EQ(mprotect(copy + c.builtin_table_offset, page, PROT_READ), 0);
    auto rebase = [&](const void* q) -> const void* {
      return q == nullptr ? nullptr : copy + (static_cast<const uint8_t*>(q) - old);
    };
    for (const void*& f : c.func_code) f = rebase(f);
    for (const void*& s : c.host_stubs) s = rebase(s);
    for (EntryFn& e : c.entries)
      e = reinterpret_cast<EntryFn>(const_cast<void*>(rebase(reinterpret_cast<const void*>(e))));
    // The original code and table: inaccessible (a use would fault).
    ASSERT_EQ(mprotect(const_cast<uint8_t*>(old), c.builtin_table_offset + page, PROT_NONE), 0);
  };
  auto inst = testing::JitInstance::CreateWith(wat, std::move(hosts), co, move);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  testing::JitInstance& j = **inst;
  EXPECT_EQ(j.CallI32("run", {testing::I32(0)}), 49u + 33u);
  EXPECT_EQ(j.CallI32("run", {testing::I32(1)}), 42u + 33u);
  EXPECT_EQ(j.CallI32("run", {testing::I32(5)}), 0u + 33u);
  EXPECT_EQ(j.CallI32("grow", {testing::I32(5)}), 1005u);
  EXPECT_EQ(j.CallI32("host", {testing::I32(14)}), 42u);
  // The instance (and the original mapping, PROT_NONE: munmap takes it as it is), then the copy.
  inst->reset();
  if (copy) munmap(copy, copy_size);
}

}  // namespace
}  // namespace wt::jit
