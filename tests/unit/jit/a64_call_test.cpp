// [a64] Calls, trampolines and host glue of the aarch64 back end (jit/a64/masm_a64_call.cpp,
// trampolines_a64.cpp, compile_host_a64.cpp, cpu_a64.cpp). The encoding tests run on every
// host (the a64 Masm only emits bytes); the execution tests run in the aarch64 build (under
// qemu-aarch64 on an x86_64 machine).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "jit/a64/masm_a64.h"
#include "jit/compiler.h"

#if defined(__aarch64__)
#include "../runtime/runtime_test_util.h"
#include "jit_test_util.h"
#include "runtime/runtime.h"
#endif

namespace wt::jit::a64 {
namespace {

// The code of a finished Masm as 32-bit instruction words.
std::vector<uint32_t> Words(Masm& m) {
  auto size = m.Finish();
  EXPECT_TRUE(size.ok()) << (size.ok() ? "" : size.error().ToString());
  EXPECT_EQ(m.error(), "");
  if (!size.ok()) return {};
  std::vector<uint8_t> bytes(*size);
  EXPECT_TRUE(m.CopyTo(bytes.data(), bytes.size(), 0x10000).ok());
  std::vector<uint32_t> words(bytes.size() / 4);
  if (!words.empty())  // memcpy of nothing from a null buffer is UB
    std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

bool Contains(const std::vector<uint32_t>& words, uint32_t w) {
  for (uint32_t x : words)
    if (x == w) return true;
  return false;
}

// Expected words from aarch64-linux-gnu-as.
TEST(A64Call, CallFuncRefSequence) {
  Masm m(CpuFeatures{});
  m.CallFuncRef(Reg::Gp(3));
  std::vector<uint32_t> w = Words(m);
  std::vector<uint32_t> want = {
      0xaa0303f0,  // mov x16, x3        (the FuncRef; x3 may be x11 itself)
      0xaa1c03eb,  // mov x11, x28       (caller vmctx)
      0xf940061c,  // ldr x28, [x16, #8] (FuncRef::vmctx)
      0xf940039b,  // ldr x27, [x28]     (its memory 0 base)
      0xf9400210,  // ldr x16, [x16]     (FuncRef::code)
      0xd63f0200,  // blr x16
  };
  EXPECT_EQ(w, want);
}

TEST(A64Call, CallFuncRefFromCallerVmctxRegister) {
  // ref = x11 (code 11, kCallerVmctx): copied to x16 before x11 is overwritten.
  Masm m(CpuFeatures{});
  m.CallFuncRef(Masm::kCallerVmctx);
  std::vector<uint32_t> w = Words(m);
  ASSERT_GE(w.size(), 2u);
  EXPECT_EQ(w[0], 0xaa0b03f0u);  // mov x16, x11
  EXPECT_EQ(w[1], 0xaa1c03ebu);  // mov x11, x28
}

TEST(A64Call, CallIndirectCheckSequence) {
  Masm m(CpuFeatures{});
  Label undefined = m.NewLabel(), null = m.NewLabel(), mismatch = m.NewLabel();
  m.CallIndirectCheck(Reg::Gp(4), Reg::Gp(5), 2, 3, undefined, null, mismatch);
  m.Bind(undefined);
  m.Bind(null);
  m.Bind(mismatch);
  m.RawRet();
  std::vector<uint32_t> w = Words(m);
  ASSERT_EQ(w.size(), 14u);
  EXPECT_EQ(w[0], 0xf9401385u);                 // ldr x5, [x28, #32]   tables
  EXPECT_EQ(w[1], 0xf94008a5u);                 // ldr x5, [x5, #16]    table 2
  EXPECT_EQ(w[2], 0xf94004b0u);                 // ldr x16, [x5, #8]    size
  EXPECT_EQ(w[3], 0xeb10009fu);                 // cmp x4, x16
  EXPECT_EQ(w[4] & 0xff00001fu, 0x54000002u);   // b.hs
  EXPECT_EQ(w[5], 0xf94000a5u);                 // ldr x5, [x5]         elems
  EXPECT_EQ(w[6], 0xf86478a5u);                 // ldr x5, [x5, x4, lsl #3]
  EXPECT_EQ(w[7] & 0xff00001fu, 0xb4000005u);   // cbz x5
  EXPECT_EQ(w[8], 0xf9401b90u);                 // ldr x16, [x28, #48]  type_ids
  EXPECT_EQ(w[9], 0xb9400e10u);                 // ldr w16, [x16, #12]  type 3
  EXPECT_EQ(w[10], 0xb94010b1u);                // ldr w17, [x5, #16]   FuncRef::type_id
  EXPECT_EQ(w[11], 0x6b11021fu);                // cmp w16, w17
  EXPECT_EQ(w[12] & 0xff00001fu, 0x54000001u);  // b.ne
}

TEST(A64Call, CallIndirectCheckLargeIndices) {
  // Table 5000 (offset 40000) and type 5000 (offset 20000) are beyond the scaled immediate
  // forms: the offsets go through x17.
  Masm m(CpuFeatures{});
  Label l = m.NewLabel();
  m.CallIndirectCheck(Reg::Gp(4), Reg::Gp(5), 5000, 5000, l, l, l);
  m.Bind(l);
  m.RawRet();
  std::vector<uint32_t> w = Words(m);
  EXPECT_TRUE(Contains(w, 0xd2938811u));  // mov x17, #40000
  EXPECT_TRUE(Contains(w, 0xf87168a5u));  // ldr x5, [x5, x17]
  EXPECT_TRUE(Contains(w, 0xd289c411u));  // mov x17, #20000
  EXPECT_TRUE(Contains(w, 0xb8716a10u));  // ldr w16, [x16, x17]
}

int AbsoluteTarget(int x) {
  return x + 1;
}

TEST(A64Call, CallBuiltinByAddressIsNotPositionIndependent) {
  Masm m(CpuFeatures{});
  m.CallBuiltin(reinterpret_cast<const void*>(&AbsoluteTarget));
  std::vector<uint32_t> w = Words(m);
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w.back(), 0xd63f0200u);  // blr x16
  EXPECT_FALSE(m.PositionIndependent());
}

wasm::FuncType SigOf(std::vector<wasm::ValType> params, std::vector<wasm::ValType> results) {
  wasm::FuncType t;
  t.params = std::move(params);
  t.results = std::move(results);
  return t;
}

TEST(A64Call, EntryTrampolineSavesCalleeSavedRegisters) {
  Masm m(CpuFeatures{});
  m.EmitEntryTrampoline(SigOf({wasm::ValType::I32()}, {wasm::ValType::F64()}));
  std::vector<uint32_t> w = Words(m);
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w[0], 0xa9b57bfdu);           // stp x29, x30, [sp, #-176]!
  EXPECT_TRUE(Contains(w, 0xa90573fbu));  // stp x27, x28, [sp, #80]
  EXPECT_TRUE(Contains(w, 0x6d0627e8u));  // stp d8, d9, [sp, #96]
  EXPECT_TRUE(Contains(w, 0x6d093feeu));  // stp d14, d15, [sp, #144]
  EXPECT_TRUE(Contains(w, 0xa8cb7bfdu));  // ldp x29, x30, [sp], #176
  EXPECT_TRUE(Contains(w, 0xd63f0020u));  // blr x1
  EXPECT_EQ(w.back(), 0xd65f03c0u);       // ret
}

TEST(A64Call, HostStubRecordsTheExitAndRaisesTraps) {
  Masm m(CpuFeatures{});
  m.EmitHostStub(SigOf({wasm::ValType::I64()}, {wasm::ValType::I32()}));
  std::vector<uint32_t> w = Words(m);
  ASSERT_GE(w.size(), 2u);
  EXPECT_EQ(w[0], 0xf9402170u);           // ldr x16, [x11, #64]  store_ctx
  EXPECT_EQ(w[1], 0xa9007a1du);           // stp x29, x30, [x16]  last_exit_fp / pc
  EXPECT_TRUE(Contains(w, 0x51000400u));  // sub w0, w0, #1       trap code
  EXPECT_EQ(w.back(), 0x00000000u);       // udf #0 after wt_raise_trap
  std::vector<ExternalLink> links;
  ASSERT_TRUE(m.ExternalLinks(&links).ok());
  ASSERT_EQ(links.size(), 1u);  // the builtin table (wt_raise_trap)
  EXPECT_EQ(links[0].label, m.BuiltinTableLabelId());
}

TEST(A64Call, SimdIsaPolicy) {
  // x86_64 levels are an error naming the level; auto compiles for the host's features.
  auto r = CompileFeatures(CpuFeatures{}, SimdIsa::kSse41);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().ToString().find("--simd-isa sse4.1: x86_64 levels do not apply on aarch64"),
            std::string::npos)
      << r.error().ToString();
  EXPECT_FALSE(CompileFeatures(CpuFeatures{}, SimdIsa::kAvx2).ok());
  const char* env = std::getenv("WTRUN_SIMD_ISA");
  if (env == nullptr || *env == '\0' || std::string(env) == "auto") {
    CpuFeatures host;
    host.dotprod = true;
    auto a = CompileFeatures(host, SimdIsa::kAuto);
    ASSERT_TRUE(a.ok()) << a.error().ToString();
    EXPECT_TRUE(a->dotprod);
  }
}

}  // namespace
}  // namespace wt::jit::a64

#if defined(__aarch64__)

namespace wt::jit::testing {
namespace {

runtime::ValueSlot V(uint64_t lo, uint64_t hi) {
  runtime::ValueSlot s{};
  std::memcpy(s.v128, &lo, 8);
  std::memcpy(s.v128 + 8, &hi, 8);
  return s;
}
uint64_t Lo(const runtime::ValueSlot& s) {
  uint64_t v;
  std::memcpy(&v, s.v128, 8);
  return v;
}
uint64_t Hi(const runtime::ValueSlot& s) {
  uint64_t v;
  std::memcpy(&v, s.v128 + 8, 8);
  return v;
}

// Multi-value results of every kind (result 0 in a register, the rest in the call area),
// through the entry trampoline, a direct call and call_indirect.
TEST(A64CallRun, MultiValue) {
  WT_JIT(j, R"((module
    (type $t (func (param i32 i64 f32 f64 v128) (result f64 i32 v128 i64 f32)))
    (table 1 funcref) (elem (i32.const 0) $mv)
    (func $mv (type $t)
      local.get 3 local.get 0 local.get 4 local.get 1 local.get 2)
    (func (export "mv") (type $t)
      local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $mv)
    (func (export "mv_indirect") (type $t)
      local.get 0 local.get 1 local.get 2 local.get 3 local.get 4
      (call_indirect (type $t) (i32.const 0)))
    (func (export "swap") (result i64 i32)
      (call $two (i32.const 7) (i64.const 0x123456789)) (drop) (drop)
      (call $two (i32.const 9) (i64.const -2)))
    (func $two (param i32 i64) (result i64 i32) local.get 1 local.get 0))
  )");
  for (const char* name : {"mv", "mv_indirect"}) {
    SCOPED_TRACE(name);
    auto r = j.Call(name, {I32(0xdeadbeef), I64(0x1122334455667788ull), F32(1.5f), F64(-2.25),
                           V(0x0102030405060708ull, 0xf0e0d0c0b0a09080ull)});
    ASSERT_EQ(r.size(), 5u);
    EXPECT_EQ(r[0].f64, -2.25);
    EXPECT_EQ(r[1].i32, 0xdeadbeefu);
    EXPECT_EQ(Lo(r[2]), 0x0102030405060708ull);
    EXPECT_EQ(Hi(r[2]), 0xf0e0d0c0b0a09080ull);
    EXPECT_EQ(r[3].i64, 0x1122334455667788ull);
    EXPECT_EQ(r[4].f32, 1.5f);
  }
  auto s = j.Call("swap");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].i64, ~1ull);
  EXPECT_EQ(s[1].i32, 9u);
}

// 40 params of every kind (v128s at even call-area slots after odd counts of scalars), results
// picked from both ends of the area, called from the host and from wasm.
TEST(A64CallRun, ManyParams) {
  const char* kinds[] = {"i32", "i64", "f32", "f64", "v128"};
  std::string params, consts;
  std::vector<runtime::ValueSlot> args;
  for (int i = 0; i < 40; ++i) {
    int k = (i * 7 + i / 5) % 5;
    params += std::string(" ") + kinds[k];
    uint64_t bits = 0x0101010101010101ull * static_cast<uint64_t>(i + 1);
    switch (k) {
      case 0:
        args.push_back(I32(static_cast<uint32_t>(bits)));
        consts += " (i32.const " + std::to_string(static_cast<int32_t>(bits)) + ")";
        break;
      case 1:
        args.push_back(I64(bits));
        consts += " (i64.const " + std::to_string(static_cast<int64_t>(bits)) + ")";
        break;
      case 2:
        args.push_back(F32(static_cast<float>(i) + 0.5f));
        consts += " (f32.const " + std::to_string(i) + ".5)";
        break;
      case 3:
        args.push_back(F64(static_cast<double>(i) * 1.25));
        consts += " (f64.const " + std::to_string(i * 1.25) + ")";
        break;
      default:
        args.push_back(V(bits, ~bits));
        consts += " (v128.const i64x2 " + std::to_string(static_cast<int64_t>(bits)) + " " +
                  std::to_string(static_cast<int64_t>(~bits)) + ")";
        break;
    }
  }
  // Results: params 39 (i32), 2 (v128), 0 (i32), 34 (v128), 4 (f64), 38 (f64), 20 (v128), 1
  // (f32).
  auto kind_of = [&](int i) { return std::string(kinds[(i * 7 + i / 5) % 5]); };
  const int picks[] = {39, 2, 0, 34, 4, 38, 20, 1};
  std::string results, body;
  for (int p : picks) {
    results.append(" ").append(kind_of(p));
    body.append(" local.get ").append(std::to_string(p));
  }
  std::string wat = "(module (func $many (param" + params + ") (result" + results + ")" + body +
                    ") (func (export \"many\") (param" + params + ") (result" + results + ")";
  for (int i = 0; i < 40; ++i) wat += " local.get " + std::to_string(i);
  wat +=
      " call $many) (func (export \"consts\") (result" + results + ")" + consts + " call $many))";
  WT_JIT(j, wat);
  for (const char* name : {"many", "consts"}) {
    SCOPED_TRACE(name);
    auto r = std::string(name) == "many" ? j.Call(name, args) : j.Call(name);
    ASSERT_EQ(r.size(), 8u);
    for (int k = 0; k < 8; ++k) {
      const runtime::ValueSlot& want = args[picks[k]];
      std::string kind = kind_of(picks[k]);
      if (kind == "i32")
        EXPECT_EQ(r[k].i32, want.i32) << "result " << k;
      else if (kind == "f32")
        EXPECT_EQ(r[k].f32, want.f32) << "result " << k;
      else if (kind == "v128")
        EXPECT_TRUE(Lo(r[k]) == Lo(want) && Hi(r[k]) == Hi(want)) << "result " << k;
      else
        EXPECT_EQ(r[k].i64, want.i64) << "result " << k;
    }
  }
}

// The host sees its params in ValueSlots and its results come back in the wasm ABI.
uint32_t HostMix(void* env, runtime::VMContext* caller, runtime::ValueSlot* args) noexcept {
  auto* seen = static_cast<runtime::VMContext**>(env);
  *seen = caller;
  uint32_t a = args[0].i32;
  double b = args[1].f64;
  runtime::ValueSlot v = args[2];
  uint64_t c = args[3].i64;
  float d = args[4].f32;
  args[0].i64 = c + a;                     // i64
  args[1] = V(Hi(v) + 1, Lo(v) + 1);       // v128
  args[2].f32 = d * 2.0f;                  // f32
  args[3].i32 = static_cast<uint32_t>(b);  // i32
  return 0;
}

TEST(A64CallRun, HostCall) {
  runtime::VMContext* seen = nullptr;
  WT_JIT(j, R"((module
    (import "env" "mix" (func $mix (param i32 f64 v128 i64 f32) (result i64 v128 f32 i32)))
    (func (export "run") (param i32 f64 v128 i64 f32) (result i64 v128 f32 i32)
      local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 call $mix)
    (func (export "run_nested") (result i64 v128 f32 i32)
      (call $mix (i32.const 5) (f64.const 42.75) (v128.const i64x2 10 20) (i64.const 1000)
                 (f32.const 0.25)))
  ))",
         {runtime::HostFuncRecord{&HostMix, &seen}});
  auto r = j.Call("run", {I32(3), F64(7.5), V(100, 200), I64(1ull << 40), F32(-4.0f)});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].i64, (1ull << 40) + 3);
  EXPECT_EQ(Lo(r[1]), 201u);
  EXPECT_EQ(Hi(r[1]), 101u);
  EXPECT_EQ(r[2].f32, -8.0f);
  EXPECT_EQ(r[3].i32, 7u);
  EXPECT_EQ(seen, j.vmctx());  // the caller's vmctx (x11)
  // The stub recorded where wasm code was left: a frame pointer and a pc inside the code.
  const CodeObject& code = *j.compiled().code;
  EXPECT_NE(j.store_ctx().last_exit_fp, 0u);
  EXPECT_TRUE(code.Contains(j.store_ctx().last_exit_pc));
  auto n = j.Call("run_nested");
  ASSERT_EQ(n.size(), 4u);
  EXPECT_EQ(n[0].i64, 1005u);
  EXPECT_EQ(Lo(n[1]), 21u);
  EXPECT_EQ(Hi(n[1]), 11u);
  EXPECT_EQ(n[2].f32, 0.5f);
  EXPECT_EQ(n[3].i32, 42u);
}

// The entry trampoline restores every AAPCS64 callee-saved register the wasm code clobbers
// (x27/x28 are its memory base and vmctx) or might: x19..x28 and d8..d15 are set to patterns
// around a call through the EntryFn and read back after it.
struct EntryCall {
  EntryFn fn;
  runtime::VMContext* vmctx;
  const void* code;
  runtime::ValueSlot* slots;
  uint64_t* after;  // x19..x28, then d8..d15
};

void CallWithPatterns(EntryCall* c) {
  register EntryCall* p asm("x9") = c;
  asm volatile(
      "sub sp, sp, #176\n"
      "stp x19, x20, [sp, #0]\n"
      "stp x21, x22, [sp, #16]\n"
      "stp x23, x24, [sp, #32]\n"
      "stp x25, x26, [sp, #48]\n"
      "stp x27, x28, [sp, #64]\n"
      "stp d8, d9, [sp, #80]\n"
      "stp d10, d11, [sp, #96]\n"
      "stp d12, d13, [sp, #112]\n"
      "stp d14, d15, [sp, #128]\n"
      "stp x29, x30, [sp, #144]\n"
      "str x9, [sp, #160]\n"
      "ldr x16, [x9, #0]\n"
      "ldr x0, [x9, #8]\n"
      "ldr x1, [x9, #16]\n"
      "ldr x2, [x9, #24]\n"
      "mov x19, #0x1919\n"
      "mov x20, #0x2020\n"
      "mov x21, #0x2121\n"
      "mov x22, #0x2222\n"
      "mov x23, #0x2323\n"
      "mov x24, #0x2424\n"
      "mov x25, #0x2525\n"
      "mov x26, #0x2626\n"
      "mov x27, #0x2727\n"
      "mov x28, #0x2828\n"
      "fmov d8, x19\n"
      "fmov d9, x20\n"
      "fmov d10, x21\n"
      "fmov d11, x22\n"
      "fmov d12, x23\n"
      "fmov d13, x24\n"
      "fmov d14, x25\n"
      "fmov d15, x26\n"
      "blr x16\n"
      "ldr x9, [sp, #160]\n"
      "ldr x10, [x9, #32]\n"
      "stp x19, x20, [x10, #0]\n"
      "stp x21, x22, [x10, #16]\n"
      "stp x23, x24, [x10, #32]\n"
      "stp x25, x26, [x10, #48]\n"
      "stp x27, x28, [x10, #64]\n"
      "stp d8, d9, [x10, #80]\n"
      "stp d10, d11, [x10, #96]\n"
      "stp d12, d13, [x10, #112]\n"
      "stp d14, d15, [x10, #128]\n"
      "ldp x19, x20, [sp, #0]\n"
      "ldp x21, x22, [sp, #16]\n"
      "ldp x23, x24, [sp, #32]\n"
      "ldp x25, x26, [sp, #48]\n"
      "ldp x27, x28, [sp, #64]\n"
      "ldp d8, d9, [sp, #80]\n"
      "ldp d10, d11, [sp, #96]\n"
      "ldp d12, d13, [sp, #112]\n"
      "ldp d14, d15, [sp, #128]\n"
      "ldp x29, x30, [sp, #144]\n"
      "add sp, sp, #176\n"
      : "+r"(p)
      :
      : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x10", "x11", "x12", "x13", "x14",
        "x15", "x16", "x17", "x30", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17",
        "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
        "v31", "memory", "cc");
}

TEST(A64CallRun, EntryTrampolineRestoresCalleeSaved) {
  // Enough live values to use v8..v14 and every allocatable GP register, and a call.
  WT_JIT(j, R"((module (memory 1)
    (func $id (param f64) (result f64) local.get 0)
    (func (export "f") (param f64) (result f64)
      (f64.add (f64.add (f64.add (f64.add (local.get 0) (f64.const 1)) (f64.add (local.get 0)
        (f64.const 2))) (f64.add (f64.add (local.get 0) (f64.const 3)) (f64.add (local.get 0)
        (f64.const 4)))) (f64.add (f64.add (f64.add (local.get 0) (f64.const 5)) (f64.add
        (local.get 0) (f64.const 6))) (f64.add (f64.add (local.get 0) (f64.const 7)) (f64.add
        (call $id (local.get 0)) (f64.const 8))))))
  ))");
  uint32_t f = 0;
  for (const wasm::Export& e : j.module().exports)
    if (e.name == "f") f = e.index;
  std::vector<runtime::ValueSlot> slots(2);
  slots[0] = F64(1.0);
  uint64_t after[18] = {};
  EntryCall c{j.compiled().entries[j.module().funcs[f].type_index], j.vmctx(),
              j.compiled().func_code[f - j.module().num_imported_funcs], slots.data(), after};
  CallWithPatterns(&c);
  EXPECT_EQ(slots[0].f64, 44.0);
  const uint64_t want[18] = {0x1919, 0x2020, 0x2121, 0x2222, 0x2323, 0x2424,
                             0x2525, 0x2626, 0x2727, 0x2828, 0x1919, 0x2020,
                             0x2121, 0x2222, 0x2323, 0x2424, 0x2525, 0x2626};
  for (int i = 0; i < 18; ++i)
    EXPECT_EQ(after[i], want[i]) << (i < 10 ? "x" : "d") << (i < 10 ? 19 + i : i - 2);
}

}  // namespace
}  // namespace wt::jit::testing

namespace wt::runtime::testing {
namespace {

InvokeResult RunFunc(Store& store, Instance* inst, std::string_view name, std::vector<Value> args) {
  Func* f = inst->GetFunc(name);
  EXPECT_NE(f, nullptr) << name;
  if (f == nullptr) return {};
  auto r = Invoke(store, *f, args);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(*r) : InvokeResult{};
}

// call_indirect's checks, end to end: index out of bounds (an i32 index is compared as
// unsigned 64-bit, so 0xFFFFFFFF is out of bounds), a null entry, a type mismatch.
TEST(A64CallRun, CallIndirectTraps) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (table 4 funcref) (elem (i32.const 0) $inc $nop)
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $nop (type $v))
    (func (export "call") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0))))
  )");
  ASSERT_NE(inst, nullptr);
  InvokeResult ok = RunFunc(store, inst, "call", {Value::I32(0), Value::I32(41)});
  ASSERT_FALSE(ok.trap.has_value());
  EXPECT_EQ(ok.results.at(0).i32(), 42u);
  struct Case {
    uint32_t index;
    TrapCode code;
  };
  for (Case c :
       {Case{1, TrapCode::kIndirectCallTypeMismatch}, Case{2, TrapCode::kUninitializedElement},
        Case{4, TrapCode::kUndefinedElement}, Case{0xFFFFFFFF, TrapCode::kUndefinedElement}}) {
    InvokeResult r = RunFunc(store, inst, "call", {Value::I32(c.index), Value::I32(1)});
    ASSERT_TRUE(r.trap.has_value()) << c.index;
    EXPECT_EQ(r.trap->code, c.code) << c.index;
  }
}

uint32_t HostAddOrTrap(void*, VMContext*, ValueSlot* args) noexcept {
  if (args[0].i32 == 0) return 1 + static_cast<uint32_t>(TrapCode::kHostError);
  args[0].i64 = args[0].i32 + args[1].i64;
  return 0;
}

// A host function's trap (ret != 0) is raised by the stub; its results otherwise.
TEST(A64CallRun, HostTrap) {
  Store store;
  Linker linker;
  linker.Define(
      "env", "add",
      store.NewHostFunc(Sig({wasm::ValType::I32(), wasm::ValType::I64()}, {wasm::ValType::I64()}),
                        HostAddOrTrap, nullptr));
  Instance* inst = Instantiate(linker, store, R"((module
    (import "env" "add" (func $add (param i32 i64) (result i64)))
    (func (export "f") (param i32) (result i64) (call $add (local.get 0) (i64.const 100))))
  )");
  ASSERT_NE(inst, nullptr);
  InvokeResult ok = RunFunc(store, inst, "f", {Value::I32(5)});
  ASSERT_FALSE(ok.trap.has_value());
  EXPECT_EQ(ok.results.at(0).i64(), 105u);
  InvokeResult r = RunFunc(store, inst, "f", {Value::I32(0)});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->code, TrapCode::kHostError);
  // Usable after the trap.
  InvokeResult again = RunFunc(store, inst, "f", {Value::I32(1)});
  ASSERT_FALSE(again.trap.has_value());
  EXPECT_EQ(again.results.at(0).i64(), 101u);
}

}  // namespace
}  // namespace wt::runtime::testing

#endif  // defined(__aarch64__)
