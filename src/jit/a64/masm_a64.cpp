// aarch64 MacroAssembler: core: set-up, immediates, labels, moves, frame, control, trap stubs,
// direct calls and output (links, veneers). See masm_a64.h for the register assignment and the
// link kinds; the other areas are in masm_a64_<area>.cpp.
#include <algorithm>
#include <cstring>
#include <map>

#include "jit/a64/masm_a64_impl.h"
#include "jit/abi.h"
#include "runtime/builtin_table.h"
#include "runtime/vmctx.h"

namespace wt::jit::a64 {

using namespace asmjit;
using wasm::Op;
namespace aj = asmjit::a64;

namespace {

// Instruction words (the register fields are ORed in).
constexpr uint32_t kMovz = 0x52800000u;  // movz wd, #imm16, lsl #16*hw (| 1 << 31: xd)
constexpr uint32_t kMovn = 0x12800000u;
constexpr uint32_t kMovk = 0x72800000u;
constexpr uint32_t kOrrImm = 0x32000000u;  // orr wd, wn, #logical
constexpr uint32_t kBl = 0x94000000u;
constexpr uint32_t kAdrp = 0x90000000u;
constexpr uint32_t kAddImm64 = 0x91000000u;
constexpr uint32_t kLdrImm64 = 0xF9400000u;  // ldr xt, [xn, #imm12 * 8]
constexpr uint32_t kBr = 0xD61F0000u;
constexpr uint32_t kBlr = 0xD63F0000u;
constexpr uint32_t kUdf0 = 0x00000000u;

constexpr unsigned kX16 = 16;

uint32_t Load32(const uint8_t* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}
void Store32(uint8_t* p, uint32_t w) {
  std::memcpy(p, &w, 4);
}

bool FitsSigned(int64_t v, unsigned bits) {
  return v >= -(int64_t{1} << (bits - 1)) && v < (int64_t{1} << (bits - 1));
}

// The 26-bit word offset of a b/bl from `from` to `to` (byte addresses), or false.
bool Imm26(int64_t delta, uint32_t* field) {
  if ((delta & 3) != 0 || !FitsSigned(delta >> 2, 26)) return false;
  *field = static_cast<uint32_t>(delta >> 2) & 0x03FFFFFFu;
  return true;
}

// The 8-bit immediate of `fmov` for an f32 / f64 bit pattern (+-(1 + m/16) * 2^e, e in
// -3..4), or -1.
int FmovImm8(JType t, uint64_t bits) {
  if (t == JType::kF32) {
    auto b = static_cast<uint32_t>(bits);
    if ((b & 0x7FFFFu) != 0) return -1;  // only 4 fraction bits
    uint32_t exp = (b >> 23) & 0xFFu;    // biased: 124..131 allowed
    if (exp < 124 || exp > 131) return -1;
    uint32_t sign = b >> 31, frac = (b >> 19) & 0xFu;
    // imm8 = a:NOT(b):c:d:efgh where exp = NOT(b) b b b b b c d style (B = b replicated).
    uint32_t e = exp - 124;  // 0..7 -> imm8 bits 6..4 = (e ^ 4)
    return static_cast<int>((sign << 7) | ((e ^ 4u) << 4) | frac);
  }
  if ((bits & 0x0000FFFFFFFFFFFFull) != 0) return -1;
  uint64_t exp = (bits >> 52) & 0x7FFu;  // biased: 1020..1027 allowed
  if (exp < 1020 || exp > 1027) return -1;
  auto sign = static_cast<uint32_t>(bits >> 63), frac = static_cast<uint32_t>(bits >> 48) & 0xFu;
  auto e = static_cast<uint32_t>(exp - 1020);
  return static_cast<int>((sign << 7) | ((e ^ 4u) << 4) | frac);
}

}  // namespace

bool EncodeLogicalImm(uint64_t v, unsigned width, uint32_t* out) {
  if (width == 32) {
    v &= 0xFFFFFFFFull;
    v |= v << 32;
  }
  if (v == 0 || v == ~uint64_t{0}) return false;
  unsigned size = 64;
  while (size > 2) {
    unsigned half = size / 2;
    uint64_t mask = (uint64_t{1} << half) - 1;
    if ((v & mask) != ((v >> half) & mask)) break;
    size = half;
  }
  uint64_t mask = size == 64 ? ~uint64_t{0} : (uint64_t{1} << size) - 1;
  uint64_t elt = v & mask;
  auto ones = static_cast<unsigned>(__builtin_popcountll(elt));
  uint64_t run = (uint64_t{1} << ones) - 1;  // ones < size <= 64
  for (unsigned r = 0; r < size; ++r) {
    // elt = ROR(run, r) <=> run = ROL(elt, r).
    uint64_t rol = r == 0 ? elt : (((elt << r) | (elt >> (size - r))) & mask);
    if (rol != run) continue;
    uint32_t n = size == 64 ? 1u : 0u;
    uint32_t imms = ((~(size - 1) << 1) | (ones - 1)) & 0x3Fu;
    *out = (n << 12) | (r << 6) | imms;
    return true;
  }
  return false;
}

Masm::Impl::Impl(const CpuFeatures& features) : cpu(features) {
  Environment env(Arch::kAArch64);
  code.init(env);
  code.setErrorHandler(this);
  code.attach(&a);
}

void Masm::Impl::handleError(asmjit::Error err, const char* message, BaseEmitter*) {
  if (error.empty()) error = std::string("assembler error ") + std::to_string(err) + ": " + message;
}

// --- Immediates and operands ------------------------------------------------------------

void Masm::Impl::MovImm(const aj::Gp& dst, uint64_t bits) {
  const bool x = dst.isGpX();
  const unsigned n = x ? 4 : 2;
  const uint32_t sf = x ? 0x80000000u : 0;
  const unsigned rd = HwOf(dst);
  if (!x) bits &= 0xFFFFFFFFull;
  unsigned zeros = 0, ones = 0;
  for (unsigned i = 0; i < n; ++i) {
    auto h = static_cast<uint32_t>(bits >> (16 * i)) & 0xFFFFu;
    zeros += h == 0;
    ones += h == 0xFFFF;
  }
  unsigned via_movz = std::max(1u, n - zeros), via_movn = std::max(1u, n - ones);
  uint32_t logical;
  if (std::min(via_movz, via_movn) > 1 && EncodeLogicalImm(bits, x ? 64 : 32, &logical)) {
    Emit(kOrrImm | sf | (logical << 10) | (31u << 5) | rd);  // orr rd, zr, #bits
    return;
  }
  const bool inverted = via_movn < via_movz;
  const uint32_t skip = inverted ? 0xFFFFu : 0;
  bool first = true;
  for (unsigned i = 0; i < n; ++i) {
    auto h = static_cast<uint32_t>(bits >> (16 * i)) & 0xFFFFu;
    if (h == skip) continue;
    if (first) {
      uint32_t imm = inverted ? (~h & 0xFFFFu) : h;
      Emit((inverted ? kMovn : kMovz) | sf | (i << 21) | (imm << 5) | rd);
      first = false;
    } else {
      Emit(kMovk | sf | (i << 21) | (h << 5) | rd);
    }
  }
  if (first) Emit((inverted ? kMovn : kMovz) | sf | rd);  // 0 or all ones
}

void Masm::Impl::LoadConst(JType t, Reg dst, uint64_t bits) {
  if (!InXmm(t)) {
    MovImm(G(t, dst), Is64(t) ? bits : static_cast<uint32_t>(bits));
    return;
  }
  if (t == JType::kF32) bits = static_cast<uint32_t>(bits);
  if (bits == 0) {
    a.movi(V(dst).d2(), 0);  // the whole register (also +0.0 for f32/f64)
    return;
  }
  if (int imm8 = FmovImm8(t, bits); imm8 >= 0) {
    // fmov sd/dd, #imm8 (asmjit takes the value as a double).
    uint32_t ftype = t == JType::kF64 ? (1u << 22) : 0;
    Emit(0x1E201000u | ftype | (static_cast<uint32_t>(imm8) << 13) | HwFp(dst));
    return;
  }
  if (t == JType::kF32) {
    MovImm(aj::w16, bits);
    a.fmov(S(dst), aj::w16);
  } else {
    MovImm(aj::x16, bits);
    a.fmov(D(dst), aj::x16);
  }
}

aj::Mem Masm::Impl::MemOperand(Mem m, unsigned size, const aj::Gp& scratch) {
  aj::Gp base = X(m.base);
  int64_t off = m.offset;
  // ldr/str's scaled unsigned imm12 and ldur/stur's signed imm9 (asmjit picks the form).
  if ((off >= 0 && off % size == 0 && off / size < 4096) || (off >= -256 && off < 256))
    return aj::ptr(base, static_cast<int32_t>(off));
  MovImm(scratch.x(), static_cast<uint64_t>(off));
  return aj::ptr(base, scratch.x());
}

void Masm::Impl::AddImm(const aj::Gp& dst, const aj::Gp& src, int64_t imm) {
  const bool x = dst.isGpX() || HwOf(dst) == 31;
  if (imm == 0) {
    if (dst.id() != src.id()) a.mov(dst, src);
    return;
  }
  uint64_t mag = imm < 0 ? 0 - static_cast<uint64_t>(imm) : static_cast<uint64_t>(imm);
  auto op = [&](const aj::Gp& d, const aj::Gp& s, uint64_t v) {
    if (imm < 0)
      a.sub(d, s, v);
    else
      a.add(d, s, v);
  };
  if (mag < 4096) {
    op(dst, src, mag);
    return;
  }
  if (mag < (1u << 24)) {
    // Two immediates (the high part shifted by 12), both moving dst the same way.
    op(dst, src, mag & 0xFFF000u);
    if ((mag & 0xFFFu) != 0) op(dst, dst, mag & 0xFFFu);
    return;
  }
  // Through x17, with the extended-register form (which allows sp as dst and src).
  MovImm(x ? aj::Gp(aj::x17) : aj::Gp(aj::w17), static_cast<uint64_t>(imm));
  uint32_t sf = x ? 0x80000000u : 0;
  Emit(0x0B206000u | sf | (17u << 16) | (HwOf(src) << 5) | HwOf(dst));  // add dst, src, r17 uxt
}

// --- Links -------------------------------------------------------------------------------

void Masm::Impl::AddLink(const asmjit::Label& label, uint8_t kind, int32_t rel) {
  links.push_back(OwnLink{label.id(), static_cast<uint32_t>(a.offset()), rel, kind});
}

void Masm::Impl::CallBuiltinId(uint32_t id) {
  if (!builtin_table.isValid()) builtin_table = a.newLabel();
  AddLink(builtin_table, kAdrpLdr, static_cast<int32_t>(8 * id));
  Emit(kAdrp | kX16);                    // adrp x16, table + 8*id
  Emit(kLdrImm64 | (kX16 << 5) | kX16);  // ldr x16, [x16, #:lo12:]
  Emit(kBlr | (kX16 << 5));              // blr x16
}

Masm::Masm(const CpuFeatures& cpu) : impl_(std::make_unique<Impl>(cpu)) {}

Masm::~Masm() = default;

const std::string& Masm::error() const {
  return impl_->error;
}

// --- Labels -----------------------------------------------------------------------------

Label Masm::NewLabel() {
  return Label{impl_->a.newLabel().id()};
}

void Masm::Bind(Label l) {
  impl_->MaybeEmitVeneers();
  impl_->a.bind(AL(l));
}

namespace {
// Whether a branch from here to bound label `l` is beyond b.cond/cbz's reach.
bool FarBound(const CodeHolder& code, const aj::Assembler& a, const asmjit::Label& l) {
  if (!code.isLabelBound(l)) return false;
  auto d = static_cast<int64_t>(code.labelOffset(l)) - static_cast<int64_t>(a.offset());
  return d < -(int64_t{1} << 20) + 64;
}
}  // namespace

void Masm::Impl::BranchCond(aj::CondCode cc, const asmjit::Label& l) {
  if (!FarBound(code, a, l)) {
    a.b(cc, l);
    return;
  }
  // b.!cc +8; b l
  Emit(0x54000040u | (((static_cast<uint32_t>(cc) - 2u) & 15u) ^ 1u));  // asmjit: hw = cc - 2
  a.b(l);
}

void Masm::Impl::Cbz(bool nonzero, const aj::Gp& r, const asmjit::Label& l) {
  if (!FarBound(code, a, l)) {
    if (nonzero)
      a.cbnz(r, l);
    else
      a.cbz(r, l);
    return;
  }
  // cb(n)z -> the opposite test over a `b l`.
  uint32_t sf = r.isGpX() ? 0x80000000u : 0;
  Emit((nonzero ? 0x34000040u : 0x35000040u) | sf | HwOf(r));
  a.b(l);
}

void Masm::Impl::EmitVeneers(size_t min_age) {
  const size_t here = a.offset();
  next_veneer_check = here + kVeneerAge;
  uint8_t* buf = a.bufferData();
  asmjit::Label over;
  std::vector<LabelLink*> redirect;
  for (LabelEntry* le : code.labelEntries()) {
    if (le->isBound() || le->_links == nullptr) continue;
    redirect.clear();
    for (LabelLink* link = le->_links; link != nullptr; link = link->next) {
      const OffsetFormat& f = link->format;
      uint32_t insn = Load32(buf + link->offset);
      bool cond = (insn & 0xFF000010u) == 0x54000000u || (insn & 0x7E000000u) == 0x34000000u;
      if (cond && link->sectionId == 0 && link->relocId == Globals::kInvalidId && link->rel == 0 &&
          f.immBitCount() == 19 && f.immBitShift() == 5 && here - link->offset >= min_age)
        redirect.push_back(link);
    }
    if (redirect.empty()) continue;
    if (!over.isValid()) {
      over = a.newLabel();
      a.b(over);
    }
    const size_t veneer = a.offset();
    a.b(asmjit::Label(le->id()));  // a new link of the label (prepended), with b's reach
    buf = a.bufferData();          // the emit may have grown the buffer
    for (LabelLink* link : redirect) {
      auto words = static_cast<int64_t>(veneer - link->offset) / 4;
      if (!FitsSigned(words, 19)) {
        Fail("a64: conditional branch out of reach");
        return;
      }
      uint32_t insn = Load32(buf + link->offset);
      insn = (insn & ~(0x7FFFFu << 5)) | ((static_cast<uint32_t>(words) & 0x7FFFFu) << 5);
      Store32(buf + link->offset, insn);
    }
    // Unlinked (zone memory: freed with the CodeHolder).
    for (LabelLink** pl = &le->_links; *pl != nullptr;) {
      if (std::find(redirect.begin(), redirect.end(), *pl) != redirect.end()) {
        *pl = (*pl)->next;
        code._unresolvedLinkCount--;
      } else {
        pl = &(*pl)->next;
      }
    }
  }
  if (over.isValid()) a.bind(over);
}

uint32_t Masm::Offset() const {
  return static_cast<uint32_t>(impl_->a.offset());
}

uint32_t Masm::LabelOffset(Label l) const {
  return static_cast<uint32_t>(impl_->code.labelOffset(AL(l)));
}

void Masm::AlignCode(uint32_t alignment) {
  // Padding with nops (the padding may be executed: code falls through into aligned loops).
  while (Offset() % alignment != 0) impl_->Emit(0xD503201Fu);
}

// --- Frame ------------------------------------------------------------------------------

// The stack check compares the frame's future stack pointer with the limit before moving sp
// (as on x64, abi.h): the frame never extends below VMContext::stack_limit, and the trap stub
// runs with sp = x29, 16 bytes below the caller's sp.
//   stp x29, x30, [sp, #-16]!
//   mov x29, sp
//   movz x16, #size_lo; movk x16, #size_hi, lsl #16   ; patched by PatchFrameSize
//   sub x16, sp, x16
//   ldr x17, [x28, #stack_limit]
//   cmp x16, x17
//   b.lo stack_trap
//   mov sp, x16
//   stur x28, [x29, #-8]
// x16/x17 are free at entry (IP0/IP1: nothing is passed in them).
uint32_t Masm::EnterFrame(Label stack_trap) {
  auto& a = impl_->a;
  a.stp(aj::x29, aj::x30, aj::ptr_pre(aj::sp, -16));
  a.mov(aj::x29, aj::sp);
  uint32_t handle = Offset();
  impl_->Emit(kMovz | 0x80000000u | kX16);                      // movz x16, #0
  impl_->Emit(kMovk | 0x80000000u | (1u << 21) | kX16);         // movk x16, #0, lsl #16
  impl_->Emit(0xCB206000u | (kX16 << 16) | (31u << 5) | kX16);  // sub x16, sp, x16 (uxtx)
  a.ldr(aj::x17, aj::ptr(aj::x28, runtime::kVMCtxStackLimit));
  a.cmp(aj::x16, aj::x17);
  impl_->BranchCond(aj::CondCode::kLO, AL(stack_trap));
  a.mov(aj::sp, aj::x16);
  a.stur(aj::x28, aj::ptr(aj::x29, abi::kSavedVmctxOffset));
  return handle;
}

void Masm::PatchFrameSize(uint32_t handle, uint32_t bytes) {
  // Frames are at most abi::kMaxFrameBytes (64 MiB): 32 bits in the movz/movk pair.
  uint8_t* p = impl_->a.bufferData() + handle;
  Store32(p, (Load32(p) & ~(0xFFFFu << 5)) | ((bytes & 0xFFFFu) << 5));
  Store32(p + 4, (Load32(p + 4) & ~(0xFFFFu << 5)) | ((bytes >> 16) << 5));
}

void Masm::ZeroFill(Mem start, uint32_t count) {
  auto& a = impl_->a;
  if (count == 0) return;
  const int64_t first = start.offset, last = first + 8 * int64_t{count - 1};
  // stp's imm7 (scaled by 8) reaches [-512, 504].
  if (count <= 16 && first >= -512 && last <= 504) {
    uint32_t i = 0;
    for (; i + 1 < count; i += 2)
      a.stp(aj::xzr, aj::xzr, aj::ptr(X(start.base), static_cast<int32_t>(first + 8 * i)));
    if (i < count) a.str(aj::xzr, aj::ptr(X(start.base), static_cast<int32_t>(first + 8 * i)));
    return;
  }
  // x16 walks upward; x17 counts the pairs.
  impl_->AddImm(aj::x16, X(start.base), first);
  if (count & 1) a.str(aj::xzr, aj::ptr_post(aj::x16, 8));
  if (count >= 2) {
    impl_->MovImm(aj::x17, count / 2);
    asmjit::Label loop = a.newLabel();
    a.bind(loop);
    a.stp(aj::xzr, aj::xzr, aj::ptr_post(aj::x16, 16));
    a.subs(aj::x17, aj::x17, 1);
    a.b(aj::CondCode::kNE, loop);
  }
}

void Masm::LeaveFrameAndReturn() {
  auto& a = impl_->a;
  a.mov(aj::sp, aj::x29);
  a.ldp(aj::x29, aj::x30, aj::ptr_post(aj::sp, 16));
  a.ret(aj::x30);
}

void Masm::RestoreVmctx() {
  impl_->a.ldur(aj::x28, aj::ptr(aj::x29, abi::kSavedVmctxOffset));
}

void Masm::ReloadMemBase() {
  impl_->a.ldr(aj::x27, aj::ptr(aj::x28, runtime::kVMCtxMem0Base));
}

// --- Moves ------------------------------------------------------------------------------
// The moves are the compiler's most frequent calls between wasm instructions, so they (and
// Bind) are where veneer islands go (Impl::MaybeEmitVeneers): never inside a sequence whose
// offsets matter.

void Masm::Move(JType t, Reg dst, Reg src) {
  if (dst == src) return;
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  if (InXmm(t))
    a.mov(V(dst).b16(), V(src).b16());  // the whole register, like movaps
  else
    a.mov(G(t, dst), G(t, src));  // a 32-bit mov zeroes the upper half
}

void Masm::Swap(JType t, Reg x, Reg y) {
  if (x == y) return;
  auto& a = impl_->a;
  if (InXmm(t)) {
    a.mov(kVScratch0.b16(), V(x).b16());
    a.mov(V(x).b16(), V(y).b16());
    a.mov(V(y).b16(), kVScratch0.b16());
  } else {
    a.mov(kScratch0, X(x));
    a.mov(X(x), X(y));
    a.mov(X(y), kScratch0);
  }
}

void Masm::LoadConst(JType t, Reg dst, uint64_t bits) {
  impl_->MaybeEmitVeneers();
  impl_->LoadConst(t, dst, bits);
}

namespace {
unsigned SizeOf(JType t) {
  switch (t) {
    case JType::kI32:
    case JType::kF32:
      return 4;
    case JType::kV128:
      return 16;
    default:
      return 8;
  }
}
}  // namespace

void Masm::Load(JType t, Reg dst, Mem src) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  aj::Mem m = impl_->MemOperand(src, SizeOf(t));
  switch (t) {
    case JType::kI32:
    case JType::kI64:
    case JType::kRef:
      a.ldr(G(t, dst), m);
      break;
    case JType::kF32:
      a.ldr(S(dst), m);
      break;
    case JType::kF64:
      a.ldr(D(dst), m);
      break;
    case JType::kV128:
      a.ldr(Q(dst), m);
      break;
  }
}

void Masm::Store(JType t, Mem dst, Reg src) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  aj::Mem m = impl_->MemOperand(dst, SizeOf(t));
  switch (t) {
    case JType::kI32:
    case JType::kI64:
    case JType::kRef:
      a.str(G(t, src), m);
      break;
    case JType::kF32:
      a.str(S(src), m);
      break;
    case JType::kF64:
      a.str(D(src), m);
      break;
    case JType::kV128:
      a.str(Q(src), m);
      break;
  }
}

void Masm::StoreConst(JType t, Mem dst, uint64_t bits) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  if (t == JType::kV128) {  // not used by the compiler (StoreConstV128); zero-extended bits
    impl_->MovImm(kScratch0, bits);
    a.fmov(kVScratch0.d(), kScratch0);
    a.str(kVScratch0.q(), impl_->MemOperand(dst, 16));
    return;
  }
  const bool x = SizeOf(t) == 8;
  if (!x) bits = static_cast<uint32_t>(bits);
  aj::Gp r = x ? aj::Gp(aj::xzr) : aj::Gp(aj::wzr);
  if (bits != 0) {
    r = x ? aj::Gp(aj::x16) : aj::Gp(aj::w16);
    impl_->MovImm(r, bits);
  }
  a.str(r, impl_->MemOperand(dst, SizeOf(t)));
}

void Masm::CopyMem(JType t, Mem dst, Mem src) {
  impl_->MaybeEmitVeneers();
  auto& a = impl_->a;
  if (t == JType::kV128) {  // through v31: all 16 bytes are read before any is written
    a.ldr(kVScratch0.q(), impl_->MemOperand(src, 16));
    a.str(kVScratch0.q(), impl_->MemOperand(dst, 16));
    return;
  }
  aj::Gp r = SizeOf(t) == 8 ? aj::Gp(aj::x16) : aj::Gp(aj::w16);
  a.ldr(r, impl_->MemOperand(src, SizeOf(t)));
  a.str(r, impl_->MemOperand(dst, SizeOf(t)));
}

void Masm::Select(JType t, Reg dst, Reg cond, Reg x, Reg y) {
  auto& a = impl_->a;
  a.cmp(W(cond), 0);
  if (!InXmm(t)) {
    a.csel(G(t, dst), G(t, x), G(t, y), Imm(aj::CondCode::kNE));
  } else if (t == JType::kF32) {
    a.fcsel(S(dst), S(x), S(y), Imm(aj::CondCode::kNE));
  } else if (t == JType::kF64) {
    a.fcsel(D(dst), D(x), D(y), Imm(aj::CondCode::kNE));
  } else {
    // A mask of all ones (cond != 0) or zeros, then bsl: v31 = (mask & x) | (~mask & y).
    a.csetm(kScratch0, Imm(aj::CondCode::kNE));
    a.dup(kVScratch0.d2(), kScratch0);
    a.bsl(kVScratch0.b16(), V(x).b16(), V(y).b16());
    a.mov(V(dst).b16(), kVScratch0.b16());
  }
}

// --- Control --------------------------------------------------------------------------

void Masm::Jump(Label l) {
  impl_->a.b(AL(l));
}

void Masm::BranchIfZero(JType t, Reg r, Label l) {
  impl_->Cbz(false, G(t, r), AL(l));
}

void Masm::BranchIfNonZero(JType t, Reg r, Label l) {
  impl_->Cbz(true, G(t, r), AL(l));
}

void Masm::BranchCmp(JType t, Cond c, Reg lhs, Reg rhs, Label l) {
  impl_->a.cmp(G(t, lhs), G(t, rhs));
  impl_->BranchCond(CC(c), AL(l));
}

namespace {
// cmp lhs, #imm (an i32 imm, sign-extended for 64-bit compares): the add/sub immediate forms,
// else through x16.
void CmpImm(Masm::Impl& m, JType t, Reg lhs, int32_t imm) {
  auto& a = m.a;
  if (imm >= 0 && imm < 4096) {
    a.cmp(G(t, lhs), imm);
  } else if (imm < 0 && imm > -4096) {
    a.cmn(G(t, lhs), -imm);
  } else {
    const bool x = Is64(t);
    aj::Gp s = x ? aj::Gp(aj::x16) : aj::Gp(aj::w16);
    m.MovImm(s, x ? static_cast<uint64_t>(int64_t{imm}) : static_cast<uint32_t>(imm));
    a.cmp(G(t, lhs), s);
  }
}
}  // namespace

void Masm::BranchCmpImm(JType t, Cond c, Reg lhs, int32_t imm, Label l) {
  if (imm == 0 && c == Cond::kEq) return BranchIfZero(t, lhs, l);
  if (imm == 0 && c == Cond::kNe) return BranchIfNonZero(t, lhs, l);
  CmpImm(*impl_, t, lhs, imm);
  impl_->BranchCond(CC(c), AL(l));
}

void Masm::SelectCmp(JType ct, Cond c, Reg lhs, Reg rhs, int32_t imm, JType t, Reg dst, Reg src) {
  if (rhs.valid())
    impl_->a.cmp(G(ct, lhs), G(ct, rhs));
  else
    CmpImm(*impl_, ct, lhs, imm);
  // dst keeps its value when the comparison holds, else takes src.
  impl_->a.csel(G(t, dst), G(t, dst), G(t, src), Imm(CC(c)));
}

// Bounds check to the default label, then a table of 32-bit deltas (label - table) right after
// the branch:
//   cmp w_index, #n; b.hs default
//   adr x16, table; ldrsw x17, [x16, w_index, uxtw #2]; add x16, x16, x17; br x16
//   table: .word L0 - table, ...
void Masm::JumpTable(Reg index, std::span<const Label> labels) {
  auto& a = impl_->a;
  auto n = static_cast<uint32_t>(labels.size() - 1);
  if (n == 0) {
    a.b(AL(labels.back()));
    return;
  }
  if (n < 4096) {
    a.cmp(W(index), n);
  } else {
    impl_->MovImm(aj::w16, n);
    a.cmp(W(index), aj::w16);
  }
  impl_->BranchCond(aj::CondCode::kHS, AL(labels.back()));
  asmjit::Label table = a.newLabel();
  a.adr(aj::x16, table);
  a.ldrsw(aj::x17, aj::ptr(aj::x16, W(index), aj::uxtw(2)));
  a.add(aj::x16, aj::x16, aj::x17);
  a.br(aj::x16);
  a.bind(table);
  for (uint32_t i = 0; i < n; ++i) a.embedLabelDelta(AL(labels[i]), table, 4);
}

uint32_t Masm::Ud2() {
  uint32_t at = Offset();
  impl_->Emit(kUdf0);
  return at;
}

uint32_t Masm::EmitTrapStub(Label l, runtime::TrapCode code) {
  auto& a = impl_->a;
  impl_->MaybeEmitVeneers();
  a.bind(AL(l));
  uint32_t at = Offset();
  // wt_raise_trap(code, stub address, fp); never returns.
  impl_->MovImm(aj::w0, static_cast<uint32_t>(code));
  a.adr(aj::x1, AL(l));
  a.mov(aj::x2, aj::x29);
  impl_->CallBuiltinId(static_cast<uint32_t>(runtime::BuiltinId::kRaiseTrap));
  impl_->Emit(kUdf0);
  return at;
}

// --- Calls -------------------------------------------------------------------------------

void Masm::CallLabel(Label l) {
  impl_->AddLink(AL(l), kBl26, 0);
  impl_->Emit(kBl);
}

void Masm::RawRet() {
  impl_->a.ret(aj::x30);
}

// --- Output -----------------------------------------------------------------------------

// Resolves the bl links to labels bound here; every bl to a label still unbound gets a veneer
// (one per label) in an island after the code:
//   adrp x16, target; add x16, x16, #:lo12:target; br x16; udf #0
// the adrp/add pair being a kAdrpAdd link of the same label, and the bl link's rel the
// island's distance from the bl, so PatchExternalLink can fall back to it when the target is
// out of the bl's +-128 MiB.
Result<size_t> Masm::Finish() {
  Impl& m = *impl_;
  auto& code = m.code;
  if (!m.finished) {
    m.finished = true;
    std::map<uint32_t, uint32_t> veneer;  // label id -> island offset
    std::vector<Impl::OwnLink> added;
    for (Impl::OwnLink& l : m.links) {
      if (l.kind != kBl26 || code.isLabelBound(l.label)) continue;
      auto it = veneer.find(l.label);
      if (it == veneer.end()) {
        uint32_t at = Offset();
        it = veneer.emplace(l.label, at).first;
        added.push_back(Impl::OwnLink{l.label, at, 0, kAdrpAdd});
        m.Emit(kAdrp | kX16);
        m.Emit(kAddImm64 | (kX16 << 5) | kX16);
        m.Emit(kBr | (kX16 << 5));
        m.Emit(kUdf0);
      }
      l.rel = static_cast<int32_t>(it->second - l.at);
    }
    m.links.insert(m.links.end(), added.begin(), added.end());
    if (m.error.empty()) {
      uint8_t* buf = m.a.bufferData();
      for (const Impl::OwnLink& l : m.links) {
        if (!code.isLabelBound(l.label)) continue;
        if (l.kind != kBl26) {
          m.bound_adrp = true;  // resolved by CopyTo, which knows the address
          continue;
        }
        int64_t delta = int64_t{static_cast<int64_t>(code.labelOffset(l.label))} - l.at;
        uint32_t field;
        if (!Imm26(delta, &field)) {
          m.Fail("a64: direct call out of reach");
          break;
        }
        Store32(buf + l.at, (Load32(buf + l.at) & 0xFC000000u) | field);
      }
    }
  }
  if (!m.error.empty()) return MakeError(ErrorKind::kUnsupported, "jit: {}", m.error);
  asmjit::Error err = code.flatten();
  if (err != kErrorOk)
    return MakeError(ErrorKind::kUnsupported, "jit: cannot finish code ({})", err);
  return code.codeSize();
}

Status Masm::CopyTo(uint8_t* dst, size_t size, uint64_t base_address) {
  Impl& m = *impl_;
  auto& code = m.code;
  // relocateToBase evaluates the jump tables' label deltas (expressions).
  asmjit::Error err = code.relocateToBase(base_address);
  if (err != kErrorOk || code.codeSize() > size)
    return MakeError(ErrorKind::kUnsupported, "jit: cannot relocate code ({})", err);
  err = code.copyFlattenedData(dst, size, CopySectionFlags::kPadTargetBuffer);
  if (err != kErrorOk) return MakeError(ErrorKind::kUnsupported, "jit: cannot copy code");
  if (m.bound_adrp) {
    for (const Impl::OwnLink& l : m.links) {
      if (l.kind == kBl26 || !code.isLabelBound(l.label)) continue;
      if (!PatchExternalLink(l.kind, l.rel, dst + l.at, base_address + l.at,
                             base_address + code.labelOffset(l.label)))
        return MakeError(ErrorKind::kUnsupported, "jit: cannot relocate code (adrp)");
    }
  }
  return Ok();
}

bool Masm::PositionIndependent() const {
  const auto& code = impl_->code;
  if (impl_->absolute_builtin || impl_->bound_adrp) return false;
  for (const asmjit::RelocEntry* r : code.relocEntries())
    if (r->relocType() != asmjit::RelocType::kExpression) return false;
  return !code.hasAddressTable();
}

Status Masm::ExternalLinks(std::vector<ExternalLink>* out) const {
  const auto& code = impl_->code;
  for (const Impl::OwnLink& l : impl_->links) {
    if (code.isLabelBound(l.label)) continue;
    out->push_back(ExternalLink{l.label, l.at, l.rel, l.kind});
  }
  // asmjit's own label links (branches) to labels never bound would be silently wrong.
  if (code.unresolvedLinkCount() != 0)
    return MakeError(ErrorKind::kUnsupported, "jit: branch to an unbound label");
  return Ok();
}

bool Masm::PatchExternalLink(uint8_t kind, int32_t rel, uint8_t* field_rw, uint64_t field_addr,
                             uint64_t target) {
  switch (kind) {
    case kBl26: {
      uint32_t field;
      if (!Imm26(static_cast<int64_t>(target - field_addr), &field) &&
          (rel == 0 || !Imm26(rel, &field)))  // the veneer (its own kAdrpAdd link)
        return false;
      Store32(field_rw, (Load32(field_rw) & 0xFC000000u) | field);
      return true;
    }
    case kAdrpAdd:
    case kAdrpLdr: {
      uint64_t addr = target + static_cast<uint64_t>(static_cast<int64_t>(rel));
      if (kind == kAdrpLdr && (addr & 7) != 0) return false;
      auto pages = static_cast<int64_t>((addr >> 12) - (field_addr >> 12));
      if (!FitsSigned(pages, 21)) return false;
      auto p = static_cast<uint32_t>(pages) & 0x1FFFFFu;
      uint32_t adrp = Load32(field_rw) & ~((3u << 29) | (0x7FFFFu << 5));
      Store32(field_rw, adrp | ((p & 3u) << 29) | ((p >> 2) << 5));
      auto lo12 = static_cast<uint32_t>(addr & 0xFFFu);
      if (kind == kAdrpLdr) lo12 >>= 3;
      uint32_t second = Load32(field_rw + 4) & ~(0xFFFu << 10);
      Store32(field_rw + 4, second | (lo12 << 10));
      return true;
    }
    default:
      return false;
  }
}

uint32_t Masm::BuiltinTableLabelId() const {
  return impl_->builtin_table.isValid() ? impl_->builtin_table.id() : UINT32_MAX;
}

}  // namespace wt::jit::a64
