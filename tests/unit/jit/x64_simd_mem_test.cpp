// v128 loads and stores at the Masm level (masm_x64_simd_mem.cpp): every op, every lane, on
// every ISA level the host has, with the address in a register or folded into the offset, at
// unaligned addresses, with REX registers, and with an offset beyond a disp32 (the address
// computed in r11). r14 (memory 0's base) is pointed at a test buffer inside the function.
#include <gtest/gtest.h>

#include <random>

#include "simd_test_util.h"

namespace wt::jit::testing {
namespace {

using wasm::Op;

constexpr int kHeap = 96;

// The function: void f(const V128* in, V128* out, uint64_t heap). in[0] is the vector operand
// (the old vector of a lane load, the stored value); out[0] gets the loaded vector; r14 is
// saved in out[2] and set to `heap` (minus `bias`, added back by the offset).
struct MemCase {
  Reg v;     // the vector register
  Reg addr;  // None: the whole address in the offset
};

std::vector<MemCase> MemCases() {
  auto x = [](unsigned n) { return Reg::Fp(n); };
  return {{x(1), x64::reg::rax}, {x(9), x64::reg::r9}, {x(14), Reg::None()}, {x(0), x64::reg::rcx}};
}

std::unique_ptr<SimdFn> AssembleMem(const CpuFeatures& cpu, const MemCase& c, Op op, bool store,
                                    uint32_t ea, uint64_t bias, uint32_t lane, uint32_t* fault_at) {
  return std::make_unique<SimdFn>(cpu, [&](x64::Masm& m) {
    const Reg in = x64::reg::rdi, out = x64::reg::rsi, heap = x64::reg::rdx;
    m.Store(JType::kI64, Mem{out, 32}, x64::reg::r14);
    m.Move(JType::kI64, x64::reg::r14, heap);
    if (bias != 0) {
      m.LoadConst(JType::kI64, x64::reg::r8, bias);
      m.IntBinop(Op::I64Sub, x64::reg::r14, x64::reg::r14, x64::reg::r8);
    }
    m.Load(JType::kV128, c.v, Mem{in, 0});
    uint64_t offset = bias + ea;
    if (c.addr.valid()) {
      // Split the address between the register and the offset.
      uint32_t in_reg = ea / 2;
      m.LoadConst(JType::kI32, c.addr, in_reg);
      offset -= in_reg;
    }
    if (store) {
      *fault_at = m.StoreMemV128(op, c.addr, offset, c.v, lane);
    } else {
      *fault_at = m.LoadMemV128(op, c.v, c.addr, offset, lane);
      m.Store(JType::kV128, Mem{out, 0}, c.v);
    }
    m.Load(JType::kI64, x64::reg::r14, Mem{out, 32});
  });
}

template <typename T>
T Read(const uint8_t* p) {
  T x;
  std::memcpy(&x, p, sizeof(T));
  return x;
}

// The reference of a load: `old` is the vector operand (lane loads).
V128 RefLoad(Op op, const uint8_t* p, V128 old, uint32_t lane) {
  V128 r;
  switch (op) {
    case Op::V128Load:
      std::memcpy(&r.lo, p, 8);
      std::memcpy(&r.hi, p + 8, 8);
      return r;
    case Op::V128Load8x8S:
      for (int i = 0; i < 8; ++i) SetLane<int16_t>(r, i, Read<int8_t>(p + i));
      return r;
    case Op::V128Load8x8U:
      for (int i = 0; i < 8; ++i) SetLane<uint16_t>(r, i, Read<uint8_t>(p + i));
      return r;
    case Op::V128Load16x4S:
      for (int i = 0; i < 4; ++i) SetLane<int32_t>(r, i, Read<int16_t>(p + 2 * i));
      return r;
    case Op::V128Load16x4U:
      for (int i = 0; i < 4; ++i) SetLane<uint32_t>(r, i, Read<uint16_t>(p + 2 * i));
      return r;
    case Op::V128Load32x2S:
      for (int i = 0; i < 2; ++i) SetLane<int64_t>(r, i, Read<int32_t>(p + 4 * i));
      return r;
    case Op::V128Load32x2U:
      for (int i = 0; i < 2; ++i) SetLane<uint64_t>(r, i, Read<uint32_t>(p + 4 * i));
      return r;
    case Op::V128Load8Splat:
      for (int i = 0; i < 16; ++i) SetLane<uint8_t>(r, i, Read<uint8_t>(p));
      return r;
    case Op::V128Load16Splat:
      for (int i = 0; i < 8; ++i) SetLane<uint16_t>(r, i, Read<uint16_t>(p));
      return r;
    case Op::V128Load32Splat:
      for (int i = 0; i < 4; ++i) SetLane<uint32_t>(r, i, Read<uint32_t>(p));
      return r;
    case Op::V128Load64Splat:
      for (int i = 0; i < 2; ++i) SetLane<uint64_t>(r, i, Read<uint64_t>(p));
      return r;
    case Op::V128Load32Zero:
      SetLane<uint32_t>(r, 0, Read<uint32_t>(p));
      return r;
    case Op::V128Load64Zero:
      SetLane<uint64_t>(r, 0, Read<uint64_t>(p));
      return r;
    case Op::V128Load8Lane:
      SetLane<uint8_t>(old, static_cast<int>(lane), Read<uint8_t>(p));
      return old;
    case Op::V128Load16Lane:
      SetLane<uint16_t>(old, static_cast<int>(lane), Read<uint16_t>(p));
      return old;
    case Op::V128Load32Lane:
      SetLane<uint32_t>(old, static_cast<int>(lane), Read<uint32_t>(p));
      return old;
    case Op::V128Load64Lane:
      SetLane<uint64_t>(old, static_cast<int>(lane), Read<uint64_t>(p));
      return old;
    default:
      ADD_FAILURE() << "no reference for " << wasm::OpText(op);
      return r;
  }
}

// The bytes a store writes (`n` of them).
int RefStore(Op op, V128 v, uint32_t lane, uint8_t* bytes) {
  uint8_t all[16];
  std::memcpy(all, &v.lo, 8);
  std::memcpy(all + 8, &v.hi, 8);
  int n = 16;
  switch (op) {
    case Op::V128Store:
      lane = 0;
      break;
    case Op::V128Store8Lane:
      n = 1;
      break;
    case Op::V128Store16Lane:
      n = 2;
      break;
    case Op::V128Store32Lane:
      n = 4;
      break;
    case Op::V128Store64Lane:
      n = 8;
      break;
    default:
      ADD_FAILURE() << "no reference for " << wasm::OpText(op);
      return 0;
  }
  std::memcpy(bytes, all + lane * n, n);
  return n;
}

uint32_t LaneCountOf(Op op) {
  return wasm::LaneCount(wasm::GetOpInfo(op).imm);
}

void CheckMemOp(Op op, bool store) {
  uint32_t lanes = std::max<uint32_t>(1, LaneCountOf(op));
  std::mt19937_64 rng(7);
  int failures = 0;
  for (const IsaLevel& level : SimdLevels()) {
    for (const MemCase& c : MemCases()) {
      for (uint64_t bias : {uint64_t{0}, uint64_t{0x80000000}}) {
        for (uint32_t lane = 0; lane < lanes; ++lane) {
          for (uint32_t ea : {0u, 1u, 7u, 13u, 32u, 63u}) {
            uint32_t fault_at = 0;
            auto fn = AssembleMem(level.cpu, c, op, store, ea, bias, lane, &fault_at);
            std::string what = std::string(wasm::OpText(op)) + " [" + level.name + ", xmm" +
                               std::to_string(c.v.hw()) + (c.addr.valid() ? ", reg" : ", const") +
                               ", ea " + std::to_string(ea) + ", lane " + std::to_string(lane) +
                               (bias ? ", big offset" : "") + "]";
            ASSERT_TRUE(fn->ok()) << what << ": " << fn->error();
            EXPECT_GT(fault_at, 0u) << what;
            for (int round = 0; round < 3 && failures < 5; ++round) {
              uint8_t heap[kHeap], before[kHeap];
              for (uint8_t& b : heap) b = static_cast<uint8_t>(rng());
              std::memcpy(before, heap, kHeap);
              V128 in[4] = {V128{rng(), rng()}};
              V128 out[3] = {};
              (*fn)(in, out, reinterpret_cast<uint64_t>(heap));
              if (store) {
                uint8_t want[kHeap];
                std::memcpy(want, before, kHeap);
                RefStore(op, in[0], lane, want + ea);
                if (std::memcmp(want, heap, kHeap) != 0) {
                  ++failures;
                  ADD_FAILURE() << what << ": wrong bytes stored for " << Hex(in[0]);
                }
              } else {
                V128 want = RefLoad(op, before + ea, in[0], lane);
                if (!(want == out[0])) {
                  ++failures;
                  ADD_FAILURE() << what << ": want " << Hex(want) << " got " << Hex(out[0]);
                }
                if (std::memcmp(before, heap, kHeap) != 0) {
                  ++failures;
                  ADD_FAILURE() << what << ": a load wrote memory";
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST(X64SimdMem, Loads) {
  for (Op op :
       {Op::V128Load, Op::V128Load8x8S, Op::V128Load8x8U, Op::V128Load16x4S, Op::V128Load16x4U,
        Op::V128Load32x2S, Op::V128Load32x2U, Op::V128Load8Splat, Op::V128Load16Splat,
        Op::V128Load32Splat, Op::V128Load64Splat, Op::V128Load32Zero, Op::V128Load64Zero}) {
    CheckMemOp(op, false);
  }
}

TEST(X64SimdMem, LaneLoads) {
  for (Op op : {Op::V128Load8Lane, Op::V128Load16Lane, Op::V128Load32Lane, Op::V128Load64Lane})
    CheckMemOp(op, false);
}

TEST(X64SimdMem, Stores) {
  for (Op op : {Op::V128Store, Op::V128Store8Lane, Op::V128Store16Lane, Op::V128Store32Lane,
                Op::V128Store64Lane}) {
    CheckMemOp(op, true);
  }
}

}  // namespace
}  // namespace wt::jit::testing
