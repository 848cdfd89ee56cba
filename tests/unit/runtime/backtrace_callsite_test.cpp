// The JIT's call-site table: every emitted call (direct, import, call_indirect, builtin) has an
// entry at its return address carrying the calling instruction's module offset.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "runtime/runtime.h"
#include "runtime_test_util.h"
#include "wasm/code_reader.h"

namespace wt::runtime {
namespace {

using testing::Load;

TEST(CallSiteTable, EveryCallInstructionHasAnEntry) {
  auto m = Load(R"((module
    (import "env" "host" (func $host (param i32)))
    (type $t (func (result i32)))
    (table 2 funcref)
    (memory 1)
    (func $leaf (result i32) (i32.const 7))
    (func (export "f") (param i32) (result i32)
      (call $host (local.get 0))
      (drop (memory.grow (i32.const 0)))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
      (call_indirect (type $t) (local.get 0))
      (call $leaf)
      i32.add))
  )");
  ASSERT_TRUE(m);
  const jit::CodeObject& code = *m->code->code;
  std::span<const jit::CallSite> sites = code.call_sites();
  ASSERT_EQ(sites.size(), 5u);  // host, memory.grow, memory.fill, call_indirect, call $leaf
  EXPECT_TRUE(std::is_sorted(sites.begin(), sites.end(), [](const auto& a, const auto& b) {
    return a.return_offset < b.return_offset;
  }));

  // The module offsets of the calling instructions, in order.
  const wasm::Module& mod = *m->module;
  const wasm::Code& body = mod.codes[1];
  wasm::CodeReader reader(mod.Slice(body.body), body.body.offset, wasm::Features::Wasm20());
  std::vector<uint32_t> expected;
  wasm::Instr in;
  while (!reader.AtEnd()) {
    ASSERT_TRUE(reader.Next(&in).ok());
    if (in.op == wasm::Op::Call || in.op == wasm::Op::CallIndirect ||
        in.op == wasm::Op::MemoryGrow || in.op == wasm::Op::MemoryFill)
      expected.push_back(in.offset);
  }
  ASSERT_EQ(expected.size(), 5u);
  auto base = reinterpret_cast<uintptr_t>(code.base());
  for (size_t i = 0; i < sites.size(); ++i) {
    EXPECT_EQ(sites[i].wasm_offset, expected[i]) << i;
    EXPECT_EQ(sites[i].stack_map, UINT32_MAX);
    // The lookup by return address finds exactly this entry, and nothing one byte off.
    EXPECT_EQ(code.FindCallSite(base + sites[i].return_offset), &sites[i]);
    EXPECT_EQ(code.FindCallSite(base + sites[i].return_offset - 1), nullptr);
    // The return address lies inside the calling function.
    const jit::FuncRange* f = code.FindFunc(base + sites[i].return_offset);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->func_index, 2u);
  }
  EXPECT_EQ(code.FindCallSite(base + code.size() + 16), nullptr);
}

}  // namespace
}  // namespace wt::runtime
