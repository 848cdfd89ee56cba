// [perf] Parallel compilation: the code and its tables do not depend on the thread count; a
// module cut into many chunks gets the same function layout as far as each body goes; chunks
// placed out of order or past the reserved region come out the same.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "jit/compile_module.h"
#include "jit/compiler.h"
#include "jit_test_util.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::jit {
namespace {

// 40 functions calling forwards and backwards, with a trap site each (div) and a loop.
std::string ManyFunctions() {
  std::string wat = "(module (memory 1) (table 1 funcref)\n";
  for (int i = 0; i < 40; ++i) {
    int callee = (i * 7 + 3) % 40;
    wat += "(func $f" + std::to_string(i) + " (export \"f" + std::to_string(i) +
           "\") (param i32) (result i32)\n"
           "  (if (result i32) (i32.le_s (local.get 0) (i32.const 0))\n"
           "    (then (i32.div_s (i32.const 100) (i32.add (local.get 0) (i32.const 7))))\n"
           "    (else (call $f" +
           std::to_string(callee) + " (i32.sub (local.get 0) (i32.const 1))))))\n";
  }
  return wat + ")";
}

using Compiled = testing::CodeSnapshot;

Compiled Compile(const wasm::Module& m, uint32_t jobs, uint32_t chunk_bytes) {
  CompileOptions co;
  co.jobs = jobs;
  co.chunk_bytes = chunk_bytes;
  auto c = CompileModule(m, co);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  if (!c.ok()) return Compiled{};
  const CodeObject& code = *(*c)->code;
  Compiled out = testing::Snapshot(code);
  // Every function entry is where its range begins.
  for (size_t i = 0; i < out.funcs.size(); ++i)
    EXPECT_EQ((*c)->func_code[i], code.base() + out.funcs[i].begin);
  return out;
}

wasm::Module Load(const std::string& wat) {
  auto bytes = text::WatToBinary(wat, "many.wat");
  EXPECT_TRUE(bytes.ok());
  auto m = wasm::ReadModule(std::move(*bytes));
  EXPECT_TRUE(m.ok());
  EXPECT_TRUE(wasm::ValidateModule(*m).ok());
  return std::move(*m);
}

TEST(ParallelCompile, SameCodeForAnyThreadCount) {
  wasm::Module m = Load(ManyFunctions());
  Compiled one = Compile(m, 1, 64);  // a few functions per chunk
  ASSERT_FALSE(one.bytes.empty());
  for (uint32_t jobs : {2u, 3u, 8u}) {
    Compiled par = Compile(m, jobs, 64);
    EXPECT_EQ(one.bytes, par.bytes) << jobs << " jobs";
    ASSERT_EQ(one.funcs.size(), par.funcs.size());
    for (size_t i = 0; i < one.funcs.size(); ++i) {
      EXPECT_EQ(one.funcs[i].begin, par.funcs[i].begin);
      EXPECT_EQ(one.funcs[i].end, par.funcs[i].end);
    }
    ASSERT_EQ(one.traps.size(), par.traps.size());
    ASSERT_EQ(one.calls.size(), par.calls.size());
  }
}

TEST(ParallelCompile, ChunksKeepEveryBodyAndTable) {
  wasm::Module m = Load(ManyFunctions());
  Compiled whole = Compile(m, 1, 0);  // one chunk
  Compiled split = Compile(m, 2, 1);  // one function per chunk
  ASSERT_EQ(whole.funcs.size(), 40u);
  ASSERT_EQ(split.funcs.size(), 40u);
  EXPECT_EQ(whole.traps.size(), split.traps.size());
  EXPECT_EQ(whole.calls.size(), split.calls.size());
  // Sorted, inside the code, and each body the same size as when compiled in one piece.
  for (size_t i = 0; i < split.funcs.size(); ++i) {
    EXPECT_EQ(split.funcs[i].func_index, whole.funcs[i].func_index);
    EXPECT_EQ(split.funcs[i].end - split.funcs[i].begin, whole.funcs[i].end - whole.funcs[i].begin);
    if (i > 0) {
      EXPECT_LE(split.funcs[i - 1].end, split.funcs[i].begin);
    }
  }
  for (size_t i = 1; i < split.traps.size(); ++i)
    EXPECT_LT(split.traps[i - 1].code_offset, split.traps[i].code_offset);
  for (const TrapSite& t : split.traps) EXPECT_LT(t.code_offset, split.bytes.size());
  // A direct call's rel32 (x64 e8; aarch64 bl imm26) lands on its callee's entry: every direct
  // call in the code whose target is a function entry must match, and there must be as many as
  // the module has calls (40).
  size_t direct = 0;
  for (const CallSite& s : split.calls) {
#if defined(__aarch64__)
    uint32_t at = s.return_offset - 4;
    uint32_t insn;
    std::memcpy(&insn, &split.bytes[at], 4);
    if ((insn & 0xFC000000u) != 0x94000000u) continue;  // bl
    int64_t target =
        static_cast<int64_t>(at) + 4 * static_cast<int64_t>(static_cast<int32_t>(insn << 6) >> 6);
#else
    uint32_t at = s.return_offset - 5;
    if (split.bytes[at] != 0xe8) continue;
    int32_t rel;
    std::memcpy(&rel, &split.bytes[at + 1], 4);
    int64_t target = static_cast<int64_t>(s.return_offset) + rel;
#endif
    bool at_entry = false;
    for (const FuncRange& r : split.funcs) at_entry |= r.begin == target;
    EXPECT_TRUE(at_entry) << "call at " << at;
    ++direct;
  }
  EXPECT_EQ(direct, 40u);
}

// [perf] Every chunk but the last is finished, copied out and its Masm freed by its worker
// (compile_module.h): a chunk's jump tables (br_table: label-delta entries, asmjit
// relocations of kind expression) must come out the same as when the whole module is one
// Masm copied in place. No calls and no SIMD constants, so each body is position-independent.
TEST(ParallelCompile, EarlyFinishedChunksKeepJumpTables) {
  std::string wat = "(module\n";
  for (int i = 0; i < 12; ++i) {
    wat += "(func (export \"f" + std::to_string(i) +
           "\") (param i32) (result i32)\n"
           "  (block (block (block (block\n"
           "    (br_table 0 1 2 3 (local.get 0)))\n"
           "    (return (i32.const " +
           std::to_string(i) +
           ")))\n"
           "    (return (i32.const 20)))\n"
           "    (return (i32.add (local.get 0) (i32.const 30))))\n"
           "  (i32.const 40))\n";
  }
  wasm::Module m = Load(wat + ")");
  Compiled whole = Compile(m, 1, 0);  // one chunk: the Masm copied at the final address
  for (uint32_t jobs : {1u, 2u}) {
    Compiled split = Compile(m, jobs, 1);  // one function per chunk: 11 finished early
    ASSERT_EQ(whole.funcs.size(), 12u);
    ASSERT_EQ(split.funcs.size(), 12u);
    for (size_t i = 0; i < 12; ++i) {
      std::vector<uint8_t> a(whole.bytes.begin() + whole.funcs[i].begin,
                             whole.bytes.begin() + whole.funcs[i].end);
      std::vector<uint8_t> b(split.bytes.begin() + split.funcs[i].begin,
                             split.bytes.begin() + split.funcs[i].end);
      EXPECT_EQ(a, b) << "function " << i << ", " << jobs << " jobs";
    }
    EXPECT_EQ(whole.traps.size(), split.traps.size());
  }
}

// [perf] In-order placement (compile_module.h, ChunkPlacer): chunks finished out of order wait
// as buffers; a first chunk much bigger than the rest makes the other worker finish the small
// ones first. Same code and tables as one thread, and it runs.
TEST(ParallelCompile, OutOfOrderChunksKeepTheirPlace) {
  std::string wat = "(module (memory 1)\n(func $big (export \"big\") (param i32) (result i32)\n";
  for (int i = 0; i < 3000; ++i)
    wat += "  (local.set 0 (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const " +
           std::to_string(i) + ")))\n";
  wat += "  (local.get 0))\n";
  for (int i = 0; i < 30; ++i)
    wat += "(func (export \"s" + std::to_string(i) +
           "\") (param i32) (result i32) (call $big (i32.add (local.get 0) (i32.const " +
           std::to_string(i) + "))))\n";
  wasm::Module m = Load(wat + ")");
  Compiled one = Compile(m, 1, 64);
  for (uint32_t jobs : {2u, 4u}) {
    Compiled par = Compile(m, jobs, 64);
    EXPECT_EQ(one.bytes, par.bytes) << jobs << " jobs";
    EXPECT_EQ(one.funcs.size(), par.funcs.size());
    EXPECT_EQ(one.traps.size(), par.traps.size());
    EXPECT_EQ(one.calls.size(), par.calls.size());
  }
  CompileOptions co;
  co.jobs = 2;
  co.chunk_bytes = 64;
  auto inst = testing::JitInstance::CreateWith(wat + ")", {}, co, nullptr);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  uint32_t expect = 5;
  for (int i = 0; i < 3000; ++i) expect = expect * 3 + static_cast<uint32_t>(i);
  EXPECT_EQ((*inst)->CallI32("s2", {testing::I32(3)}), expect);
}

// [perf] A module whose code outgrows the reserved region (the bound shrunk by the test hook):
// the placed code moves to a bigger region, the same bytes come out, and it runs.
TEST(ParallelCompile, PlacementOutgrowsItsReservation) {
  wasm::Module m = Load(ManyFunctions());
  Compiled normal = Compile(m, 2, 64);
  for (size_t reserve : {size_t{1}, size_t{300}, size_t{4096}}) {
    TestCodeReserve() = reserve;
    Compiled grown = Compile(m, 2, 64);
    Compiled grown1 = Compile(m, 1, 64);
    TestCodeReserve() = 0;
    EXPECT_EQ(normal.bytes, grown.bytes) << reserve;
    EXPECT_EQ(normal.bytes, grown1.bytes) << reserve;
    EXPECT_EQ(normal.traps.size(), grown.traps.size());
  }
  CompileOptions co;
  co.jobs = 2;
  co.chunk_bytes = 64;
  TestCodeReserve() = 100;
  auto inst = testing::JitInstance::CreateWith(ManyFunctions(), {}, co, nullptr);
  TestCodeReserve() = 0;
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  auto ref = testing::JitInstance::Create(ManyFunctions());
  ASSERT_TRUE(ref.ok());
  for (int i = 0; i < 40; i += 7) {
    std::string f = std::to_string(i);
    f.insert(f.begin(), 'f');
    EXPECT_EQ((*inst)->CallI32(f, {testing::I32(12)}), (*ref)->CallI32(f, {testing::I32(12)})) << f;
  }
}

}  // namespace
}  // namespace wt::jit
