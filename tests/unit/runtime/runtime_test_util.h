// Helpers for the runtime tests: modules from WAT text, instantiation shortcuts.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::runtime::testing {

// [lazy] The compile mode of Load / Instantiate below: tests parametrized over both modes
// (fixtures derived from LoadModeTest) set it for their duration.
inline jit::CompileMode& LoadMode() {
  static jit::CompileMode mode = jit::CompileMode::kEager;
  return mode;
}

class LoadModeTest : public ::testing::TestWithParam<jit::CompileMode> {
 protected:
  void SetUp() override { LoadMode() = GetParam(); }
  void TearDown() override { LoadMode() = jit::CompileMode::kEager; }
};

inline std::string ModeName(const ::testing::TestParamInfo<jit::CompileMode>& info) {
  return info.param == jit::CompileMode::kLazy ? "Lazy" : "Eager";
}

#define WT_BOTH_COMPILE_MODES(suite)                                                             \
  INSTANTIATE_TEST_SUITE_P(Modes, suite,                                                         \
                           ::testing::Values(jit::CompileMode::kEager, jit::CompileMode::kLazy), \
                           ::wt::runtime::testing::ModeName)

inline std::shared_ptr<LoadedModule> Load(
    std::string_view wat, const wasm::Features& features = wasm::Features::Wasm20()) {
  auto bytes = text::WatToBinary(wat, "test.wat");
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  Result<std::shared_ptr<LoadedModule>> loaded = std::shared_ptr<LoadedModule>();
  if (LoadMode() == jit::CompileMode::kEager) {
    loaded = LoadModule(std::move(*bytes), features);
  } else {
    wasm::ReadOptions ro;
    ro.features = features;
    ro.check_code_syntax = false;
    auto module = wasm::ReadModule(std::move(*bytes), ro);
    EXPECT_TRUE(module.ok()) << module.error().ToString();
    if (!module.ok()) return nullptr;
    jit::CompileOptions co;
    co.features = features;
    co.mode = LoadMode();
    loaded = LoadModule(std::move(*module), co);
  }
  EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
  if (!loaded.ok()) return nullptr;
  return *loaded;
}

inline Instance* Instantiate(Linker& linker, Store& store, std::string_view wat,
                             const wasm::Features& features = wasm::Features::Wasm20()) {
  auto loaded = Load(wat, features);
  if (!loaded) return nullptr;
  auto inst = linker.Instantiate(store, loaded);
  EXPECT_TRUE(inst.ok()) << inst.error().ToString();
  return inst.ok() ? *inst : nullptr;
}

inline wasm::FuncType Sig(std::vector<wasm::ValType> params, std::vector<wasm::ValType> results) {
  wasm::FuncType t;
  t.params = std::move(params);
  t.results = std::move(results);
  return t;
}

}  // namespace wt::runtime::testing
