// The threads proposal in the binary reader and the validator: shared memories (limits flag
// bit 1, a maximum required) and the atomic instructions (prefix 0xFE, alignment exactly
// natural), enabled by the "threads" feature (part of the 3.0 preset).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "validator_test_util.h"
#include "wasm/code_reader.h"
#include "wasm/opcodes.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::Check;
using testing::OneBodyCodeSection;
using testing::Section;

Features NoThreads() {
  Features f = Features::Wasm30();
  f.set(Feature::kThreads, false);
  return f;
}

Bytes Header() {
  return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
}

// A module with the memory section `memory` (none if empty) and one function of type
// [] -> [] whose body is `code` (without locals and the final end).
Bytes ModuleWith(const Bytes& memory, const Bytes& code) {
  Bytes m = Header();
  Section(&m, 1, {0x01, 0x60, 0x00, 0x00});
  Section(&m, 3, {0x01, 0x00});
  if (!memory.empty()) Section(&m, 5, memory);
  OneBodyCodeSection(&m, code);
  return m;
}

const Bytes kSharedMemory = {0x01, 0x03, 0x01, 0x01};  // (memory 1 1 shared)
const Bytes kPlainMemory = {0x01, 0x00, 0x01};         // (memory 1)

TEST(ThreadsProposal, PresetHasThreads) {
  EXPECT_TRUE(Features::Wasm30().has(Feature::kThreads));
  EXPECT_FALSE(Features::Wasm20().has(Feature::kThreads));
  Feature f;
  ASSERT_TRUE(ParseFeatureName("threads", &f));
  EXPECT_EQ(f, Feature::kThreads);
}

TEST(ThreadsProposal, SharedMemoryDecodes) {
  // Before threads were decoded, this was "malformed limits flags".
  auto m = ReadModule(ModuleWith(kSharedMemory, {}));
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_TRUE(m->memories[0].type.shared);
  EXPECT_EQ(m->memories[0].type.limits.min, 1u);
  EXPECT_EQ(m->memories[0].type.limits.max, 1u);
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {})), "ok");
  // memory64 + shared: flags 0x07.
  EXPECT_EQ(Check(ModuleWith({0x01, 0x07, 0x01, 0x02}, {})), "ok");
  // The 2.0 preset with threads: the flags are a byte there too.
  Features f20 = Features::Wasm20();
  f20.set(Feature::kThreads);
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {}), f20), "ok");
}

TEST(ThreadsProposal, SharedMemoryRules) {
  // A shared memory needs a maximum.
  EXPECT_EQ(Check(ModuleWith({0x01, 0x02, 0x01}, {})), "invalid: shared memory must have maximum");
  // Without the feature, the shared bit is a malformed flag.
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {}), NoThreads()), "malformed: malformed limits flags");
  // Tables cannot be shared.
  Bytes table = Header();
  Section(&table, 4, {0x01, 0x70, 0x03, 0x01, 0x01});
  EXPECT_EQ(Check(table), "malformed: malformed limits flags");
  // Unknown bits stay malformed (bit 3 is a custom page size: custom_page_sizes_test.cpp).
  EXPECT_EQ(Check(ModuleWith({0x01, 0x11, 0x01, 0x01}, {})), "malformed: malformed limits flags");
}

// The access size of an atomic mnemonic: the digits after "atomic." (load8_u, rmw16, wait32,
// ...), else the value type's size; notify accesses an i32.
uint32_t AccessBytes(std::string_view text) {
  std::string_view rest = text.substr(text.find("atomic.") + 7);
  size_t d = rest.find_first_of("0123456789");
  if (d != std::string_view::npos)
    return static_cast<uint32_t>(std::stoul(std::string(rest.substr(d)))) / 8;
  if (text.starts_with("i64")) return 8;
  return 4;
}

TEST(ThreadsProposal, OpcodeTable) {
  // Every 0xFE opcode decodes back to itself; memory accesses have an atomic memarg whose
  // natural alignment matches the access size in the mnemonic.
  int count = 0;
  for (size_t i = 0; i < kNumOps; ++i) {
    const Op op = static_cast<Op>(i);
    const OpInfo& info = GetOpInfo(op);
    if (info.prefix != 0xFE) continue;
    ++count;
    EXPECT_EQ(info.feature, Feature::kThreads) << info.text;
    auto back = LookupOp(0xFE, info.code);
    ASSERT_TRUE(back.has_value()) << info.text;
    EXPECT_EQ(*back, op);
    if (op == Op::AtomicFence) {
      EXPECT_EQ(info.imm, Imm::kFence);
      continue;
    }
    ASSERT_TRUE(IsAtomicMemImm(info.imm)) << info.text;
    EXPECT_EQ(1u << NaturalAlignLog2(info.imm), AccessBytes(info.text)) << info.text;
  }
  // notify, wait32, wait64, fence, 7 loads, 7 stores, 7 x 7 read-modify-writes.
  EXPECT_EQ(count, 4 + 7 + 7 + 49);
}

TEST(ThreadsProposal, CodeReaderDecodesAtomics) {
  Instr in;
  // i64.atomic.rmw.cmpxchg align=8 offset=16
  const Bytes cmpxchg = {0xFE, 0x49, 0x03, 0x10};
  CodeReader r(cmpxchg, 100, Features::Wasm30());
  ASSERT_TRUE(r.Next(&in).ok());
  EXPECT_EQ(in.op, Op::I64AtomicRmwCmpxchg);
  EXPECT_EQ(in.mem.align_log2, 3u);
  EXPECT_EQ(in.mem.offset, 16u);
  EXPECT_EQ(in.offset, 100u);
  EXPECT_TRUE(r.AtEnd());
  // atomic.fence has one reserved zero byte.
  const Bytes fence = {0xFE, 0x03, 0x00};
  r.Reset(fence, 0);
  ASSERT_TRUE(r.Next(&in).ok());
  EXPECT_EQ(in.op, Op::AtomicFence);
  EXPECT_TRUE(r.AtEnd());
  const Bytes bad_fence = {0xFE, 0x03, 0x01};
  r.Reset(bad_fence, 0);
  Status s = r.Next(&in);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "zero byte expected");
  // Unassigned sub-opcode.
  const Bytes unknown = {0xFE, 0x04};
  r.Reset(unknown, 0);
  s = r.Next(&in);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kMalformed);
  EXPECT_EQ(s.error().message, "illegal opcode fe 4");
  // Without the feature the prefix is illegal.
  CodeReader off(cmpxchg, 0, NoThreads());
  s = off.Next(&in);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "illegal opcode fe 73");
}

TEST(ThreadsProposal, ValidatesAtomics) {
  // i32.const 0; i32.atomic.load align=4; drop
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x1A})), "ok");
  // Atomics are valid on unshared memories too.
  EXPECT_EQ(Check(ModuleWith(kPlainMemory, {0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x1A})), "ok");
  // i32.const 0; i64.const 0; i64.const 0; i64.atomic.rmw.cmpxchg; drop
  EXPECT_EQ(Check(ModuleWith(kSharedMemory,
                             {0x41, 0x00, 0x42, 0x00, 0x42, 0x00, 0xFE, 0x49, 0x03, 0x00, 0x1A})),
            "ok");
  // i32.const 0; i32.const 0; i64.const 0; memory.atomic.wait32 -> i32; drop
  EXPECT_EQ(Check(ModuleWith(kSharedMemory,
                             {0x41, 0x00, 0x41, 0x00, 0x42, 0x00, 0xFE, 0x01, 0x02, 0x00, 0x1A})),
            "ok");
  // i32.const 0; i32.const 1; memory.atomic.notify; drop
  EXPECT_EQ(
      Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x41, 0x01, 0xFE, 0x00, 0x02, 0x00, 0x1A})),
      "ok");
  // atomic.fence needs no memory.
  EXPECT_EQ(Check(ModuleWith({}, {0xFE, 0x03, 0x00})), "ok");
  // i32.const 0; i32.const 0; i32.atomic.store8 align=1
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x41, 0x00, 0xFE, 0x19, 0x00, 0x00})),
            "ok");
}

TEST(ThreadsProposal, AtomicAlignmentMustBeNatural) {
  // i32.atomic.load with align=2 (smaller than natural): fine for i32.load, not for atomics.
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0xFE, 0x10, 0x01, 0x00, 0x1A})),
            "invalid: alignment must be exactly natural");
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x28, 0x01, 0x00, 0x1A})), "ok");
  // Larger than natural.
  EXPECT_EQ(Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0xFE, 0x12, 0x01, 0x00, 0x1A})),
            "invalid: alignment must be exactly natural");
  // i64.atomic.rmw32.add_u: natural alignment 4.
  EXPECT_EQ(
      Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x42, 0x00, 0xFE, 0x24, 0x02, 0x00, 0x1A})),
      "ok");
  EXPECT_EQ(
      Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x42, 0x00, 0xFE, 0x24, 0x03, 0x00, 0x1A})),
      "invalid: alignment must be exactly natural");
}

TEST(ThreadsProposal, AtomicTypingAndMemory) {
  EXPECT_EQ(Check(ModuleWith({}, {0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, 0x1A})),
            "invalid: unknown memory 0");
  // i64.atomic.rmw.add with an i32 operand.
  std::string r =
      Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x41, 0x00, 0xFE, 0x1F, 0x03, 0x00, 0x1A}));
  EXPECT_EQ(r.substr(0, 22), "invalid: type mismatch") << r;
  // The result of i32.atomic.rmw.xchg is an i32: storing it into an i64 local fails.
  r = Check(ModuleWith(kSharedMemory, {0x41, 0x00, 0x41, 0x00, 0xFE, 0x41, 0x02, 0x00, 0x50}));
  EXPECT_EQ(r.substr(0, 22), "invalid: type mismatch") << r;
}

}  // namespace
}  // namespace wt::wasm
