// The direct x86_64 encoder (src/jit/x64/encoder_x64.h) against asmjit's x86::Assembler: every
// form the Masm writes directly, over a cross product of operands (all 16 GP registers as
// operands, base and index, 32/64-bit widths, displacements at the disp8/disp32 boundaries,
// imm8/imm32 boundaries, xmm0-15, branches at the short/near boundary, bound and unbound
// labels), must produce the same bytes. Each instruction is emitted by both into two code
// holders side by side (so the buffers also grow past their initial capacity many times) and
// compared instruction by instruction.
#include <asmjit/x86.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "jit/x64/encoder_x64.h"

namespace wt::jit::x64 {
namespace {

using namespace asmjit;

struct Holder {
  CodeHolder code;
  x86::Assembler a;
  Holder() {
    code.init(Environment::host());
    code.attach(&a);
  }
  const uint8_t* data() const { return a.bufferData(); }
};

class Pair {
 public:
  Pair() : enc_(mine_.a) {}

  // Emits one instruction both ways and compares the bytes.
  void Check(const std::string& what, const std::function<void(x86::Assembler&)>& ref,
             const std::function<void(enc::Encoder&)>& mine) {
    Check(what, std::string(), ref, mine);
  }
  void Check(const std::string& what, const std::string& operands,
             const std::function<void(x86::Assembler&)>& ref,
             const std::function<void(enc::Encoder&)>& mine) {
    size_t r0 = ref_.a.offset(), m0 = mine_.a.offset();
    ref(ref_.a);
    mine(enc_);
    Compare(what, operands, r0, m0);
  }
  // The same raw bytes into both (padding).
  void Pad(size_t n) {
    std::vector<uint8_t> zeros(n, 0x90);
    if (n == 0) return;
    ref_.a.embed(zeros.data(), n);
    mine_.a.embed(zeros.data(), n);
  }
  // Labels (created in both holders with the same id).
  uint32_t NewLabel() {
    uint32_t r = ref_.a.newLabel().id(), m = mine_.a.newLabel().id();
    EXPECT_EQ(r, m);
    return r;
  }
  // asmjit binds the reference; the encoder binds its own (its links are all plain rel32).
  void Bind(uint32_t id) {
    ref_.a.bind(Label(id));
    EXPECT_TRUE(enc_.Bind(id));
    EXPECT_EQ(ref_.code.labelOffset(id), mine_.code.labelOffset(id));
    EXPECT_EQ(ref_.code.unresolvedLinkCount(), mine_.code.unresolvedLinkCount());
  }
  // Compares everything emitted so far (after label binding patched earlier bytes).
  void CompareAll(const std::string& what) { Compare(what, std::string(), 0, 0); }
  // The links of a label never bound: same offsets and addends, same count.
  void CompareLinks(uint32_t id) {
    const LabelEntry* r = ref_.code.labelEntry(id);
    const LabelEntry* m = mine_.code.labelEntry(id);
    ASSERT_TRUE(r != nullptr && m != nullptr);
    const LabelLink* rl = r->links();
    const LabelLink* ml = m->links();
    int n = 0;
    for (; rl != nullptr && ml != nullptr; rl = rl->next, ml = ml->next, ++n) {
      EXPECT_EQ(rl->offset, ml->offset);
      EXPECT_EQ(rl->rel, ml->rel);
      EXPECT_EQ(rl->sectionId, ml->sectionId);
      EXPECT_EQ(rl->format.valueSize(), ml->format.valueSize());
      EXPECT_EQ(rl->format.type(), ml->format.type());
    }
    EXPECT_TRUE(rl == nullptr && ml == nullptr);
    EXPECT_GT(n, 0);
    EXPECT_EQ(ref_.code.unresolvedLinkCount(), mine_.code.unresolvedLinkCount());
  }
  size_t count() const { return count_; }

 private:
  void Compare(const std::string& what, const std::string& operands, size_t r0, size_t m0) {
    ++count_;
    size_t r1 = ref_.a.offset(), m1 = mine_.a.offset();
    std::vector<uint8_t> rb(ref_.data() + r0, ref_.data() + r1);
    std::vector<uint8_t> mb(mine_.data() + m0, mine_.data() + m1);
    if (rb != mb && failures_++ < 20) {
      std::string rs, ms;
      char buf[4];
      for (uint8_t b : rb) snprintf(buf, sizeof(buf), "%02x ", b), rs += buf;
      for (uint8_t b : mb) snprintf(buf, sizeof(buf), "%02x ", b), ms += buf;
      ADD_FAILURE() << what << " " << operands << ": asmjit " << rs << "/ encoder " << ms;
    }
    // The section size asmjit keeps must follow the cursor (label binding and growth use it).
    EXPECT_EQ(mine_.code.textSection()->bufferSize(), mine_.a.offset());
  }

  Holder ref_, mine_;
  enc::Encoder enc_;
  size_t count_ = 0;
  int failures_ = 0;
};

const int32_t kDisps[] = {0,    1,    -1,  8,    -8,    127,       128,
                          -128, -129, 255, 1000, -4096, INT32_MAX, INT32_MIN};
const int32_t kImms[] = {0,   1,    -1,    2,      127,       128,       -128,       -129, 255,
                         256, 1000, 32767, -32768, INT32_MAX, INT32_MIN, 0x12345678, -1000};

std::string Name(const char* op, unsigned a, unsigned b, int64_t c = 0) {
  return std::string(op) + " " + std::to_string(a) + "," + std::to_string(b) + "," +
         std::to_string(c);
}

// Every [base + disp] and [base + index + disp] operand.
struct MemCase {
  enc::MemOp mine;
  x86::Mem ref;
  std::string name;
};
std::string MemName(unsigned base, int index, int32_t disp) {
  char buf[64];
  if (index < 0)
    snprintf(buf, sizeof(buf), "[r%u%+d]", base, disp);
  else
    snprintf(buf, sizeof(buf), "[r%u+r%d%+d]", base, index, disp);
  return buf;
}
std::vector<MemCase> MemCases(uint32_t size) {
  std::vector<MemCase> out;
  for (unsigned b = 0; b < 16; ++b) {
    for (int32_t d : kDisps) {
      out.push_back({enc::Base(b, d), x86::ptr(x86::gpq(b), d, size), MemName(b, -1, d)});
      for (unsigned i = 0; i < 16; ++i) {
        if (i == 4) continue;  // rsp cannot be an index
        out.push_back({enc::BaseIndex(b, i, d), x86::ptr(x86::gpq(b), x86::gpq(i), 0, d, size),
                       MemName(b, static_cast<int>(i), d)});
      }
    }
  }
  return out;
}

x86::Gp G(bool w, unsigned r) {
  return w ? x86::Gp(x86::gpq(r)) : x86::Gp(x86::gpd(r));
}

TEST(X64Encoder, RegReg) {
  Pair p;
  for (bool w : {false, true}) {
    for (unsigned d = 0; d < 16; ++d) {
      for (unsigned s = 0; s < 16; ++s) {
        p.Check(
            Name("mov", d, s, w), [&](auto& a) { a.mov(G(w, d), G(w, s)); },
            [&](auto& e) { e.MovRR(w, d, s); });
        p.Check(
            Name("add", d, s, w), [&](auto& a) { a.add(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kAdd, w, d, s); });
        p.Check(
            Name("sub", d, s, w), [&](auto& a) { a.sub(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kSub, w, d, s); });
        p.Check(
            Name("and", d, s, w), [&](auto& a) { a.and_(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kAnd, w, d, s); });
        p.Check(
            Name("or", d, s, w), [&](auto& a) { a.or_(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kOr, w, d, s); });
        p.Check(
            Name("xor", d, s, w), [&](auto& a) { a.xor_(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kXor, w, d, s); });
        p.Check(
            Name("cmp", d, s, w), [&](auto& a) { a.cmp(G(w, d), G(w, s)); },
            [&](auto& e) { e.AluRR(enc::kCmp, w, d, s); });
        p.Check(
            Name("test", d, s, w), [&](auto& a) { a.test(G(w, d), G(w, s)); },
            [&](auto& e) { e.TestRR(w, d, s); });
        p.Check(
            Name("imul", d, s, w), [&](auto& a) { a.imul(G(w, d), G(w, s)); },
            [&](auto& e) { e.ImulRR(w, d, s); });
        p.Check(
            Name("cmovz", d, s, w), [&](auto& a) { a.cmovz(G(w, d), G(w, s)); },
            [&](auto& e) { e.RR(enc::kNoPrefix, 0x0F44, w, d, s); });
        p.Check(
            Name("cmovnz", d, s, w), [&](auto& a) { a.cmovnz(G(w, d), G(w, s)); },
            [&](auto& e) { e.RR(enc::kNoPrefix, 0x0F45, w, d, s); });
        p.Check(
            Name("movsx8", d, s, w), [&](auto& a) { a.movsx(G(w, d), x86::gpb(s)); },
            [&](auto& e) { e.RR(enc::kNoPrefix, 0x0FBE, w, d, s, enc::Encoder::ByteReg(s)); });
        p.Check(
            Name("movsx16", d, s, w), [&](auto& a) { a.movsx(G(w, d), x86::gpw(s)); },
            [&](auto& e) { e.RR(enc::kNoPrefix, 0x0FBF, w, d, s); });
        for (int32_t imm : kImms) {
          p.Check(
              Name("imul3", d, s, imm), [&](auto& a) { a.imul(G(w, d), G(w, s), imm); },
              [&](auto& e) { e.ImulRRI(w, d, s, imm); });
        }
      }
    }
  }
  for (unsigned d = 0; d < 16; ++d) {
    for (unsigned s = 0; s < 16; ++s) {
      p.Check(
          Name("movsxd", d, s), [&](auto& a) { a.movsxd(x86::gpq(d), x86::gpd(s)); },
          [&](auto& e) { e.RR(enc::kNoPrefix, 0x63, true, d, s); });
      p.Check(
          Name("movzx8", d, s), [&](auto& a) { a.movzx(x86::gpd(d), x86::gpb(s)); },
          [&](auto& e) { e.MovzxR32R8(d, s); });
      if (d != s)
        p.Check(
            Name("xchg", d, s), [&](auto& a) { a.xchg(x86::gpq(d), x86::gpq(s)); },
            [&](auto& e) { e.Xchg(d, s); });
    }
  }
  EXPECT_GT(p.count(), 15000u);
}

TEST(X64Encoder, RegImmAndUnary) {
  Pair p;
  for (bool w : {false, true}) {
    for (unsigned r = 0; r < 16; ++r) {
      for (int32_t imm : kImms) {
        struct {
          enc::Alu alu;
          const char* name;
        } alus[] = {{enc::kAdd, "add"}, {enc::kSub, "sub"}, {enc::kAnd, "and"},
                    {enc::kOr, "or"},   {enc::kXor, "xor"}, {enc::kCmp, "cmp"}};
        for (auto& alu : alus) {
          p.Check(
              Name(alu.name, r, imm, w),
              [&](x86::Assembler& a) {
                switch (alu.alu) {
                  case enc::kAdd:
                    a.add(G(w, r), imm);
                    break;
                  case enc::kSub:
                    a.sub(G(w, r), imm);
                    break;
                  case enc::kAnd:
                    a.and_(G(w, r), imm);
                    break;
                  case enc::kOr:
                    a.or_(G(w, r), imm);
                    break;
                  case enc::kXor:
                    a.xor_(G(w, r), imm);
                    break;
                  case enc::kCmp:
                    a.cmp(G(w, r), imm);
                    break;
                }
              },
              [&](auto& e) { e.AluRI(alu.alu, w, r, imm); });
        }
      }
      for (uint8_t sh : {1, 2, 5, 31, 63}) {
        if (!w && sh > 31) continue;
        p.Check(
            Name("shl", r, sh, w), [&](auto& a) { a.shl(G(w, r), sh); },
            [&](auto& e) { e.ShiftRI(enc::kShl, w, r, sh); });
        p.Check(
            Name("shr", r, sh, w), [&](auto& a) { a.shr(G(w, r), sh); },
            [&](auto& e) { e.ShiftRI(enc::kShr, w, r, sh); });
        p.Check(
            Name("sar", r, sh, w), [&](auto& a) { a.sar(G(w, r), sh); },
            [&](auto& e) { e.ShiftRI(enc::kSar, w, r, sh); });
        p.Check(
            Name("rol", r, sh, w), [&](auto& a) { a.rol(G(w, r), sh); },
            [&](auto& e) { e.ShiftRI(enc::kRol, w, r, sh); });
        p.Check(
            Name("ror", r, sh, w), [&](auto& a) { a.ror(G(w, r), sh); },
            [&](auto& e) { e.ShiftRI(enc::kRor, w, r, sh); });
      }
      p.Check(
          Name("shl cl", r, 0, w), [&](auto& a) { a.shl(G(w, r), x86::cl); },
          [&](auto& e) { e.ShiftRCl(enc::kShl, w, r); });
      p.Check(
          Name("shr cl", r, 0, w), [&](auto& a) { a.shr(G(w, r), x86::cl); },
          [&](auto& e) { e.ShiftRCl(enc::kShr, w, r); });
      p.Check(
          Name("sar cl", r, 0, w), [&](auto& a) { a.sar(G(w, r), x86::cl); },
          [&](auto& e) { e.ShiftRCl(enc::kSar, w, r); });
      p.Check(
          Name("rol cl", r, 0, w), [&](auto& a) { a.rol(G(w, r), x86::cl); },
          [&](auto& e) { e.ShiftRCl(enc::kRol, w, r); });
      p.Check(
          Name("ror cl", r, 0, w), [&](auto& a) { a.ror(G(w, r), x86::cl); },
          [&](auto& e) { e.ShiftRCl(enc::kRor, w, r); });
      p.Check(
          Name("idiv", r, 0, w), [&](auto& a) { a.idiv(G(w, r)); },
          [&](auto& e) { e.RR(enc::kNoPrefix, 0xF7, w, 7, r); });
      p.Check(
          Name("div", r, 0, w), [&](auto& a) { a.div(G(w, r)); },
          [&](auto& e) { e.RR(enc::kNoPrefix, 0xF7, w, 6, r); });
      p.Check(
          Name("neg", r, 0, w), [&](auto& a) { a.neg(G(w, r)); }, [&](auto& e) { e.NegR(w, r); });
    }
  }
  p.Check(
      "cdq", [&](auto& a) { a.cdq(); }, [&](auto& e) { e.Raw1(false, 0x99); });
  p.Check(
      "cqo", [&](auto& a) { a.cqo(); }, [&](auto& e) { e.Raw1(true, 0x99); });
  for (unsigned r = 0; r < 16; ++r) {
    for (uint32_t imm : {0u, 1u, 127u, 128u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu}) {
      p.Check(
          Name("mov r32,imm", r, imm), [&](auto& a) { a.mov(x86::gpd(r), imm); },
          [&](auto& e) { e.MovRI32(r, imm); });
    }
    for (int32_t imm : {-1, -128, -129, INT32_MIN, -1000, 5}) {
      p.Check(
          Name("mov r64,simm", r, imm),
          [&](auto& a) { a.mov(x86::gpq(r), Imm(static_cast<int64_t>(imm))); },
          [&](auto& e) { e.MovRI64Sx(r, imm); });
    }
    for (uint64_t imm : {0x100000000ull, 0x123456789ABCDEFull, 0xFFFFFFFF00000000ull,
                         0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull}) {
      p.Check(
          Name("movabs", r, static_cast<int64_t>(imm)),
          [&](auto& a) { a.movabs(x86::gpq(r), Imm(static_cast<int64_t>(imm))); },
          [&](auto& e) { e.MovAbs(r, imm); });
    }
    for (unsigned cc = 0; cc < 16; ++cc) {
      p.Check(
          Name("setcc", r, cc),
          [&](auto& a) { a.set(static_cast<x86::CondCode>(cc), x86::gpb(r)); },
          [&](auto& e) { e.Setcc(cc, r); });
    }
    p.Check(
        Name("call r", r, 0), [&](auto& a) { a.call(x86::gpq(r)); },
        [&](auto& e) { e.RR(enc::kNoPrefix, 0xFF, false, 2, r); });
  }
}

TEST(X64Encoder, Xmm) {
  Pair p;
  for (unsigned d = 0; d < 16; ++d) {
    for (unsigned s = 0; s < 16; ++s) {
      p.Check(
          Name("movaps", d, s), [&](auto& a) { a.movaps(x86::xmm(d), x86::xmm(s)); },
          [&](auto& e) { e.RR(enc::kNoPrefix, 0x0F28, false, d, s); });
      p.Check(
          Name("xorps", d, s), [&](auto& a) { a.xorps(x86::xmm(d), x86::xmm(s)); },
          [&](auto& e) { e.RR(enc::kNoPrefix, 0x0F57, false, d, s); });
      p.Check(
          Name("movd", d, s), [&](auto& a) { a.movd(x86::xmm(d), x86::gpd(s)); },
          [&](auto& e) { e.RR(enc::k66, 0x0F6E, false, d, s); });
      p.Check(
          Name("movq", d, s), [&](auto& a) { a.movq(x86::xmm(d), x86::gpq(s)); },
          [&](auto& e) { e.RR(enc::k66, 0x0F6E, true, d, s); });
    }
  }
}

TEST(X64Encoder, Memory) {
  Pair p;
  std::vector<MemCase> m8 = MemCases(8), m4 = MemCases(4), m2 = MemCases(2), m1 = MemCases(1);
  for (unsigned r = 0; r < 16; ++r) {
    for (size_t k = 0; k < m8.size(); ++k) {
      const enc::MemOp& em = m8[k].mine;
      std::string n = std::to_string(r) + " " + m8[k].name;
      p.Check(
          "mov r64", n, [&](auto& a) { a.mov(x86::gpq(r), m8[k].ref); },
          [&](auto& e) { e.MovRM(true, r, em); });
      p.Check(
          "mov r32", n, [&](auto& a) { a.mov(x86::gpd(r), m4[k].ref); },
          [&](auto& e) { e.MovRM(false, r, em); });
      p.Check(
          "mov m64", n, [&](auto& a) { a.mov(m8[k].ref, x86::gpq(r)); },
          [&](auto& e) { e.MovMR(true, em, r); });
      p.Check(
          "mov m32", n, [&](auto& a) { a.mov(m4[k].ref, x86::gpd(r)); },
          [&](auto& e) { e.MovMR(false, em, r); });
      p.Check(
          "mov m16", n, [&](auto& a) { a.mov(m2[k].ref, x86::gpw(r)); },
          [&](auto& e) { e.RM(enc::k66, 0x89, false, r, em); });
      p.Check(
          "mov m8", n, [&](auto& a) { a.mov(m1[k].ref, x86::gpb(r)); },
          [&](auto& e) { e.RM(enc::kNoPrefix, 0x88, false, r, em, enc::Encoder::ByteReg(r)); });
      p.Check(
          "cmp r64", n, [&](auto& a) { a.cmp(x86::gpq(r), m8[k].ref); },
          [&](auto& e) { e.RM(enc::kNoPrefix, 0x3B, true, r, em); });
      p.Check(
          "movzx8", n, [&](auto& a) { a.movzx(x86::gpd(r), m1[k].ref); },
          [&](auto& e) { e.RM(enc::kNoPrefix, 0x0FB6, false, r, em); });
      p.Check(
          "movzx16", n, [&](auto& a) { a.movzx(x86::gpd(r), m2[k].ref); },
          [&](auto& e) { e.RM(enc::kNoPrefix, 0x0FB7, false, r, em); });
      for (bool w : {false, true}) {
        p.Check(
            "movsx8", n, [&](auto& a) { a.movsx(G(w, r), m1[k].ref); },
            [&](auto& e) { e.RM(enc::kNoPrefix, 0x0FBE, w, r, em); });
        p.Check(
            "movsx16", n, [&](auto& a) { a.movsx(G(w, r), m2[k].ref); },
            [&](auto& e) { e.RM(enc::kNoPrefix, 0x0FBF, w, r, em); });
      }
      p.Check(
          "movsxd", n, [&](auto& a) { a.movsxd(x86::gpq(r), m4[k].ref); },
          [&](auto& e) { e.RM(enc::kNoPrefix, 0x63, true, r, em); });
      p.Check(
          "movss x", n, [&](auto& a) { a.movss(x86::xmm(r), m4[k].ref); },
          [&](auto& e) { e.RM(enc::kF3, 0x0F10, false, r, em); });
      p.Check(
          "movsd x", n, [&](auto& a) { a.movsd(x86::xmm(r), m8[k].ref); },
          [&](auto& e) { e.RM(enc::kF2, 0x0F10, false, r, em); });
      p.Check(
          "movss m", n, [&](auto& a) { a.movss(m4[k].ref, x86::xmm(r)); },
          [&](auto& e) { e.RM(enc::kF3, 0x0F11, false, r, em); });
      p.Check(
          "movsd m", n, [&](auto& a) { a.movsd(m8[k].ref, x86::xmm(r)); },
          [&](auto& e) { e.RM(enc::kF2, 0x0F11, false, r, em); });
    }
  }
  for (size_t k = 0; k < m8.size(); ++k) {
    const enc::MemOp& em = m8[k].mine;
    p.Check(
        "call", m8[k].name, [&](auto& a) { a.call(m8[k].ref); },
        [&](auto& e) { e.RM(enc::kNoPrefix, 0xFF, false, 2, em); });
    for (int32_t imm : kImms) {
      p.Check(
          "mov m64, imm", m8[k].name,
          [&](auto& a) { a.mov(m8[k].ref, Imm(static_cast<int64_t>(imm))); },
          [&](auto& e) { e.MovMI(true, em, imm); });
      p.Check(
          "mov m32, imm", m8[k].name, [&](auto& a) { a.mov(m4[k].ref, Imm(imm)); },
          [&](auto& e) { e.MovMI(false, em, imm); });
    }
  }
  // Scaled indices ([base + index * 2^scale + disp]).
  for (unsigned r = 0; r < 16; ++r) {
    for (unsigned b = 0; b < 16; ++b) {
      for (unsigned i = 0; i < 16; ++i) {
        if (i == 4) continue;
        for (uint8_t sc = 0; sc < 4; ++sc) {
          for (int32_t d : {0, 8, -129, 100000}) {
            enc::MemOp em{static_cast<uint8_t>(b), static_cast<uint8_t>(i), sc, d};
            p.Check(
                "mov r64, scaled",
                MemName(b, static_cast<int>(i), d) + " scale " + std::to_string(sc),
                [&](auto& a) {
                  a.mov(x86::gpq(r), x86::qword_ptr(x86::gpq(b), x86::gpq(i), sc, d));
                },
                [&](auto& e) { e.MovRM(true, r, em); });
          }
        }
      }
    }
  }
  EXPECT_GT(p.count(), 500000u);
}

// Branches: bound labels at every distance around the rel8 boundary (short vs near form),
// unbound labels (near form plus a link patched at bind), calls.
TEST(X64Encoder, Branches) {
  Pair p;
  const size_t kBack[] = {0, 1, 2, 100, 121, 122, 123, 124, 125, 126, 127, 128, 129, 200, 5000};
  for (size_t back : kBack) {
    for (unsigned cc = 0; cc < 16; ++cc) {
      uint32_t l = p.NewLabel();
      p.Bind(l);
      p.Pad(back);
      p.Check(
          Name("jcc back", cc, static_cast<int64_t>(back)),
          [&](auto& a) { a.j(static_cast<x86::CondCode>(cc), Label(l)); },
          [&](auto& e) { e.Jcc(cc, l); });
    }
    uint32_t l = p.NewLabel();
    p.Bind(l);
    p.Pad(back);
    p.Check(
        Name("jmp back", 0, static_cast<int64_t>(back)), [&](auto& a) { a.jmp(Label(l)); },
        [&](auto& e) { e.Jmp(l); });
    p.Check(
        Name("call back", 0, static_cast<int64_t>(back)), [&](auto& a) { a.call(Label(l)); },
        [&](auto& e) { e.Call(l); });
  }
  // Forward: several uses of one label, then the bind patches them all.
  for (size_t fwd : {0, 1, 127, 128, 4000}) {
    uint32_t l = p.NewLabel();
    for (unsigned cc = 0; cc < 16; ++cc) {
      p.Check(
          Name("jcc fwd", cc, static_cast<int64_t>(fwd)),
          [&](auto& a) { a.j(static_cast<x86::CondCode>(cc), Label(l)); },
          [&](auto& e) { e.Jcc(cc, l); });
    }
    p.Check(
        Name("jmp fwd", 0, static_cast<int64_t>(fwd)), [&](auto& a) { a.jmp(Label(l)); },
        [&](auto& e) { e.Jmp(l); });
    p.Check(
        Name("call fwd", 0, static_cast<int64_t>(fwd)), [&](auto& a) { a.call(Label(l)); },
        [&](auto& e) { e.Call(l); });
    p.Pad(fwd);
    p.Bind(l);
    p.CompareAll(Name("after bind", 0, static_cast<int64_t>(fwd)));
  }
  // A label never bound keeps its links (cross-chunk calls): same bytes, same links.
  uint32_t ext = p.NewLabel();
  p.Check(
      "call unbound", [&](auto& a) { a.call(Label(ext)); }, [&](auto& e) { e.Call(ext); });
  p.Pad(3);
  p.Check(
      "call unbound 2", [&](auto& a) { a.call(Label(ext)); }, [&](auto& e) { e.Call(ext); });
  p.CompareAll("end");
  p.CompareLinks(ext);
}

}  // namespace
}  // namespace wt::jit::x64
