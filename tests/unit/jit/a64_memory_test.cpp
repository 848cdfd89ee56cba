// The aarch64 Masm's memory-0 loads and stores (masm_a64_memory.cpp): the address forms (on
// every host), the offset of the faulting instruction, and on aarch64 the loaded values
// (sign/zero extension, offsets that need each form) in bare functions called from C.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "jit/a64/masm_a64.h"

#if defined(__aarch64__)
#include <sys/mman.h>
#endif

namespace wt::jit::a64 {
namespace {

using wasm::Op;

const Reg kX0 = Reg::Gp(0), kX1 = Reg::Gp(1), kX2 = Reg::Gp(2);
const Reg kV0 = Reg::Fp(0), kV2 = Reg::Fp(2);

std::vector<uint32_t> MemWords(Masm& m) {
  EXPECT_EQ(m.error(), "");
  auto size = m.Finish();
  EXPECT_TRUE(size.ok());
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0).ok());
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!words.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

TEST(A64Memory, LoadAddressForms) {
  Masm m{CpuFeatures{}};
  std::vector<uint32_t> at;
  at.push_back(m.LoadMem(Op::I32Load, kX0, kX1, 0));
  at.push_back(m.LoadMem(Op::I64Load8S, kX0, kX1, 0));
  at.push_back(m.LoadMem(Op::I64Load, kX0, kX1, 8));
  at.push_back(m.LoadMem(Op::I64Load, kX0, kX1, 3));
  at.push_back(m.LoadMem(Op::F64Load, kV0, kX1, 0x12345));
  at.push_back(m.LoadMem(Op::I64Load32S, kX0, Reg::None(), 0x4000));
  at.push_back(m.LoadMem(Op::I32Load16U, kX0, Reg::None(), 0xFFFFFFFFull));
  EXPECT_EQ(MemWords(m), (std::vector<uint32_t>{
                             0xb8614b60,  // ldr w0, [x27, w1, uxtw]
                             0x38a14b60,  // ldrsb x0, [x27, w1, uxtw]
                             0x8b010370,  // add x16, x27, x1
                             0xf9400600,  // ldr x0, [x16, #8]
                             0x8b010370,  // add x16, x27, x1
                             0xf8403200,  // ldur x0, [x16, #3]
                             0xd28468b0,  // movz x16, #0x2345
                             0xf2a00030,  // movk x16, #0x1, lsl #16
                             0x8b010210,  // add x16, x16, x1
                             0xfc706b60,  // ldr d0, [x27, x16]
                             0xd2880010,  // movz x16, #0x4000 (0x4000/4 is not a uimm12)
                             0xb8b06b60,  // ldrsw x0, [x27, x16]
                             0xd29ffff0,  // movz x16, #0xffff
                             0xf2bffff0,  // movk x16, #0xffff, lsl #16
                             0x78706b60,  // ldrh w0, [x27, x16]
                         }));
  // The returned offsets are those of the accesses themselves (the trap table's pcs).
  EXPECT_EQ(at, (std::vector<uint32_t>{0, 4, 12, 20, 36, 44, 56}));
}

TEST(A64Memory, StoreAddressForms) {
  Masm m{CpuFeatures{}};
  std::vector<uint32_t> at;
  at.push_back(m.StoreMem(Op::I64Store16, kX1, 0, kX2));
  at.push_back(m.StoreMem(Op::F32Store, kX1, 17, kV2));
  at.push_back(m.StoreMem(Op::I32Store8, Reg::None(), 4095, kX2));
  at.push_back(m.StoreMem(Op::I64Store32, kX1, 4 * 4095, kX2));
  at.push_back(m.StoreMem(Op::F64Store, Reg::None(), 8, kV2));
  EXPECT_EQ(MemWords(m), (std::vector<uint32_t>{
                             0x78214b62,  // strh w2, [x27, w1, uxtw]
                             0x8b010370,  // add x16, x27, x1
                             0xbc011202,  // stur s2, [x16, #17]
                             0x393fff62,  // strb w2, [x27, #4095]
                             0x8b010370,  // add x16, x27, x1
                             0xb93ffe02,  // str w2, [x16, #16380]
                             0xfd000762,  // str d2, [x27, #8]
                         }));
  EXPECT_EQ(at, (std::vector<uint32_t>{0, 8, 12, 20, 24}));
}

#if defined(__aarch64__)

// A bare function (x0 = memory base, x1 = i32 address) that installs the base in x27 (saving
// the caller's in x2: x27 is callee-saved), accesses memory, and restores it.
class MemFn {
 public:
  // Loads `op` at [base + addr + offset] into x0 / v0.
  static MemFn Load(Op op, uint64_t offset, bool const_addr = false) {
    MemFn f;
    bool fp = op == Op::F32Load || op == Op::F64Load;
    f.Enter();
    f.m_.LoadMem(op, fp ? kV0 : kX0, const_addr ? Reg::None() : kX1, offset);
    f.Leave();
    return f;
  }
  // Stores x3 / v0 with `op` at [base + addr + offset].
  static MemFn Store(Op op, uint64_t offset) {
    MemFn f;
    bool fp = op == Op::F32Store || op == Op::F64Store;
    f.Enter();
    f.m_.StoreMem(op, kX1, offset, fp ? kV0 : Reg::Gp(3));
    f.Leave();
    return f;
  }
  MemFn(MemFn&& o) noexcept : mem_(o.mem_), size_(o.size_) { o.mem_ = nullptr; }
  ~MemFn() {
    if (mem_) munmap(mem_, size_);
  }
  template <typename F>
  F Fn() const {
    return reinterpret_cast<F>(mem_);
  }

 private:
  MemFn() = default;
  void Enter() {
    m_.Move(JType::kRef, kX2, Masm::kMemBase);
    m_.Move(JType::kRef, Masm::kMemBase, kX0);
  }
  void Leave() {
    m_.Move(JType::kRef, Masm::kMemBase, kX2);
    m_.RawRet();
    EXPECT_EQ(m_.error(), "");
    auto size = m_.Finish();
    if (!size.ok()) return;
    size_ = (*size + 4095) & ~size_t{4095};
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    mem_ = static_cast<uint8_t*>(p);
    EXPECT_TRUE(m_.CopyTo(mem_, *size, reinterpret_cast<uint64_t>(mem_)).ok());
    __builtin___clear_cache(reinterpret_cast<char*>(mem_), reinterpret_cast<char*>(mem_ + *size));
    mprotect(mem_, size_, PROT_READ | PROT_EXEC);
  }
  Masm m_{CpuFeatures{}};
  uint8_t* mem_ = nullptr;
  size_t size_ = 0;
};

TEST(A64MemoryRun, LoadsExtendAsTheirOp) {
  alignas(16) static uint8_t heap[0x20000];
  for (size_t i = 0; i < sizeof heap; ++i) heap[i] = static_cast<uint8_t>(0x80 + i * 7);
  auto at = [&](size_t i, size_t n) {
    uint64_t v = 0;
    std::memcpy(&v, heap + i, n);
    return v;
  };
  using LoadFn = uint64_t (*)(uint8_t*, uint64_t);
  struct Case {
    Op op;
    uint64_t offset;
    uint64_t addr;
  };
  // Offsets that take each form: 0 (register offset), scaled, unscaled, materialized.
  for (Case c : {Case{Op::I32Load, 0, 5}, Case{Op::I32Load, 8, 5}, Case{Op::I32Load, 3, 5},
                 Case{Op::I32Load, 0x12345, 7}, Case{Op::I64Load, 0x10001, 1}}) {
    MemFn f = MemFn::Load(c.op, c.offset);
    size_t n = c.op == Op::I64Load ? 8 : 4;
    EXPECT_EQ(f.Fn<LoadFn>()(heap, c.addr), at(c.addr + c.offset, n))
        << static_cast<int>(c.op) << " +" << c.offset;
  }
  // Sign and zero extension (heap[3] = 0x95, heap[4..5] = 0x9c 0xa3: negative).
  EXPECT_EQ(MemFn::Load(Op::I32Load8S, 0).Fn<LoadFn>()(heap, 3), 0xffffff95u);
  EXPECT_EQ(MemFn::Load(Op::I64Load8S, 0).Fn<LoadFn>()(heap, 3), 0xffffffffffffff95ull);
  EXPECT_EQ(MemFn::Load(Op::I64Load8U, 1).Fn<LoadFn>()(heap, 2), 0x95u);
  EXPECT_EQ(MemFn::Load(Op::I32Load16S, 0).Fn<LoadFn>()(heap, 4), 0xffffa39cu);
  EXPECT_EQ(MemFn::Load(Op::I64Load16U, 0).Fn<LoadFn>()(heap, 4), 0xa39cu);
  EXPECT_EQ(MemFn::Load(Op::I64Load32S, 2).Fn<LoadFn>()(heap, 2),
            static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(at(4, 4)))));
  EXPECT_EQ(MemFn::Load(Op::I64Load32U, 0x4000, true).Fn<LoadFn>()(heap, 0), at(0x4000, 4));
  auto fl = MemFn::Load(Op::F64Load, 9);
  double d = fl.Fn<double (*)(uint8_t*, uint64_t)>()(heap, 7);
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  EXPECT_EQ(bits, at(16, 8));
}

TEST(A64MemoryRun, StoresWriteTheirWidth) {
  alignas(16) static uint8_t heap[0x20000];
  std::memset(heap, 0, sizeof heap);
  using StoreFn = void (*)(uint8_t*, uint64_t, uint64_t, uint64_t);
  MemFn::Store(Op::I64Store16, 0x12345).Fn<StoreFn>()(heap, 3, 0, 0x1122334455667788ull);
  EXPECT_EQ(heap[0x12348], 0x88);
  EXPECT_EQ(heap[0x12349], 0x77);
  EXPECT_EQ(heap[0x1234a], 0);
  MemFn::Store(Op::I32Store8, 1).Fn<StoreFn>()(heap, 0, 0, 0xabcd);
  EXPECT_EQ(heap[1], 0xcd);
  EXPECT_EQ(heap[2], 0);
  MemFn::Store(Op::I64Store, 5).Fn<StoreFn>()(heap, 0x100, 0, 0x0102030405060708ull);
  uint64_t v;
  std::memcpy(&v, heap + 0x105, 8);
  EXPECT_EQ(v, 0x0102030405060708ull);
}

#endif  // __aarch64__

}  // namespace
}  // namespace wt::jit::a64
