// [multi-memory, memory64] The aarch64 Masm's LoadMemBase and CheckMemBound
// (masm_a64_memory_multi.cpp): the instruction words on every host (checked against aarch64
// objdump), and the memory-0 access forms unchanged around them.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "jit/a64/masm_a64.h"

namespace wt::jit::a64 {
namespace {

using wasm::Op;

const Reg kX0 = Reg::Gp(0), kX1 = Reg::Gp(1), kX2 = Reg::Gp(2);

std::vector<uint32_t> Words(Masm& m) {
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0).ok());
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!words.empty()) std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

TEST(A64MemoryMulti, LoadMemBase) {
  Masm m{CpuFeatures{}};
  m.LoadMemBase(0, kX1);             // memory 0: only the address is added
  m.LoadMemBase(2, Reg::None());     // x27 <- vmctx->memories[2]->base
  m.LoadMemBase(1, kX2);             // ... + x2
  m.LoadMemBase(5000, Reg::None());  // an index past the scaled immediate: through x17
  uint32_t at = m.LoadMem(Op::I32Load, kX0, kX1, 0);
  m.ReloadMemBase();
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0x8b01037b,  // add x27, x27, x1
                          0xf9400b9b,  // ldr x27, [x28, #16]
                          0xf9400b7b,  // ldr x27, [x27, #16]
                          0xf940037b,  // ldr x27, [x27]
                          0xf9400b9b,  // ldr x27, [x28, #16]
                          0xf940077b,  // ldr x27, [x27, #8]
                          0xf940037b,  // ldr x27, [x27]
                          0x8b02037b,  // add x27, x27, x2
                          0xf9400b9b,  // ldr x27, [x28, #16]
                          0xd2938811,  // mov x17, #0x9c40
                          0xf8716b7b,  // ldr x27, [x27, x17]
                          0xf940037b,  // ldr x27, [x27]
                          0xb8614b60,  // ldr w0, [x27, w1, uxtw] (the memory-0 form)
                          0xf940039b,  // ldr x27, [x28] (ReloadMemBase)
                      }));
  EXPECT_EQ(at, 48u);
}

TEST(A64MemoryMulti, CheckMemBound) {
  Masm m{CpuFeatures{}};
  Label oob = m.NewLabel();
  m.CheckMemBound(kX1, 3, oob);
  m.CheckMemBound(kX2, 0, oob);
  m.Bind(oob);
  EXPECT_EQ(Words(m), (std::vector<uint32_t>{
                          0xf9400b90,  // ldr x16, [x28, #16]
                          0xf9400e10,  // ldr x16, [x16, #24]
                          0xf9400610,  // ldr x16, [x16, #8]
                          0xeb10003f,  // cmp x1, x16
                          0x540000c8,  // b.hi oob (+6 words)
                          0xf9400b90,  // ldr x16, [x28, #16]
                          0xf9400210,  // ldr x16, [x16]
                          0xf9400610,  // ldr x16, [x16, #8]
                          0xeb10005f,  // cmp x2, x16
                          0x54000028,  // b.hi oob (+1 word)
                      }));
}

}  // namespace
}  // namespace wt::jit::a64
