// Helpers for the runtime tests: modules from WAT text, instantiation shortcuts.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "runtime/runtime.h"
#include "text/wat.h"

namespace wt::runtime::testing {

inline std::shared_ptr<LoadedModule> Load(
    std::string_view wat, const wasm::Features& features = wasm::Features::Wasm20()) {
  auto bytes = text::WatToBinary(wat, "test.wat");
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  auto loaded = LoadModule(std::move(*bytes), features);
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
