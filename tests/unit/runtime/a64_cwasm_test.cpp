// [a64] .cwasm artifacts are per target (jit/host_isa.h kHostTarget: "x86_64-linux" or
// "aarch64-linux"): an artifact of the other ISA is refused with one line naming both, on
// either build; this build's own target loads and runs.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "jit/cwasm_format.h"
#include "jit/host_isa.h"
#include "runtime/cwasm.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::runtime {
namespace {

constexpr std::string_view kModule = R"((module
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "f") (param i32) (result i32) (i32.add (call $sq (local.get 0)) (i32.const 1)))))";

std::vector<uint8_t> HostArtifact() {
  jit::CompileOptions co;
  co.features = wasm::Features::Wasm30();
  co.mode = jit::CompileMode::kEager;
  text::WatOptions wo;
  wo.features = co.features;
  auto bin = text::WatToBinary(kModule, "t.wat", wo);
  EXPECT_TRUE(bin.ok());
  if (!bin.ok()) return {};
  wasm::ReadOptions ro;
  ro.features = co.features;
  auto module = wasm::ReadModule(std::move(*bin), ro);
  EXPECT_TRUE(module.ok());
  if (!module.ok()) return {};
  auto loaded = LoadModule(std::move(*module), co);
  EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
  if (!loaded.ok()) return {};
  auto bytes = SerializeModule(**loaded, co);
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  return bytes.ok() ? std::move(*bytes) : std::vector<uint8_t>{};
}

PrecompiledOptions Po() {
  PrecompiledOptions po;
  po.features = wasm::Features::Wasm30();
  return po;
}

void SetTarget(std::vector<uint8_t>* bytes, std::string_view target) {
  jit::cwasm::CwasmHeader h;
  std::memcpy(&h, bytes->data(), sizeof(h));
  std::memset(h.target, 0, sizeof(h.target));
  std::memcpy(h.target, target.data(), target.size());
  std::memcpy(bytes->data(), &h, sizeof(h));
  ASSERT_TRUE(ResealForTesting(*bytes));  // past the header hash: the target check is reached
}

TEST(A64Cwasm, OtherTargetIsRefusedWithOneLine) {
  auto bytes = HostArtifact();
  ASSERT_FALSE(bytes.empty());
  const std::string host(jit::kHostTarget);
  ASSERT_TRUE(host == "x86_64-linux" || host == "aarch64-linux") << host;
  const std::string other = host == "x86_64-linux" ? "aarch64-linux" : "x86_64-linux";
  // This build's own target: loads.
  EXPECT_TRUE(LoadPrecompiledBytes(bytes, "m.cwasm", Po()).ok());
  SetTarget(&bytes, other);
  auto r = LoadPrecompiledBytes(bytes, "m.cwasm", Po());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "m.cwasm was compiled for " + other + " (this machine is " + host +
                                   "): recompile it here with 'wtrun compile -o'");
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  // Another target's artifact is always from another binary (another build id in its version):
  // the target is what the line names.
  {
    auto other_build = bytes;
    jit::cwasm::CwasmHeader h;
    std::memcpy(&h, other_build.data(), sizeof(h));
    std::memset(h.wtrun_version, 0, sizeof(h.wtrun_version));
    std::memcpy(h.wtrun_version, "0.1.0+0123456789abcdef", 22);
    std::memcpy(other_build.data(), &h, sizeof(h));
    ASSERT_TRUE(ResealForTesting(other_build));
    auto o = LoadPrecompiledBytes(other_build, "m.cwasm", Po());
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error().message, "m.cwasm was compiled for " + other + " (this machine is " + host +
                                     "): recompile it here with 'wtrun compile -o'");
  }
  // An unknown target too.
  SetTarget(&bytes, "riscv64-linux");
  r = LoadPrecompiledBytes(bytes, "m.cwasm", Po());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("was compiled for riscv64-linux (this machine is " + host),
            std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace wt::runtime
