// [multi-memory, memory64] The x86_64 Masm's LoadMemBase and CheckMemBound
// (masm_x64_memory_multi.cpp): their bytes, and executed against a hand-built VMContext with
// three memories (r14 pointed at memory 1 / 2, + a 64-bit address; the bound check against
// each memory's current size, taken or not).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/vmctx.h"
#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;
namespace r = x64::reg;

std::vector<uint8_t> Bytes(x64::Masm& m) {
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> b(*size);
  EXPECT_TRUE(m.CopyTo(b.data(), b.size(), 0).ok());
  return b;
}

TEST(X64MemoryMulti, Encodings) {
  x64::Masm m{x64::CpuFeatures{}};
  m.LoadMemBase(0, r::rcx);       // memory 0: only the address is added
  m.LoadMemBase(2, Reg::None());  // r14 <- vmctx->memories[2]->base
  m.LoadMemBase(1, r::r9);        // ... + r9
  Label oob = m.NewLabel();
  m.CheckMemBound(r::rdx, 3, oob);  // r11 <- vmctx->memories[3]; cmp rdx, [r11 + 8]; ja
  m.Bind(oob);
  EXPECT_EQ(Bytes(m), (std::vector<uint8_t>{
                          0x49, 0x01, 0xce,                    // add r14, rcx
                          0x4d, 0x8b, 0x77, 0x10,              // mov r14, [r15 + 16]
                          0x4d, 0x8b, 0x76, 0x10,              // mov r14, [r14 + 16]
                          0x4d, 0x8b, 0x36,                    // mov r14, [r14]
                          0x4d, 0x8b, 0x77, 0x10,              // mov r14, [r15 + 16]
                          0x4d, 0x8b, 0x76, 0x08,              // mov r14, [r14 + 8]
                          0x4d, 0x8b, 0x36,                    // mov r14, [r14]
                          0x4d, 0x01, 0xce,                    // add r14, r9
                          0x4d, 0x8b, 0x5f, 0x10,              // mov r11, [r15 + 16]
                          0x4d, 0x8b, 0x5b, 0x18,              // mov r11, [r11 + 24]
                          0x49, 0x3b, 0x53, 0x08,              // cmp rdx, [r11 + 8]
                          0x0f, 0x87, 0x00, 0x00, 0x00, 0x00,  // ja oob (rel32: a forward label)
                      }));
}

// A VMContext whose memories 0..2 are three small buffers.
struct FakeInstance {
  uint8_t bytes[3][64] = {};
  runtime::MemoryData data[3];
  runtime::MemoryData* memories[3];
  runtime::VMContext vmctx{};
  FakeInstance() {
    for (int i = 0; i < 3; ++i) {
      for (int k = 0; k < 64; ++k) bytes[i][k] = static_cast<uint8_t>(16 * i + k);
      data[i] = runtime::MemoryData{bytes[i], static_cast<uint64_t>(16 * (i + 1))};
      memories[i] = &data[i];
    }
    vmctx.mem0_base = bytes[0];
    vmctx.memories = memories;
  }
};

// fn(in, out, vmctx): r14/r15 saved in r8/r9 around a body that runs with r15 = vmctx and
// r14 = memory 0's base, as JIT code does.
SimdFn WithVmctx(const std::function<void(x64::Masm&)>& body) {
  return SimdFn(x64::HostCpuFeatures(), [&](x64::Masm& m) {
    m.Move(JType::kRef, r::r8, r::r14);
    m.Move(JType::kRef, r::r9, r::r15);
    m.Move(JType::kRef, r::r15, r::rdx);
    m.ReloadMemBase();
    body(m);
    m.Move(JType::kRef, r::r14, r::r8);
    m.Move(JType::kRef, r::r15, r::r9);
  });
}

TEST(X64MemoryMulti, LoadsFromEachMemory) {
  FakeInstance inst;
  SimdFn fn = WithVmctx([](x64::Masm& m) {
    for (uint32_t mem = 0; mem < 3; ++mem) {
      // out[mem] = 8 bytes of memory `mem` at address 5 (in rcx) + offset 2.
      m.LoadConst(JType::kI64, r::rcx, 5);
      m.LoadMemBase(mem, r::rcx);
      m.LoadMem(Op::I64Load, r::rax, Reg::None(), 2);
      m.ReloadMemBase();
      m.Store(JType::kI64, Mem{r::rsi, static_cast<int32_t>(16 * mem)}, r::rax);
    }
    // And memory 2 with the address in a register, memory 0's base restored after it.
    m.LoadConst(JType::kI32, r::rcx, 1);
    m.LoadMemBase(2, Reg::None());
    m.LoadMem(Op::I32Load8U, r::rax, r::rcx, 0);
    m.ReloadMemBase();
    m.Store(JType::kI64, Mem{r::rsi, 48}, r::rax);
    m.LoadMem(Op::I32Load8U, r::rax, r::rcx, 0);
    m.Store(JType::kI64, Mem{r::rsi, 64}, r::rax);
  });
  ASSERT_TRUE(fn.ok()) << fn.error();
  V128 out[5] = {};
  fn(nullptr, out, reinterpret_cast<uint64_t>(&inst.vmctx));
  for (uint32_t mem = 0; mem < 3; ++mem) {
    uint64_t want;
    std::memcpy(&want, inst.bytes[mem] + 7, 8);
    EXPECT_EQ(out[mem].lo, want) << "memory " << mem;
  }
  EXPECT_EQ(out[3].lo, 33u);  // memory 2, byte 1
  EXPECT_EQ(out[4].lo, 1u);   // memory 0, byte 1
}

TEST(X64MemoryMulti, BoundCheckAgainstCurrentSize) {
  FakeInstance inst;
  // out[i] = 1 when CheckMemBound(addr_i, memory_i) jumped.
  struct Case {
    uint64_t addr;
    uint32_t memory;
    bool oob;
  };
  const Case cases[] = {{16, 0, false}, {17, 0, true},    {32, 1, false},
                        {33, 1, true},  {0, 2, false},    {48, 2, false},
                        {49, 2, true},  {~0ull, 2, true}, {1ull << 32, 0, true}};
  SimdFn fn = WithVmctx([&](x64::Masm& m) {
    for (size_t i = 0; i < std::size(cases); ++i) {
      Label oob = m.NewLabel(), done = m.NewLabel();
      m.LoadConst(JType::kI64, r::rcx, cases[i].addr);
      m.CheckMemBound(r::rcx, cases[i].memory, oob);
      m.LoadConst(JType::kI64, r::rax, 0);
      m.Jump(done);
      m.Bind(oob);
      m.LoadConst(JType::kI64, r::rax, 1);
      m.Bind(done);
      m.Store(JType::kI64, Mem{r::rsi, static_cast<int32_t>(16 * i)}, r::rax);
    }
  });
  ASSERT_TRUE(fn.ok()) << fn.error();
  V128 out[std::size(cases)] = {};
  fn(nullptr, out, reinterpret_cast<uint64_t>(&inst.vmctx));
  for (size_t i = 0; i < std::size(cases); ++i)
    EXPECT_EQ(out[i].lo, cases[i].oob ? 1u : 0u) << "case " << i;
}

}  // namespace
}  // namespace wt::jit::testing
