// The .cwasm artifact (runtime/cwasm.h): SHA-256, round trips (from memory and mapped from a
// file) of scalar, SIMD and host-calling modules, traps and backtraces from mapped code, fuel
// and epoch checks, every refusal, and damaged files (never a crash).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "interrupt_test_util.h"
#include "jit/cwasm_format.h"
#include "jit/host_isa.h"
#if defined(WTRUN_ISA_x64)
#include "jit/x64/masm_x64.h"
#endif
#include "runtime/code_registry.h"
#include "runtime/cwasm.h"
#include "runtime/runtime.h"
#include "runtime_test_util.h"
#include "text/wat.h"
#include "util/sha256.h"
#include "wasm/reader.h"

namespace wt::runtime {
namespace {

using jit::cwasm::CwasmHeader;
using jit::cwasm::kPageSize;
using jit::cwasm::Section;
using testing::Guest;
using wasm::ValType;

// ---- SHA-256

std::string Hex(std::string_view s) {
  return util::Sha256Hex(util::Sha256Of(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size())));
}

TEST(Sha256, FipsVectors) {
  EXPECT_EQ(Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                "qklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  // One million 'a', fed in uneven pieces (the buffering across Update calls).
  util::Sha256 sha;
  std::string a(1000, 'a');
  size_t left = 1000000;
  for (size_t piece = 1; left > 0; piece = piece % 997 + 1) {
    size_t n = std::min(piece, left);
    sha.Update(std::string_view(a.data(), n));
    left -= n;
  }
  EXPECT_EQ(util::Sha256Hex(sha.Finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56, 63, 64 bytes: the padding's edge cases, against a one-shot digest of the same.
  for (size_t n : {55, 56, 63, 64, 119, 120}) {
    std::string s(n, 'x');
    util::Sha256 piecewise;
    piecewise.Update(std::string_view(s).substr(0, n / 2));
    piecewise.Update(std::string_view(s).substr(n / 2));
    EXPECT_EQ(util::Sha256Hex(piecewise.Finish()), Hex(s)) << n;
  }
}

// ---- Helpers

std::shared_ptr<LoadedModule> CompileEager(std::string_view wat, const jit::CompileOptions& co) {
  wasm::ReadOptions ro;
  ro.features = co.features;
  text::WatOptions wo;
  wo.features = co.features;
  auto bytes = text::WatToBinary(wat, "test.wat", wo);
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  auto module = wasm::ReadModule(std::move(*bytes), ro);
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return nullptr;
  jit::CompileOptions eager = co;
  eager.mode = jit::CompileMode::kEager;
  auto loaded = LoadModule(std::move(*module), eager);
  EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
  return loaded.ok() ? *loaded : nullptr;
}

jit::CompileOptions Options(bool fuel = false, bool epoch = false) {
  jit::CompileOptions co;
  co.features = wasm::Features::Wasm30();
  co.consume_fuel = fuel;
  co.epoch_interruption = epoch;
  return co;
}

PrecompiledOptions RunOptions(bool fuel = false, bool epoch = false) {
  PrecompiledOptions po;
  po.features = wasm::Features::Wasm30();
  po.need_fuel = fuel;
  po.need_epoch = epoch;
  return po;
}

std::vector<uint8_t> Artifact(std::string_view wat, const jit::CompileOptions& co = Options()) {
  auto lm = CompileEager(wat, co);
  if (!lm) return {};
  auto bytes = SerializeModule(*lm, co);
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  return bytes.ok() ? std::move(*bytes) : std::vector<uint8_t>{};
}

// A file of the test's own, removed at the end.
class TempFile {
 public:
  explicit TempFile(std::span<const uint8_t> bytes) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() /
             ("wtrun-cwasm-" + std::to_string(::getpid()) + "-" + info->name() + ".cwasm"))
                .string();
    std::ofstream(path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

CwasmHeader HeaderOf(const std::vector<uint8_t>& bytes) {
  CwasmHeader h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  return h;
}

void SetHeader(std::vector<uint8_t>* bytes, const CwasmHeader& h) {
  std::memcpy(bytes->data(), &h, sizeof(h));
}

// Recomputes the hashes (so a test can change a hashed header field and reach the check behind
// the hash).
void Rehash(std::vector<uint8_t>* bytes) {
  ASSERT_TRUE(ResealForTesting(*bytes));
}

std::string ErrorOf(std::span<const uint8_t> bytes, const PrecompiledOptions& po = RunOptions()) {
  auto r = LoadPrecompiledBytes(bytes, "t.cwasm", po);
  return r.ok() ? std::string("(loaded)") : r.error().message;
}

constexpr std::string_view kScalar = R"((module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 16) "\05\00\00\00\07\00\00\00")
  (global $g (mut i64) (i64.const 40))
  (table 2 funcref)
  (elem (i32.const 0) $add $mul)
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $bin) (i32.mul (local.get 0) (local.get 1)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "fib") (param i32) (result i32) (call $fib (local.get 0)))
  (func (export "apply") (param i32) (result i32)
    (call_indirect (type $bin) (i32.load (i32.const 16)) (i32.load (i32.const 20))
                   (local.get 0)))
  (func (export "host") (param i32) (result i32) (i32.add (call $twice (local.get 0)) (i32.const 1)))
  (func (export "glob") (result i64)
    (global.set $g (i64.add (global.get $g) (i64.const 2))) (global.get $g))
  (func (export "fdiv") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))))";

uint32_t Twice(void*, VMContext*, ValueSlot* a) noexcept {
  a[0].i32 = a[0].i32 * 2;
  return 0;
}

// Runs kScalar's exports on `lm` and returns what they gave, as text.
std::string RunScalar(std::shared_ptr<LoadedModule> lm) {
  Store store;
  Linker linker;
  linker.Define(
      "host", "twice",
      store.NewHostFunc(testing::Sig({ValType::I32()}, {ValType::I32()}), Twice, nullptr));
  auto inst = linker.Instantiate(store, std::move(lm));
  EXPECT_TRUE(inst.ok()) << inst.error().ToString();
  if (!inst.ok()) return "";
  std::ostringstream out;
  auto call = [&](std::string_view name, std::vector<Value> args) {
    auto r = Invoke(store, *(*inst)->GetFunc(name), args);
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->trap) return out << name << ": trap; ", void();
    out << name << ": " << r->results[0].bits.i64 << "; ";
  };
  call("fib", {Value::I32(20)});
  call("apply", {Value::I32(0)});
  call("apply", {Value::I32(1)});
  call("host", {Value::I32(20)});
  call("glob", {});
  call("glob", {});
  call("fdiv", {Value::F64(1.0), Value::F64(8.0)});
  call("grow", {});
  call("apply", {Value::I32(2)});  // out of the table: traps
  return out.str();
}

// ---- Round trips

TEST(Cwasm, RoundTripFromMemoryAndFile) {
  auto co = Options();
  auto lm = CompileEager(kScalar, co);
  ASSERT_NE(lm, nullptr);
  const std::string want = RunScalar(lm);
  EXPECT_NE(want.find("fib: 6765; apply: 12; apply: 35; host: 41; glob: 42; glob: 44;"),
            std::string::npos)
      << want;
  auto bytes = SerializeModule(*lm, co);
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  EXPECT_EQ(bytes->size() % kPageSize, 0u);
  EXPECT_TRUE(IsPrecompiled(*bytes));
  EXPECT_TRUE(CheckPrecompiled(*bytes, "t.cwasm", RunOptions()).ok());
  EXPECT_TRUE(VerifyPrecompiledContent(*bytes, "t.cwasm").ok());
  // The same bytes every time (no padding or address leaks into the file).
  auto again = SerializeModule(*CompileEager(kScalar, co), co);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *bytes);

  auto from_memory = LoadPrecompiledBytes(*bytes, "t.cwasm", RunOptions());
  ASSERT_TRUE(from_memory.ok()) << from_memory.error().ToString();
  EXPECT_EQ(RunScalar(*from_memory), want);
  auto round_trip = RoundTripPrecompiled(*lm, co);  // what `wtrun wast --compile cwasm` uses
  ASSERT_TRUE(round_trip.ok()) << round_trip.error().ToString();
  EXPECT_NE((*round_trip)->code->code->base(), lm->code->code->base());  // its own copy
  EXPECT_EQ(RunScalar(*round_trip), want);

  TempFile file(*bytes);
  auto from_file = LoadPrecompiled(file.path(), RunOptions());
  ASSERT_TRUE(from_file.ok()) << from_file.error().ToString();
  EXPECT_EQ((*from_file)->code->code->size(), lm->code->code->size());
  EXPECT_EQ((*from_file)->code->code->traps().size(), lm->code->code->traps().size());
  EXPECT_EQ((*from_file)->code->code->call_sites().size(), lm->code->code->call_sites().size());
  EXPECT_EQ((*from_file)->type_ids, lm->type_ids);
  EXPECT_EQ(RunScalar(*from_file), want);
  // The code is a private executable mapping of the file (no copy).
  std::ifstream maps("/proc/self/maps");
  std::string line;
  bool mapped_exec = false;
  while (std::getline(maps, line)) {
    if (line.find(file.path()) != std::string::npos && line.find(" r-xp ") != std::string::npos)
      mapped_exec = true;
  }
  // [a64] Not under qemu-user (ctest sets WTRUN_TEST_EMULATED there): its /proc/self/maps
  // does not show the guest's executable file mapping as such.
  if (std::getenv("WTRUN_TEST_EMULATED") == nullptr) {
    EXPECT_TRUE(mapped_exec);
  }
  // Unloading unregisters and unmaps.
  const size_t registered = RegisteredCodeCount();
  from_file->reset();
  EXPECT_EQ(RegisteredCodeCount(), registered - 1);
}

TEST(Cwasm, RoundTripSimdOnEveryIsa) {
  constexpr std::string_view kSimd = R"((module
    (func (export "dot") (param i32 i32 i32 i32) (result i32)
      (local $v v128)
      (local.set $v (i32x4.mul (i32x4.splat (local.get 0))
                               (i32x4.replace_lane 3 (i32x4.splat (local.get 1)) (local.get 2))))
      (local.set $v (i32x4.add (local.get $v) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11
                                                 (local.get $v) (local.get $v))))
      (i32.add (i32x4.extract_lane 0 (local.get $v))
               (i32.add (i32x4.extract_lane 3 (local.get $v)) (local.get 3))))
    (func (export "fma") (param f32) (result f32)
      (f32x4.extract_lane 2 (f32x4.add (f32x4.mul (f32x4.splat (local.get 0))
                                                  (v128.const f32x4 1 2 3 4))
                                       (v128.const f32x4 0.5 0.5 0.5 0.5))))))";
#if defined(WTRUN_ISA_x64)
  const jit::x64::CpuFeatures host = jit::x64::HostCpuFeatures();
  std::vector<jit::SimdIsa> isas = {jit::SimdIsa::kSse41, jit::SimdIsa::kSse42};
  if (host.avx) isas.push_back(jit::SimdIsa::kAvx);
  if (host.avx2) isas.push_back(jit::SimdIsa::kAvx2);
#else
  // [a64] One SIMD lowering (NEON): the cap names x86 levels.
  std::vector<jit::SimdIsa> isas = {jit::SimdIsa::kAuto};
#endif
  for (jit::SimdIsa isa : isas) {
    auto co = Options();
    co.simd_isa = isa;
    auto bytes = Artifact(kSimd, co);
    ASSERT_FALSE(bytes.empty());
#if defined(WTRUN_ISA_x64)
    const uint32_t cpu = HeaderOf(bytes).cpu_features;
    EXPECT_EQ((cpu & jit::cwasm::kCpuAvx2) != 0, isa == jit::SimdIsa::kAvx2);
#endif
    auto po = RunOptions();
    po.simd_isa = isa;
    auto lm = LoadPrecompiledBytes(bytes, "simd.cwasm", po);
    ASSERT_TRUE(lm.ok()) << lm.error().ToString();
    Guest g(*lm);
    // v = [3*5, 3*5, 3*5, 3*7]: + swapped pairs = [30, 30, 36, 36]; 30 + 36 + 1.
    EXPECT_EQ(g.CallI32("dot", {Value::I32(3), Value::I32(5), Value::I32(7), Value::I32(1)}), 67u);
    std::vector<Value> r;
    EXPECT_FALSE(g.Call("fma", {Value::F32(2.0f)}, &r).has_value());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].f32(), 6.5f);
  }
}

// ---- Traps from a mapped artifact

TEST(Cwasm, TrapsWithBacktracesFromMappedFile) {
  constexpr std::string_view kTraps = R"((module (memory 1)
    (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
    (func $mid (param i32) (result i32) (call $div (local.get 0)))
    (func (export "div") (param i32) (result i32) (call $mid (local.get 0)))
    (func (export "oob") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
    (func $deep (param i32) (result i32) (call $deep (i32.add (local.get 0) (i32.const 1))))
    (func (export "deep") (param i32) (result i32) (call $deep (local.get 0)))))";
  auto co = Options();
  auto eager = CompileEager(kTraps, co);
  ASSERT_NE(eager, nullptr);
  auto bytes = SerializeModule(*eager, co);
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  TempFile file(*bytes);
  auto lm = LoadPrecompiled(file.path(), RunOptions());
  ASSERT_TRUE(lm.ok()) << lm.error().ToString();

  auto trap_of = [](std::shared_ptr<LoadedModule> m, std::string_view name, uint32_t arg) {
    Store store;
    Linker linker;
    auto inst = linker.Instantiate(store, std::move(m));
    EXPECT_TRUE(inst.ok());
    std::vector<Value> args = {Value::I32(arg)};
    auto r = Invoke(store, *(*inst)->GetFunc(name), args);
    EXPECT_TRUE(r.ok() && r->trap);
    return r.ok() && r->trap ? *r->trap : Trap{};
  };
  Trap want = trap_of(eager, "div", 0), got = trap_of(*lm, "div", 0);
  EXPECT_EQ(got.code, TrapCode::kIntegerDivideByZero);
  EXPECT_EQ(got.wasm_offset, want.wasm_offset);
  ASSERT_EQ(got.backtrace.frames.size(), 3u);
  ASSERT_EQ(want.backtrace.frames.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got.backtrace.frames[i].func_index, want.backtrace.frames[i].func_index) << i;
    EXPECT_EQ(got.backtrace.frames[i].wasm_offset, want.backtrace.frames[i].wasm_offset) << i;
    EXPECT_EQ(got.backtrace.frames[i].module.get(), (*lm)->module.get()) << i;
  }
  EXPECT_EQ(got.backtrace.frames[0].func_index, 0u);
  EXPECT_EQ(got.backtrace.frames[2].func_index, 2u);
  // A memory fault in mapped code (the signal handler finds the trap site in the file's table).
  Trap oob = trap_of(*lm, "oob", 65534);
  EXPECT_EQ(oob.code, TrapCode::kMemoryOutOfBounds);
  EXPECT_EQ(oob.wasm_offset, trap_of(eager, "oob", 65534).wasm_offset);
  ASSERT_FALSE(oob.backtrace.frames.empty());
  EXPECT_EQ(oob.backtrace.frames[0].func_index, 3u);
  EXPECT_EQ(trap_of(*lm, "deep", 0).code, TrapCode::kStackExhausted);
}

// ---- Fuel and epoch checks

constexpr std::string_view kLoop = R"((module
  (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (block $done (loop $top
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $top)))
    (local.get $i))))";

TEST(Cwasm, FuelNeedsFuelChecks) {
  auto plain = Artifact(kLoop, Options());
  ASSERT_FALSE(plain.empty());
  EXPECT_EQ(ErrorOf(plain, RunOptions(/*fuel=*/true)),
            "t.cwasm was compiled without fuel checks: recompile it with 'wtrun compile "
            "--fuel-checks'");
  auto fueled = Artifact(kLoop, Options(/*fuel=*/true));
  auto lm = LoadPrecompiledBytes(fueled, "t.cwasm", RunOptions(/*fuel=*/true));
  ASSERT_TRUE(lm.ok()) << lm.error().ToString();
  {
    Guest g(*lm, testing::WithFuel(10000));
    EXPECT_EQ(g.CallI32("count", {Value::I32(10)}), 10u);
    EXPECT_EQ(g.Call("spin"), std::optional(TrapCode::kOutOfFuel));
  }
  // The same fuel charged as by the freshly compiled module.
  auto fresh = CompileEager(kLoop, Options(/*fuel=*/true));
  Guest a(*lm, testing::WithFuel(1000)), b(fresh, testing::WithFuel(1000));
  EXPECT_EQ(a.CallI32("count", {Value::I32(17)}), 17u);
  EXPECT_EQ(b.CallI32("count", {Value::I32(17)}), 17u);
  EXPECT_EQ(a.fuel_consumed(), b.fuel_consumed());
  // An artifact with fuel checks runs without --fuel too.
  EXPECT_TRUE(LoadPrecompiledBytes(fueled, "t.cwasm", RunOptions()).ok());
}

TEST(Cwasm, TimeoutNeedsInterruptChecks) {
  auto plain = Artifact(kLoop, Options());
  EXPECT_EQ(ErrorOf(plain, RunOptions(false, /*epoch=*/true)),
            "t.cwasm was compiled without interrupt checks: recompile it with 'wtrun compile "
            "--interrupt-checks'");
  auto checked = Artifact(kLoop, Options(false, /*epoch=*/true));
  auto lm = LoadPrecompiledBytes(checked, "t.cwasm", RunOptions(false, /*epoch=*/true));
  ASSERT_TRUE(lm.ok()) << lm.error().ToString();
  StoreOptions so;
  so.timeout = std::chrono::milliseconds(50);
  Guest g(*lm, so);
  EXPECT_EQ(g.Call("spin"), std::optional(TrapCode::kInterrupt));
}

// ---- Refusals

TEST(Cwasm, RefusesCodeThatCannotBeWritten) {
  auto co = Options();
  auto lm = CompileEager(kLoop, co);
  ASSERT_NE(lm, nullptr);
  const uint32_t saved = lm->code->builtin_table_offset;
  lm->code->builtin_table_offset = UINT32_MAX;
  auto r = SerializeModule(*lm, co);
  lm->code->builtin_table_offset = saved;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cannot write a .cwasm: code is not position-independent");
  LoadedModule empty;
  EXPECT_FALSE(SerializeModule(empty, co).ok());
}

TEST(Cwasm, RefusesLazilyCompiledCode) {
  auto bytes = text::WatToBinary(kLoop, "test.wat");
  ASSERT_TRUE(bytes.ok());
  auto module = wasm::ReadModule(std::move(*bytes));
  ASSERT_TRUE(module.ok());
  auto co = Options();
  co.mode = jit::CompileMode::kLazy;
  auto lazy = LoadModule(std::move(*module), co);
  ASSERT_TRUE(lazy.ok()) << lazy.error().ToString();
  auto r = SerializeModule(**lazy, co);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "cannot write a .cwasm: the module was compiled lazily");
}

TEST(Cwasm, RefusesOtherVersionFormatAndTarget) {
  auto bytes = Artifact(kLoop);
  ASSERT_FALSE(bytes.empty());
  const std::string mine(CwasmBuildVersion());
  EXPECT_TRUE(mine.starts_with(WTRUN_VERSION "+")) << mine;
  {
    auto b = bytes;
    CwasmHeader h = HeaderOf(b);
    std::memset(h.wtrun_version, 0, sizeof(h.wtrun_version));
    std::memcpy(h.wtrun_version, "0.0.9+0123456789abcdef", 22);
    SetHeader(&b, h);
    EXPECT_EQ(ErrorOf(b), "t.cwasm was compiled by wtrun 0.0.9+0123456789abcdef (this is wtrun " +
                              mine + "): recompile it with 'wtrun compile -o'");
  }
  {
    auto b = bytes;
    CwasmHeader h = HeaderOf(b);
    h.format_version = 2;
    SetHeader(&b, h);
    EXPECT_EQ(ErrorOf(b), "t.cwasm was compiled by wtrun " + mine + ", format 2 (this is wtrun " +
                              mine + "): recompile it with 'wtrun compile -o'");
  }
  {
    auto b = bytes;
    CwasmHeader h = HeaderOf(b);
    std::memset(h.target, 0, sizeof(h.target));
    // [a64] The other ISA's target name.
    const std::string other = jit::kHostTarget == "x86_64-linux" ? "aarch64-linux" : "x86_64-linux";
    std::memcpy(h.target, other.data(), other.size());
    SetHeader(&b, h);
    Rehash(&b);
    EXPECT_EQ(ErrorOf(b), "t.cwasm was compiled for " + other + " (this machine is " +
                              std::string(jit::kHostTarget) +
                              "): recompile it here with 'wtrun compile -o'");
  }
}

TEST(Cwasm, RefusesMissingCpuFeaturesAndCap) {
  auto bytes = Artifact(kLoop);
  ASSERT_FALSE(bytes.empty());
  auto with_cpu = [&](uint32_t bits) {
    auto b = bytes;
    CwasmHeader h = HeaderOf(b);
    h.cpu_features |= bits;
    SetHeader(&b, h);
    Rehash(&b);
    return b;
  };
  EXPECT_EQ(ErrorOf(with_cpu(1u << 20)),
            "t.cwasm needs CPU features this machine lacks: cpu-bit-20");
#if defined(WTRUN_ISA_x64)
  const jit::x64::CpuFeatures host = jit::x64::HostCpuFeatures();
  if (!host.avx2) {
    EXPECT_EQ(ErrorOf(with_cpu(jit::cwasm::kCpuAvx2 | jit::cwasm::kCpuFma)),
              host.fma ? "t.cwasm needs CPU features this machine lacks: avx2"
                       : "t.cwasm needs CPU features this machine lacks: avx2, fma");
  }
  // Within the machine but above this run's --simd-isa cap.
  if (host.avx) {
    auto b = with_cpu(jit::cwasm::kCpuAvx);
    auto po = RunOptions();
    po.simd_isa = jit::SimdIsa::kSse41;
    const std::string e = ErrorOf(b, po);
    EXPECT_TRUE(e.starts_with("t.cwasm uses CPU features above the SIMD ISA cap of this run: "))
        << e;
    EXPECT_NE(e.find("avx"), std::string::npos) << e;
    EXPECT_EQ(e.find("sse4.1"), std::string::npos) << e;
    EXPECT_EQ(ErrorOf(b), "(loaded)");
  }
#endif
  // Wasm features this run disables.
  auto po = RunOptions();
  po.features = wasm::Features::Wasm20();
  EXPECT_NE(ErrorOf(bytes, po).find("was compiled with wasm features this run disables ("),
            std::string::npos)
      << ErrorOf(bytes, po);
}

// ---- Damaged files

TEST(Cwasm, SiteTablesFromAFileAreCheckedOnlyWhenAsked) {
  auto bytes = Artifact(kScalar);
  ASSERT_FALSE(bytes.empty());
  const CwasmHeader h = HeaderOf(bytes);
  const auto& traps = h.sections[static_cast<size_t>(Section::kTrapSites)];
  ASSERT_GT(traps.size, sizeof(jit::TrapSite));
  bytes[traps.offset + offsetof(jit::TrapSite, code)] = 0xee;  // an unknown trap code
  TempFile file(bytes);
  ::unsetenv("WTRUN_CWASM_VERIFY");
  auto lm = LoadPrecompiled(file.path(), RunOptions());
  ASSERT_TRUE(lm.ok()) << lm.error().ToString();
  // The damaged site is never returned by a lookup; the rest runs.
  const jit::CodeObject& code = *(*lm)->code->code;
  EXPECT_EQ(code.FindTrap(reinterpret_cast<uintptr_t>(code.base()) + code.traps()[0].code_offset),
            nullptr);
  EXPECT_NE(RunScalar(*lm).find("fib: 6765;"), std::string::npos);
  ::setenv("WTRUN_CWASM_VERIFY", "1", 1);
  auto checked = LoadPrecompiled(file.path(), RunOptions());
  ::unsetenv("WTRUN_CWASM_VERIFY");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message, file.path() +
                                         " is not a valid .cwasm (the content does not match "
                                         "its hash)");
  // In memory the site tables are always checked.
  EXPECT_EQ(ErrorOf(bytes), "t.cwasm is not a valid .cwasm (trap sites)");
}

TEST(Cwasm, TruncatedFilesAreRefused) {
  auto bytes = Artifact(kScalar);
  ASSERT_FALSE(bytes.empty());
  for (size_t n :
       {size_t{0}, size_t{7}, size_t{8}, size_t{40}, size_t{100}, kPageSize - 1, kPageSize,
        kPageSize + 1, bytes.size() / 2, bytes.size() - kPageSize, bytes.size() - 1}) {
    std::vector<uint8_t> b(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(n));
    std::string e = ErrorOf(b);
    EXPECT_TRUE(e.starts_with("t.cwasm is not a valid .cwasm (")) << n << ": " << e;
  }
  // Longer than the header says.
  auto b = bytes;
  b.push_back(0);
  EXPECT_TRUE(ErrorOf(b).starts_with("t.cwasm is not a valid .cwasm (")) << ErrorOf(b);
}

TEST(Cwasm, DamagedBytesNeverCrash) {
  auto bytes = Artifact(kScalar);
  ASSERT_FALSE(bytes.empty());
  const CwasmHeader h = HeaderOf(bytes);
  const auto& wasm = h.sections[static_cast<size_t>(Section::kWasm)];
  const auto& code = h.sections[static_cast<size_t>(Section::kCode)];
  size_t refused = 0, loaded = 0;
  auto try_at = [&](size_t at, uint8_t x) {
    auto b = bytes;
    b[at] ^= x;
    auto r = LoadPrecompiledBytes(b, "t.cwasm", RunOptions());
    if (!r.ok()) {
      ++refused;
      EXPECT_TRUE(r.error().message.starts_with("t.cwasm ")) << at << ": " << r.error().message;
      EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << at;
      return;
    }
    ++loaded;
    // Loaded: the damage was in bytes the loader does not use (page 0's padding, a data
    // segment, a custom section, a function body). The module still instantiates (or fails
    // to, e.g. a data segment moved out of bounds) and runs without crashing.
    Store store;
    Linker linker;
    linker.Define(
        "host", "twice",
        store.NewHostFunc(testing::Sig({ValType::I32()}, {ValType::I32()}), Twice, nullptr));
    auto inst = linker.Instantiate(store, *r);
    if (inst.ok()) {
      for (const char* name : {"fib", "apply"}) {
        std::vector<Value> args = {Value::I32(5)};
        auto v = Invoke(store, *(*inst)->GetFunc(name), args);
        EXPECT_TRUE(v.ok()) << at;
      }
    }
    EXPECT_FALSE(VerifyPrecompiledContent(b, "t.cwasm").ok() && at >= kPageSize) << at;
  };
  for (size_t at = 0; at < sizeof(CwasmHeader); ++at) try_at(at, 0x01);
  for (size_t at = sizeof(CwasmHeader); at < kPageSize; at += 97) try_at(at, 0xff);
  for (size_t at = wasm.offset; at < wasm.offset + wasm.size; ++at) try_at(at, 0x41);
  for (size_t s = static_cast<size_t>(Section::kFuncCode); s < static_cast<size_t>(Section::kCount);
       ++s) {
    const auto& e = h.sections[s];
    for (size_t at = e.offset; at < e.offset + e.size; at += 3) try_at(at, 0x80);
  }
  EXPECT_GT(refused, sizeof(CwasmHeader));
  EXPECT_GT(loaded, 0u);
  // Damaged code is not detected at load (docs/cwasm.md) but by the content hash.
  auto b = bytes;
  b[code.offset + 5] ^= 1;
  auto e = VerifyPrecompiledContent(b, "t.cwasm");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "t.cwasm is not a valid .cwasm (the content does not match its hash)");
}

}  // namespace
}  // namespace wt::runtime
