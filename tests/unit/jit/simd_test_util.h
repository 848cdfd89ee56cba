// Masm-level SIMD test harness: assembles one bare function per (ISA level, register layout,
// op) with x64::Masm, runs it on many input vectors, and compares with a scalar reference
// (simd_reference.h). No compiler involved: each SIMD family tests its ops directly.
//
//   void f(const V128* in, V128* out, uint64_t gp)      rdi = in, rsi = out, rdx = gp
//
// The body loads in[0], in[1], in[2] into the layout's a, b, c registers, fills a fresh dst and
// the temps with junk (in[3]), puts junk in rax, runs the op, and stores the dst register to
// out[0] and rax (the GP result register) to out[1].lo.
//
// Example (a binop):
//   CheckVOp("i32x4.add", 2, Shape::kI32,
//            [](x64::Masm& m, const VRegs& r) {
//              m.SimdBinop(wasm::Op::I32x4Add, r.dst, r.a, r.b, r.t);
//            },
//            [](const V128* in) { return Map2<uint32_t>(in[0], in[1], std::plus<>()); });
#pragma once

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "jit/x64/masm_x64.h"
#include "simd_reference.h"
#include "wasm/opcodes.h"

namespace wt::jit::testing {

using x64::CpuFeatures;

struct IsaLevel {
  const char* name;
  CpuFeatures cpu;
};

// The ISA levels this host can run, lowest first: "sse4.1" (SSSE3 + SSE4.1 only), "sse4.2",
// "avx", "avx2" (with FMA when the host has it).
inline std::vector<IsaLevel> SimdLevels() {
  CpuFeatures host = x64::HostCpuFeatures();
  std::vector<IsaLevel> out;
  if (!host.sse41 || !host.ssse3) return out;
  CpuFeatures f = host;
  f.sse42 = f.avx = f.avx2 = f.fma = false;
  out.push_back({"sse4.1", f});
  if (host.sse42) {
    f.sse42 = true;
    out.push_back({"sse4.2", f});
  }
  if (host.avx) {
    f.avx = true;
    out.push_back({"avx", f});
  }
  if (host.avx2) {
    f.avx2 = true;
    f.fma = host.fma;
    out.push_back({"avx2", f});
  }
  return out;
}

// Operand registers of one test function. gp_in is rdx (holds the `gp` argument), gp_out rax.
struct VRegs {
  const char* name;
  Reg dst, a, b, c;
  VTemps t;
  Reg gp_in = x64::reg::rdx;
  Reg gp_out = x64::reg::rax;
};

// Layouts covering dst fresh, dst == a, dst == b, dst == c, a == b, and high registers (REX/VEX
// extended encodings).
inline std::vector<VRegs> AliasLayouts() {
  auto x = [](unsigned n) { return Reg::Fp(n); };
  return {
      {"fresh", x(4), x(1), x(2), x(3), {x(5), x(6)}},
      {"dst=a", x(1), x(1), x(2), x(3), {x(5), x(6)}},
      {"dst=b", x(2), x(1), x(2), x(3), {x(5), x(6)}},
      {"dst=c", x(3), x(1), x(2), x(3), {x(5), x(6)}},
      {"a=b", x(4), x(1), x(1), x(3), {x(5), x(6)}},
      {"high", x(12), x(9), x(10), x(11), {x(13), x(14)}},
      {"high,dst=b", x(10), x(8), x(10), x(0), {x(13), x(14)}},
  };
}

// Executable copy of one assembled function.
class SimdFn {
 public:
  using Fn = void (*)(const V128* in, V128* out, uint64_t gp);

  SimdFn(const CpuFeatures& cpu, const std::function<void(x64::Masm&)>& body) {
    x64::Masm m(cpu);
    body(m);
    m.RawRet();
    auto size = m.Finish();
    if (!size.ok()) {
      error_ = size.error().message;
      return;
    }
    size_ = (*size + 4095) & ~size_t{4095};
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      error_ = "mmap failed";
      return;
    }
    mem_ = static_cast<uint8_t*>(p);
    auto st = m.CopyTo(mem_, size_, reinterpret_cast<uint64_t>(mem_));
    if (!st.ok()) {
      error_ = st.error().message;
      return;
    }
    mprotect(mem_, size_, PROT_READ | PROT_EXEC);
    fn_ = reinterpret_cast<Fn>(mem_);
  }
  ~SimdFn() {
    if (mem_ != nullptr) munmap(mem_, size_);
  }
  SimdFn(const SimdFn&) = delete;
  SimdFn& operator=(const SimdFn&) = delete;

  bool ok() const { return fn_ != nullptr; }
  // Where the code starts (the function is at offset 0): for mapping a pc to a code offset.
  const uint8_t* code() const { return mem_; }
  const std::string& error() const { return error_; }
  void operator()(const V128* in, V128* out, uint64_t gp) const { fn_(in, out, gp); }

 private:
  uint8_t* mem_ = nullptr;
  size_t size_ = 0;
  Fn fn_ = nullptr;
  std::string error_;
};

// Assembles the standard test function around `emit` (see the top of this file).
inline std::unique_ptr<SimdFn> AssembleVOp(
    const CpuFeatures& cpu, const VRegs& r, int num_inputs,
    const std::function<void(x64::Masm&, const VRegs&)>& emit) {
  return std::make_unique<SimdFn>(cpu, [&](x64::Masm& m) {
    const Reg in = x64::reg::rdi, out = x64::reg::rsi;
    const Reg inputs[3] = {r.a, r.b, r.c};
    // Junk first, then the inputs (so an aliased register ends up holding its input).
    for (Reg j : {r.dst, r.t.t0, r.t.t1}) {
      if (j.valid()) m.Load(JType::kV128, j, Mem{in, 48});
    }
    for (int i = 0; i < num_inputs; ++i) m.Load(JType::kV128, inputs[i], Mem{in, 16 * i});
    m.LoadConst(JType::kI64, r.gp_out, 0xDEADBEEFCAFEF00Dull);
    emit(m, r);
    m.Store(JType::kV128, Mem{out, 0}, r.dst);
    m.Store(JType::kI64, Mem{out, 16}, r.gp_out);
  });
}

// The inputs as the function sees them: when a layout gives two inputs the same register,
// the later load wins, so both read that input.
inline void EffectiveInputs(const VRegs& r, int num_inputs, V128 in[4]) {
  const Reg regs[3] = {r.a, r.b, r.c};
  for (int i = 0; i < num_inputs; ++i) {
    for (int j = num_inputs - 1; j > i; --j) {
      if (regs[j] == regs[i]) {
        in[i] = in[j];
        break;
      }
    }
  }
}

// Whether the checks skip layout r for an op of num_inputs inputs: dst shares the register of
// an input the op does not read (and of none it reads).
inline bool SkipLayout(const VRegs& r, int num_inputs) {
  if (num_inputs < 3 && r.dst == r.c && !(r.dst == r.a) && !(r.dst == r.b)) return true;
  return num_inputs < 2 && r.dst == r.b && !(r.dst == r.a);
}

// The inputs of case k over vectors vs as the function sees them: in[i] =
// vs[(k * (i + 1) + i) % n] (so pairs differ), junk in in[3], then EffectiveInputs.
inline void CaseInputs(const std::vector<V128>& vs, size_t k, const VRegs& r, int num_inputs,
                       V128 in[4]) {
  for (int i = 0; i < 3; ++i) in[i] = vs[(k * (i + 1) + i) % vs.size()];
  in[3] = V128{0x0123456789ABCDEFull, 0xFEDCBA9876543210ull};
  EffectiveInputs(r, num_inputs, in);
}

using VRef = std::function<V128(const V128* in)>;
using VMatch = std::function<bool(const V128& want, const V128& got)>;
inline bool ExactMatch(const V128& want, const V128& got) {
  return want == got;
}

// Checks a vector-result op on every ISA level and layout, over InputVectors(shape) combined
// into num_inputs operands (in[i] = vectors[(k * (i + 1) + i) % n], so pairs differ). Reports
// at most 5 mismatches per op.
inline void CheckVOp(const std::string& what, int num_inputs, Shape shape,
                     const std::function<void(x64::Masm&, const VRegs&)>& emit, const VRef& ref,
                     const VMatch& match = ExactMatch, uint64_t gp = 0,
                     const std::vector<VRegs>& layouts = AliasLayouts()) {
  std::vector<V128> vs = InputVectors(shape);
  size_t n = vs.size();
  int failures = 0;
  for (const IsaLevel& level : SimdLevels()) {
    for (const VRegs& r : layouts) {
      if (SkipLayout(r, num_inputs)) continue;
      auto fn = AssembleVOp(level.cpu, r, num_inputs, emit);
      if (!fn->ok()) {
        ADD_FAILURE() << what << " [" << level.name << ", " << r.name << "]: " << fn->error();
        return;
      }
      for (size_t k = 0; k < n && failures < 5; ++k) {
        V128 in[4];
        CaseInputs(vs, k, r, num_inputs, in);
        V128 out[3];
        (*fn)(in, out, gp);
        V128 want = ref(in);
        if (!match(want, out[0])) {
          ++failures;
          std::string ins;
          for (int i = 0; i < num_inputs; ++i) ins.append(1, ' ').append(Hex(in[i]));
          ADD_FAILURE() << what << " [" << level.name << ", " << r.name << "] inputs" << ins
                        << ": want " << Hex(want) << " got " << Hex(out[0]);
        }
      }
    }
  }
}

// The op's temps as the compiler would give them: only as many as SimdTemps asks for.
inline VTemps TempsFor(const x64::Masm& m, wasm::Op op, const VRegs& r) {
  VTemps t;
  int n = m.SimdTemps(op);
  EXPECT_LE(n, 2);
  if (n >= 1) t.t0 = r.t.t0;
  if (n >= 2) t.t1 = r.t.t1;
  return t;
}

// CheckVOp of a SimdBinop / SimdUnop op with the temps it asks for (TempsFor).
inline void Bin(wasm::Op op, Shape shape, const VRef& ref) {
  CheckVOp(
      wasm::OpText(op), 2, shape,
      [op](x64::Masm& m, const VRegs& r) { m.SimdBinop(op, r.dst, r.a, r.b, TempsFor(m, op, r)); },
      ref);
}

inline void Un(wasm::Op op, Shape shape, const VRef& ref) {
  CheckVOp(
      wasm::OpText(op), 1, shape,
      [op](x64::Masm& m, const VRegs& r) { m.SimdUnop(op, r.dst, r.a, TempsFor(m, op, r)); }, ref);
}

// Runs `emit` with xmm0..xmm14 and rax, rcx, rdx, r8..r10 holding known values, and checks
// that afterwards every one of them but those `may_change` accepts holds it still (xmm15 and
// r11 are the Masm's). `what`, `level` and `layout` name the case in failures. False (after
// a failure) when the function does not assemble.
inline bool CheckKeepsRegs(const std::string& what, const IsaLevel& level,
                           const std::string& layout, const std::function<void(x64::Masm&)>& emit,
                           const std::function<bool(Reg)>& may_change) {
  std::vector<V128> vals = InputVectors(Shape::kI32, 20);
  const Reg in = x64::reg::rdi, out = x64::reg::rsi;
  const Reg gps[] = {x64::reg::rax, x64::reg::rcx, x64::reg::rdx,
                     x64::reg::r8,  x64::reg::r9,  x64::reg::r10};
  auto x = [](unsigned n) { return Reg::Fp(n); };
  SimdFn fn(level.cpu, [&](x64::Masm& m) {
    for (unsigned n = 0; n < 15; ++n) m.Load(JType::kV128, x(n), Mem{in, 16 * static_cast<int>(n)});
    for (int i = 0; i < 6; ++i)
      m.LoadConst(JType::kI64, gps[i], 0x1111111111111111ull * static_cast<uint64_t>(i + 1));
    emit(m);
    for (unsigned n = 0; n < 15; ++n)
      m.Store(JType::kV128, Mem{out, 16 * static_cast<int>(n)}, x(n));
    for (int i = 0; i < 6; ++i) m.Store(JType::kI64, Mem{out, 240 + 8 * i}, gps[i]);
  });
  if (!fn.ok()) {
    ADD_FAILURE() << what << " " << level.name << ": " << fn.error();
    return false;
  }
  V128 ins[16], outs[18];
  for (unsigned n = 0; n < 16; ++n) ins[n] = vals[n % vals.size()];
  fn(ins, outs, 0);
  for (unsigned n = 0; n < 15; ++n) {
    if (may_change(x(n))) continue;
    EXPECT_EQ(Hex(outs[n]), Hex(ins[n]))
        << what << " [" << level.name << ", " << layout << "] changed xmm" << n;
  }
  uint64_t g[6];
  std::memcpy(g, &outs[15], sizeof(g));
  for (int i = 0; i < 6; ++i) {
    if (may_change(gps[i])) continue;
    EXPECT_EQ(g[i], 0x1111111111111111ull * static_cast<uint64_t>(i + 1))
        << what << " [" << level.name << ", " << layout << "] changed gp " << gps[i].hw();
  }
  return true;
}

// A test parameterized on x64::Masm::DirectEncoding (on or off for the test, restored after).
class DirectEncodingTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    saved_ = x64::Masm::DirectEncoding();
    x64::Masm::SetDirectEncoding(GetParam());
  }
  void TearDown() override { x64::Masm::SetDirectEncoding(saved_); }
  bool saved_ = true;
};

}  // namespace wt::jit::testing
