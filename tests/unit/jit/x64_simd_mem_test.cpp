// v128 loads and stores at the Masm level (masm_x64_simd_mem.cpp): every op, every lane, on
// every ISA level the host has, with the address in a register or folded into the offset, at
// unaligned addresses, with REX registers, and with an offset beyond a disp32 (the address
// computed in r11). r14 (memory 0's base) is pointed at a test buffer inside the function.
// Then the same ops through the compiler (compiler_simd.h): register and folded constant
// addresses, lane operands, dead code, register pressure with temporaries.
#include <gtest/gtest.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <random>

#include "jit_test_util.h"
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

// The offset each op returns is the instruction that faults: with the access on a PROT_NONE
// page, the pc of the SIGSEGV must be code + that offset (the trap table maps exactly that pc
// to "out of bounds memory access"). Covers the r11 address of a large offset too.
sigjmp_buf g_fault_jmp;
volatile uintptr_t g_fault_pc = 0;

void OnFault(int, siginfo_t*, void* ctx) {
  g_fault_pc = static_cast<uintptr_t>(static_cast<ucontext_t*>(ctx)->uc_mcontext.gregs[REG_RIP]);
  siglongjmp(g_fault_jmp, 1);
}

// Runs `fn`, which must fault; returns the pc of the fault (0: it did not fault).
[[gnu::noinline]] uintptr_t FaultPc(const SimdFn& fn, const V128* in, V128* out, uint64_t heap) {
  g_fault_pc = 0;
  if (sigsetjmp(g_fault_jmp, 1) == 0) fn(in, out, heap);
  return g_fault_pc;
}

TEST(X64SimdMem, FaultingInstructionOffsets) {
  const size_t page = 4096;
  void* p = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  auto* base = static_cast<uint8_t*>(p);
  ASSERT_EQ(mprotect(base + page, page, PROT_NONE), 0);
  struct sigaction sa = {}, old_segv = {}, old_bus = {};
  sa.sa_sigaction = OnFault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
  const Op ops[] = {
      Op::V128Load,        Op::V128Load8x8S,    Op::V128Load16x4U,   Op::V128Load32x2S,
      Op::V128Load8Splat,  Op::V128Load16Splat, Op::V128Load32Splat, Op::V128Load64Splat,
      Op::V128Load32Zero,  Op::V128Load64Zero,  Op::V128Load8Lane,   Op::V128Load16Lane,
      Op::V128Load32Lane,  Op::V128Load64Lane,  Op::V128Store,       Op::V128Store8Lane,
      Op::V128Store16Lane, Op::V128Store32Lane, Op::V128Store64Lane};
  for (const IsaLevel& level : SimdLevels()) {
    for (const MemCase& c : MemCases()) {
      for (uint64_t bias : {uint64_t{0}, uint64_t{0x80000000}}) {
        for (Op op : ops) {
          bool store =
              op == Op::V128Store || (op >= Op::V128Store8Lane && op <= Op::V128Store64Lane);
          uint32_t lane = std::max<uint32_t>(1, LaneCountOf(op)) - 1;
          const uint32_t ea = 13;
          uint32_t fault_at = 0;
          auto fn = AssembleMem(level.cpu, c, op, store, ea, bias, lane, &fault_at);
          ASSERT_TRUE(fn->ok()) << fn->error();
          V128 in[4] = {V128{1, 2}};
          V128 out[3] = {};
          // The access starts on the guard page (heap + ea == base + page).
          uint64_t heap = reinterpret_cast<uint64_t>(base + page) - ea;
          uintptr_t pc = FaultPc(*fn, in, out, heap);
          uintptr_t want = reinterpret_cast<uintptr_t>(fn->code()) + fault_at;
          EXPECT_EQ(pc, want) << wasm::OpText(op) << " [" << level.name << ", xmm" << c.v.hw()
                              << (c.addr.valid() ? ", reg" : ", const")
                              << (bias ? ", big offset" : "") << "]: fault at code+"
                              << (pc - reinterpret_cast<uintptr_t>(fn->code())) << ", op returned "
                              << fault_at;
        }
      }
    }
  }
  sigaction(SIGSEGV, &old_segv, nullptr);
  sigaction(SIGBUS, &old_bus, nullptr);
  munmap(p, 2 * page);
}

// --- Through the compiler --------------------------------------------------------------

runtime::ValueSlot Slot(V128 v) {
  runtime::ValueSlot s{};
  std::memcpy(s.v128, &v.lo, 8);
  std::memcpy(s.v128 + 8, &v.hi, 8);
  return s;
}
V128 FromSlot(const runtime::ValueSlot& s) {
  V128 v;
  std::memcpy(&v.lo, s.v128, 8);
  std::memcpy(&v.hi, s.v128 + 8, 8);
  return v;
}

struct NamedOp {
  Op op;
  const char* text;
};

const NamedOp kLoads[] = {
    {Op::V128Load, "v128.load"},
    {Op::V128Load8x8S, "v128.load8x8_s"},
    {Op::V128Load8x8U, "v128.load8x8_u"},
    {Op::V128Load16x4S, "v128.load16x4_s"},
    {Op::V128Load16x4U, "v128.load16x4_u"},
    {Op::V128Load32x2S, "v128.load32x2_s"},
    {Op::V128Load32x2U, "v128.load32x2_u"},
    {Op::V128Load8Splat, "v128.load8_splat"},
    {Op::V128Load16Splat, "v128.load16_splat"},
    {Op::V128Load32Splat, "v128.load32_splat"},
    {Op::V128Load64Splat, "v128.load64_splat"},
    {Op::V128Load32Zero, "v128.load32_zero"},
    {Op::V128Load64Zero, "v128.load64_zero"},
};

const std::pair<NamedOp, NamedOp> kLaneOps[] = {
    {{Op::V128Load8Lane, "v128.load8_lane"}, {Op::V128Store8Lane, "v128.store8_lane"}},
    {{Op::V128Load16Lane, "v128.load16_lane"}, {Op::V128Store16Lane, "v128.store16_lane"}},
    {{Op::V128Load32Lane, "v128.load32_lane"}, {Op::V128Store32Lane, "v128.store32_lane"}},
    {{Op::V128Load64Lane, "v128.load64_lane"}, {Op::V128Store64Lane, "v128.store64_lane"}},
};

// Each load with the address in a register (param) and as a constant (folded into the
// displacement), each lane load/store at its first and last lane, and v128.store, all with an
// offset immediate.
std::string MemModule() {
  std::string w = "(module (memory 1)\n";
  for (const NamedOp& l : kLoads) {
    std::string t = l.text;
    w += "(func (export \"r " + t + "\") (param i32) (result v128) (" + t +
         " offset=3 (local.get 0)))\n";
    w += "(func (export \"c " + t + "\") (result v128) (" + t + " offset=3 (i32.const 37)))\n";
  }
  for (const auto& [ld, st] : kLaneOps) {
    uint32_t n = LaneCountOf(ld.op);
    for (uint32_t lane : {0u, n - 1}) {
      std::string L = std::to_string(lane), lt = ld.text, stt = st.text;
      w += "(func (export \"r " + lt + " " + L + "\") (param i32 v128) (result v128) (" + lt +
           " offset=3 " + L + " (local.get 0) (local.get 1)))\n";
      w += "(func (export \"c " + lt + " " + L + "\") (param v128) (result v128) (" + lt +
           " offset=3 " + L + " (i32.const 37) (local.get 0)))\n";
      w += "(func (export \"r " + stt + " " + L + "\") (param i32 v128) (" + stt + " offset=3 " +
           L + " (local.get 0) (local.get 1)))\n";
      w += "(func (export \"c " + stt + " " + L + "\") (param v128) (" + stt + " offset=3 " + L +
           " (i32.const 37) (local.get 0)))\n";
    }
  }
  w += "(func (export \"r v128.store\") (param i32 v128) (v128.store offset=3 (local.get 0) "
       "(local.get 1)))\n";
  w += "(func (export \"c v128.store\") (param v128) (v128.store offset=3 (i32.const 37) "
       "(local.get 0)))\n";
  return w + ")";
}

TEST(SimdCompiler, MemoryOpsWithRegisterAndConstantAddresses) {
  WT_JIT(m, MemModule());
  uint8_t* mem = m.memory();
  std::mt19937_64 rng(3);
  auto fill = [&] {
    for (int i = 0; i < 256; ++i) mem[i] = static_cast<uint8_t>(rng());
  };
  for (const NamedOp& l : kLoads) {
    fill();
    V128 want = RefLoad(l.op, mem + 40, V128{}, 0);
    EXPECT_EQ(Hex(FromSlot(m.Call(std::string("r ") + l.text, {I32(37)})[0])), Hex(want)) << l.text;
    EXPECT_EQ(Hex(FromSlot(m.Call(std::string("c ") + l.text)[0])), Hex(want)) << l.text;
  }
  for (const auto& [ld, st] : kLaneOps) {
    uint32_t n = LaneCountOf(ld.op);
    for (uint32_t lane : {0u, n - 1}) {
      std::string L = " " + std::to_string(lane);
      fill();
      V128 old{rng(), rng()};
      V128 want = RefLoad(ld.op, mem + 40, old, lane);
      EXPECT_EQ(Hex(FromSlot(m.Call("r " + std::string(ld.text) + L, {I32(37), Slot(old)})[0])),
                Hex(want))
          << ld.text << L;
      EXPECT_EQ(Hex(FromSlot(m.Call("c " + std::string(ld.text) + L, {Slot(old)})[0])), Hex(want))
          << ld.text << L;
      for (bool reg : {true, false}) {
        fill();
        uint8_t before[256];
        std::memcpy(before, mem, 256);
        V128 v{rng(), rng()};
        if (reg)
          m.Call("r " + std::string(st.text) + L, {I32(37), Slot(v)});
        else
          m.Call("c " + std::string(st.text) + L, {Slot(v)});
        RefStore(st.op, v, lane, before + 40);
        EXPECT_EQ(std::memcmp(before, mem, 256), 0) << st.text << L << (reg ? " reg" : " const");
      }
    }
  }
  for (bool reg : {true, false}) {
    fill();
    uint8_t before[256];
    std::memcpy(before, mem, 256);
    V128 v{rng(), rng()};
    if (reg)
      m.Call("r v128.store", {I32(37), Slot(v)});
    else
      m.Call("c v128.store", {Slot(v)});
    RefStore(Op::V128Store, v, 0, before + 40);
    EXPECT_EQ(std::memcmp(before, mem, 256), 0) << "v128.store" << (reg ? " reg" : " const");
  }
}

// More live v128 values than XMM registers, an op with temporaries (f32x4.min) on each, a
// lane op, dead SIMD code after br, and a constant splat folded into a pool constant.
TEST(SimdCompiler, PressureDeadCodeAndConstants) {
  std::string w = "(module (memory 1)\n(func (export \"press\") (param i32) (result f32)\n";
  const int n = 20;
  for (int i = 0; i < n; ++i)
    w += "  (v128.load offset=" + std::to_string(16 * i) + " (local.get 0))\n";
  for (int i = 0; i < n - 1; ++i) w += "  f32x4.min\n";
  w += "  (f32x4.extract_lane 2))\n";
  w += "(func (export \"dead\") (param i32) (result i32)\n"
       "  (block (result i32) (br 0 (local.get 0))\n"
       "    (i32.const 0) (v128.const i32x4 1 2 3 4) (v128.and (v128.const i32x4 1 1 1 1))\n"
       "    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 0 0))\n"
       "    (v128.store) (i32.const 5)))\n";
  w += "(func (export \"splat\") (result v128)\n"
       "  (v128.xor (i32x4.splat (i32.const 0x01020304)) (f64x2.splat (f64.const -0))))\n)";
  WT_JIT(m, w);
  auto* f = reinterpret_cast<float*>(m.memory() + 64);
  std::mt19937 rng(5);
  float want[4] = {1e30f, 1e30f, 1e30f, 1e30f};
  for (int i = 0; i < 4 * n; ++i) {
    f[i] = static_cast<float>(rng() % 100000) / 7.0f;
    want[i % 4] = std::min(want[i % 4], f[i]);
  }
  EXPECT_EQ(m.Call("press", {I32(64)})[0].f32, want[2]);
  EXPECT_EQ(m.CallI32("dead", {I32(9)}), 9u);
  V128 s = FromSlot(m.Call("splat")[0]);
  EXPECT_EQ(Hex(s), Hex(V128{0x8102030401020304ull, 0x8102030401020304ull}));
}

}  // namespace
}  // namespace wt::jit::testing
