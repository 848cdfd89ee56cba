// The direct encoder (src/jit/x64/encoder_x64.h) must not change a byte of the code: whole
// modules are compiled with it and with every instruction sent through asmjit's generic
// x86::Assembler (Masm::SetDirectEncoding(false)), and the code, the function ranges and the
// trap and call sites are compared. The modules: tests/disas/x64/*.wat, a generated module
// covering every Masm operation the compiler emits, and the .wasm files named in
// WTRUN_IDENTITY_MODULES (colon-separated; large real-world modules, not in the repo).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "jit/compiler.h"
#include "jit/x64/masm_x64.h"
#include "jit_test_util.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

#ifndef WTRUN_DISAS_DIR
#error "WTRUN_DISAS_DIR must name tests/disas (set in tests/CMakeLists.txt)"
#endif

namespace wt::jit {
namespace {

namespace fs = std::filesystem;

using Code = testing::CodeSnapshot;

Code CompileWith(const wasm::Module& m, bool direct, SimdIsa isa = SimdIsa::kAuto,
                 uint32_t chunk_bytes = 0) {
  x64::Masm::SetDirectEncoding(direct);
  CompileOptions co;
  co.jobs = 1;
  co.simd_isa = isa;
  co.chunk_bytes = chunk_bytes;
  auto c = CompileModule(m, co);
  x64::Masm::SetDirectEncoding(true);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  if (!c.ok()) return Code{};
  const CodeObject& code = *(*c)->code;
  Code out = testing::Snapshot(code);
  return out;
}

// Compares both encodings of `m`; returns the code size.
size_t ExpectSameCode(const wasm::Module& m, const std::string& name, SimdIsa isa = SimdIsa::kAuto,
                      uint32_t chunk_bytes = 0) {
  Code fast = CompileWith(m, true, isa, chunk_bytes);
  Code ref = CompileWith(m, false, isa, chunk_bytes);
  EXPECT_FALSE(ref.bytes.empty()) << name;
  EXPECT_EQ(fast.bytes.size(), ref.bytes.size()) << name;
  size_t n = std::min(fast.bytes.size(), ref.bytes.size());
  for (size_t i = 0; i < n; ++i) {
    if (fast.bytes[i] != ref.bytes[i]) {
      ADD_FAILURE() << name << ": first difference at code offset " << i;
      break;
    }
  }
  EXPECT_EQ(fast.funcs.size(), ref.funcs.size()) << name;
  for (size_t i = 0; i < std::min(fast.funcs.size(), ref.funcs.size()); ++i) {
    EXPECT_EQ(fast.funcs[i].begin, ref.funcs[i].begin) << name << " func " << i;
    EXPECT_EQ(fast.funcs[i].end, ref.funcs[i].end) << name << " func " << i;
  }
  EXPECT_EQ(fast.traps.size(), ref.traps.size()) << name;
  for (size_t i = 0; i < std::min(fast.traps.size(), ref.traps.size()); ++i)
    EXPECT_EQ(fast.traps[i].code_offset, ref.traps[i].code_offset) << name << " trap " << i;
  EXPECT_EQ(fast.calls.size(), ref.calls.size()) << name;
  for (size_t i = 0; i < std::min(fast.calls.size(), ref.calls.size()); ++i)
    EXPECT_EQ(fast.calls[i].return_offset, ref.calls[i].return_offset) << name << " call " << i;
  return ref.bytes.size();
}

bool LoadValid(std::vector<uint8_t> bytes, wasm::Module* out) {
  auto m = wasm::ReadModule(std::move(bytes));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  if (!m.ok()) return false;
  Status v = wasm::ValidateModule(*m);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
  if (!v.ok()) return false;
  *out = std::move(*m);
  return true;
}

// Every integer/float op in i32/i64/f32/f64 form, loads and stores of every width with small,
// disp8-boundary and large offsets, locals beyond the disp8 range of rbp, many live values
// (all registers), calls, call_indirect, br_table, selects and conversions.
std::string EverythingModule() {
  std::string w =
      "(module (memory 1) (table 2 funcref) (global $g (mut i64) (i64.const 0))\n"
      "(type $t (func (param i32) (result i32)))\n"
      "(func $id (type $t) (local.get 0))\n";
  const char* i_bin[] = {"add",   "sub",   "mul",  "and",  "or",    "xor",   "shl",
                         "shr_s", "shr_u", "rotl", "rotr", "div_s", "div_u", "rem_s",
                         "rem_u", "eq",    "ne",   "lt_s", "lt_u",  "gt_s",  "gt_u",
                         "le_s",  "le_u",  "ge_s", "ge_u"};
  const char* consts[] = {"0", "1", "-1", "127", "128", "-128", "-129", "1000", "2147483647"};
  for (const char* t : {"i32", "i64"}) {
    std::string T = t;
    w += "(func (export \"bin_" + T + "\") (param " + T + " " + T + ") (result " + T + ")\n";
    w += "  (local " + T + " " + T + ")\n";
    w += "  (local.set 2 (local.get 0)) (local.set 3 (local.get 1))\n";
    for (const char* op : i_bin) {
      std::string O = op;
      bool cmp = O == "eq" || O == "ne" || O[0] == 'l' || O[0] == 'g';
      auto expr = [&](const std::string& a, const std::string& b) {
        std::string e = "(" + T + "." + O + " " + a + " " + b + ")";
        return cmp && T == "i64" ? "(i64.extend_i32_u " + e + ")" : e;
      };
      // reg-reg, reg-imm and dst == rhs shapes.
      w += "  (local.set 2 " + expr("(local.get 2)", "(local.get 3)") + ")\n";
      w += "  (local.set 3 " + expr("(local.get 3)", "(local.get 2)") + ")\n";
      for (const char* c : consts) {
        bool div = O.find("div") != std::string::npos || O.find("rem") != std::string::npos;
        if (div && (std::string(c) == "0" || std::string(c) == "-1")) continue;
        w += "  (local.set 2 " + expr("(local.get 2)", "(" + T + ".const " + c + ")") + ")\n";
      }
      w += "  (block (br_if 0 (" + T + "." + (cmp ? O : std::string("eq")) +
           " (local.get 2) (local.get 3))))\n";
    }
    w += "  (local.get 2))\n";
  }
  // Many live values across register pressure, selects, unops, conversions.
  w += "(func (export \"pressure\") (param i32 i64 f32 f64) (result i64)\n"
       "  (local i32 i64 f32 f64)\n";
  for (int i = 0; i < 20; ++i)
    w += "  (i64.add (local.get 1) (i64.const " + std::to_string(i) + "))\n";
  for (int i = 0; i < 19; ++i) w += "  i64.add\n";
  w += "  (i64.extend_i32_s (i32.clz (local.get 0))) i64.add\n"
       "  (i64.extend_i32_u (i32.ctz (local.get 0))) i64.add\n"
       "  (i64.popcnt (local.get 1)) i64.add\n"
       "  (i64.extend8_s (local.get 1)) i64.add (i64.extend16_s (local.get 1)) i64.add\n"
       "  (i64.extend32_s (local.get 1)) i64.add\n"
       "  (i64.extend_i32_s (i32.extend8_s (local.get 0))) i64.add\n"
       "  (i64.extend_i32_s (i32.extend16_s (local.get 0))) i64.add\n"
       "  (i64.extend_i32_u (i32.wrap_i64 (local.get 1))) i64.add\n"
       "  (i64.extend_i32_u (i64.eqz (local.get 1))) i64.add\n"
       "  (i64.extend_i32_u (i32.eqz (local.get 0))) i64.add\n"
       "  (select (local.get 1) (i64.const 5) (local.get 0)) i64.add\n"
       "  (i64.trunc_f64_s (f64.add (local.get 3) (f64.const 1.5))) i64.add\n"
       "  (i64.trunc_sat_f32_u (f32.mul (local.get 2) (f32.const 2.5))) i64.add\n"
       "  (i64.reinterpret_f64 (select (local.get 3) (f64.const -0) (local.get 0))) i64.add\n"
       "  (i64.extend_i32_u (f64.lt (local.get 3) (f64.convert_i64_u (local.get 1)))) i64.add\n"
       "  (i64.extend_i32_u (f32.ne (local.get 2) (f32.const 0))) i64.add\n"
       "  (global.set $g (i64.const 0x123456789))\n"
       "  (global.set $g (i64.const -5))\n"
       "  (i64.add (global.get $g)))\n";
  // Memory: every width, offsets around the disp8 and disp32 boundaries, constant addresses.
  w += "(func (export \"mem\") (param i32 i64 f32 f64) (result i64)\n"
       "  (local $s i64)\n";
  const char* offsets[] = {"0",     "1",          "127",        "128",       "255",
                           "65536", "2147483647", "2147483648", "4294967295"};
  const char* loads[] = {"i64.load",     "i64.load8_s",  "i64.load8_u", "i64.load16_s",
                         "i64.load16_u", "i64.load32_s", "i64.load32_u"};
  const char* i32loads[] = {"i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s",
                            "i32.load16_u"};
  for (const char* off : offsets) {
    std::string O = off;
    for (const char* ld : loads)
      w += "  (local.set $s (i64.add (local.get $s) (" + std::string(ld) + " offset=" + O +
           " (local.get 0))))\n";
    for (const char* ld : i32loads)
      w += "  (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (" + std::string(ld) +
           " offset=" + O + " (local.get 0)))))\n";
    w += "  (i64.store offset=" + O +
         " (local.get 0) (local.get 1))\n"
         "  (i64.store32 offset=" +
         O +
         " (local.get 0) (local.get 1))\n"
         "  (i64.store16 offset=" +
         O +
         " (local.get 0) (local.get 1))\n"
         "  (i64.store8 offset=" +
         O +
         " (local.get 0) (local.get 1))\n"
         "  (i32.store8 offset=" +
         O +
         " (local.get 0) (i32.wrap_i64 (local.get 1)))\n"
         "  (f32.store offset=" +
         O +
         " (local.get 0) (local.get 2))\n"
         "  (f64.store offset=" +
         O +
         " (local.get 0) (local.get 3))\n"
         "  (local.set 2 (f32.load offset=" +
         O +
         " (local.get 0)))\n"
         "  (local.set 3 (f64.load offset=" +
         O +
         " (local.get 0)))\n"
         "  (local.set $s (i64.add (local.get $s) (i64.load offset=" +
         O + " (i32.const 64))))\n";
  }
  w += "  (local.get $s))\n";
  // Many locals (frame offsets past disp8), loops, br_table, calls.
  w += "(func (export \"ctl\") (param i32) (result i32)\n  (local";
  for (int i = 0; i < 40; ++i) w += " i64";
  w += ")\n";
  for (int i = 1; i < 40; ++i)
    w += "  (local.set " + std::to_string(i) + " (i64.add (local.get " +
         std::to_string(i - 1 + (i == 1)) + ") (i64.const " + std::to_string(i) + ")))\n";
  w += "  (block (block (block (br_table 0 1 2 (local.get 0))) (local.set 0 (i32.const 3)))\n"
       "    (loop (local.set 0 (call $id (i32.sub (local.get 0) (i32.const 1))))\n"
       "      (br_if 0 (i32.gt_s (local.get 0) (i32.const 0)))))\n"
       "  (call_indirect (type $t) (local.get 0) (i32.const 1))\n"
       "  (i32.wrap_i64 (local.get 39)) i32.add)\n";
  return w + "(elem (i32.const 0) $id $id))";
}

TEST(X64Identity, GeneratedModule) {
  auto bytes = text::WatToBinary(EverythingModule(), "everything.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  wasm::Module m;
  ASSERT_TRUE(LoadValid(std::move(*bytes), &m));
  EXPECT_GT(ExpectSameCode(m, "everything"), 4000u);
}

// SIMD: v128 constants (pool entries referenced from many places, zero, all ones, splat
// constants), every v128 load and store form with small, disp8-boundary, > 2^31 and constant
// addresses, lanes, v128 locals, params and results, and scalar code with branches around them
// (the pool label is bound by asmjit, plain rel32 links by the direct encoder).
std::string SimdModule() {
  std::string w =
      "(module (memory 1)\n"
      "(func $f (param v128 i32 v128) (result v128 v128) (local.get 2) (local.get 0))\n"
      "(func (export \"simd\") (param i32 v128) (result v128)\n"
      "  (local $v v128) (local $w v128) (local $i i32)\n";
  const char* offsets[] = {"0", "1", "127", "128", "65536", "2147483647", "2147483648"};
  const char* loads[] = {"v128.load",         "v128.load8x8_s",    "v128.load8x8_u",
                         "v128.load16x4_s",   "v128.load16x4_u",   "v128.load32x2_s",
                         "v128.load32x2_u",   "v128.load8_splat",  "v128.load16_splat",
                         "v128.load32_splat", "v128.load64_splat", "v128.load32_zero",
                         "v128.load64_zero"};
  const std::pair<const char*, int> lanes[] = {{"8", 16}, {"16", 8}, {"32", 4}, {"64", 2}};
  for (const char* off : offsets) {
    std::string O = off;
    for (const char* ld : loads) {
      w += "  (local.set $v (" + std::string(ld) + " offset=" + O + " (local.get 0)))\n";
      w += "  (v128.store offset=" + O + " (local.get 0) (local.get $v))\n";
    }
    w += "  (v128.store offset=" + O + " (i32.const 48) (v128.load offset=" + O +
         " (i32.const 32)))\n";
    for (const auto& [bits, n] : lanes) {
      for (int l = 0; l < n; l += n / 2 - (n == 2 ? 0 : 1)) {
        std::string L = std::to_string(l);
        w += "  (local.set $v (v128.load" + std::string(bits) + "_lane offset=" + O + " " + L +
             " (local.get 0) (local.get $v)))\n";
        w += "  (v128.store" + std::string(bits) + "_lane offset=" + O + " " + L +
             " (local.get 0) (local.get $v))\n";
      }
    }
  }
  w += "  (v128.store (local.get 0) (v128.const i32x4 0 0 0 0))\n"
       "  (v128.store (local.get 0) (v128.const i32x4 -1 -1 -1 -1))\n"
       "  (v128.store (local.get 0) (v128.const i32x4 1 2 3 4))\n"
       "  (v128.store (local.get 0) (v128.const i64x2 0x123456789 -5))\n"
       "  (v128.store (local.get 0) (i16x8.splat (i32.const 3)))\n"
       "  (local.set $w (v128.const i32x4 1 2 3 4))\n"
       "  (loop $l\n"
       "    (local.set $v (v128.load (local.get $i)))\n"
       "    (if (i32.eqz (local.get $i)) (then (local.set $w (v128.const i8x16 9 9 9 9 9 9 9 9 9 "
       "9 9 9 9 9 9 8))))\n"
       "    (v128.store (local.get $i) (select (local.get $v) (local.get $w) (local.get $i)))\n"
       "    (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const 16)))))\n"
       "  (call $f (local.get $v) (i32.const 1) (local.get $w))\n"
       "  drop)\n)";
  return w;
}

TEST(X64Identity, SimdModule) {
  auto bytes = text::WatToBinary(SimdModule(), "simd.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  wasm::Module m;
  ASSERT_TRUE(LoadValid(std::move(*bytes), &m));
  EXPECT_GT(ExpectSameCode(m, "simd sse4.1", SimdIsa::kSse41), 4000u);
  if (x64::HostCpuFeatures().avx) {
    EXPECT_GT(ExpectSameCode(m, "simd avx", SimdIsa::kAvx), 4000u);
  }
  if (x64::HostCpuFeatures().avx2) {
    EXPECT_GT(ExpectSameCode(m, "simd avx2", SimdIsa::kAvx2), 4000u);
  }
  // One function per chunk: a pool per chunk, cross-chunk calls patched (ExternalLinks).
  EXPECT_GT(ExpectSameCode(m, "simd sse4.1 chunked", SimdIsa::kSse41, 1), 4000u);
}

// Every 0xFD opcode (the opcode table's, relaxed SIMD included) once, its operands from
// locals of the right types, its result dropped: each must compile at every ISA level, with
// the same bytes from both encoders.
std::string EverySimdOpModule() {
  using wasm::SigKind;
  auto local = [](SigKind k) -> std::string {
    switch (k) {
      case SigKind::kI32:
      case SigKind::kAddr:
        return "(local.get $i)";
      case SigKind::kI64:
        return "(local.get $l)";
      case SigKind::kF32:
        return "(local.get $f)";
      case SigKind::kF64:
        return "(local.get $d)";
      case SigKind::kV128:
        return "(local.get $v)";
    }
    return "";
  };
  std::string w =
      "(module (memory 1)\n(func (export \"all\") (param $i i32) (param $l i64) (param $f f32)"
      " (param $d f64) (param $v v128)\n";
  int n = 0;
  for (auto op = static_cast<uint32_t>(wasm::Op::V128Load);
       op <= static_cast<uint32_t>(wasm::Op::I32x4RelaxedDotI8x16I7x16AddS); ++op) {
    const wasm::OpInfo& info = wasm::GetOpInfo(static_cast<wasm::Op>(op));
    if (info.prefix != 0xFD) continue;
    std::string e = "(";
    e.append(info.text);
    uint32_t lanes = wasm::LaneCount(info.imm);
    switch (info.imm) {
      case wasm::Imm::kV128:
        e.append(" i64x2 0x0123456789abcdef -2");
        break;
      case wasm::Imm::kShuffle:
        e.append(" 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31");
        break;
      case wasm::Imm::kNone:
        break;
      default:
        if (wasm::NaturalAlignLog2(info.imm) > 0 || info.imm == wasm::Imm::kMem1 ||
            info.imm == wasm::Imm::kMemLane1)
          e.append(" offset=").append(std::to_string(n % 3 == 0 ? 0 : 100 + n));
        if (lanes != 0) e.append(" ").append(std::to_string(lanes - 1));
        break;
    }
    for (uint8_t k = 0; k < info.sig.num_params; ++k)
      e.append(" ").append(local(info.sig.params[k]));
    e.append(")");
    w.append(info.sig.num_results ? "  (drop " : "  ").append(e);
    w.append(info.sig.num_results ? ")\n" : "\n");
    ++n;
  }
  EXPECT_EQ(n, 256);
  return w + "))";
}

TEST(X64Identity, EverySimdOp) {
  auto bytes = text::WatToBinary(EverySimdOpModule(), "every_simd_op.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  wasm::Module m;
  ASSERT_TRUE(LoadValid(std::move(*bytes), &m));
  x64::CpuFeatures host = x64::HostCpuFeatures();
  EXPECT_GT(ExpectSameCode(m, "every simd op sse4.1", SimdIsa::kSse41), 2000u);
  if (host.sse42) {
    EXPECT_GT(ExpectSameCode(m, "every simd op sse4.2", SimdIsa::kSse42), 2000u);
  }
  if (host.avx) {
    EXPECT_GT(ExpectSameCode(m, "every simd op avx", SimdIsa::kAvx), 2000u);
  }
  if (host.avx2) {
    EXPECT_GT(ExpectSameCode(m, "every simd op avx2", SimdIsa::kAvx2), 2000u);
  }
}

TEST(X64Identity, DisasModules) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(WTRUN_DISAS_DIR) / "x64")) {
    if (entry.path().extension() != ".wat") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto bytes = text::WatToBinary(ss.str(), entry.path().filename().string());
    ASSERT_TRUE(bytes.ok()) << entry.path();
    wasm::Module m;
    ASSERT_TRUE(LoadValid(std::move(*bytes), &m)) << entry.path();
    ExpectSameCode(m, entry.path().filename().string());
    ++n;
  }
  EXPECT_GE(n, 8);
}

// Large modules named in WTRUN_IDENTITY_MODULES (the SpiderMonkey builds in
// docs/performance.md); without the variable this checks the switch itself.
TEST(X64Identity, ExternalModules) {
  EXPECT_TRUE(x64::Masm::DirectEncoding());
  const char* env = std::getenv("WTRUN_IDENTITY_MODULES");
  if (env == nullptr) return;
  std::stringstream list(env);
  std::string path;
  while (std::getline(list, path, ':')) {
    if (path.empty()) continue;
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << path;
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    wasm::Module m;
    ASSERT_TRUE(LoadValid(std::move(bytes), &m)) << path;
    size_t size = ExpectSameCode(m, path);
    std::printf("identical code: %s (%zu bytes)\n", path.c_str(), size);
  }
}

}  // namespace
}  // namespace wt::jit
