// Helpers for the fuel / timeout / stack-limit / thread tests: modules compiled with explicit
// jit::CompileOptions, instantiated in a store of their own.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "jit/compiler.h"
#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"

namespace wt::runtime::testing {

inline std::shared_ptr<LoadedModule> LoadWith(std::string_view wat, bool fuel, bool epochs) {
  auto bytes = text::WatToBinary(wat, "test.wat");
  EXPECT_TRUE(bytes.ok()) << bytes.error().ToString();
  if (!bytes.ok()) return nullptr;
  auto module = wasm::ReadModule(std::move(*bytes));
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return nullptr;
  jit::CompileOptions co;
  co.consume_fuel = fuel;
  co.epoch_interruption = epochs;
  auto loaded = LoadModule(std::move(*module), co);
  EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
  return loaded.ok() ? *loaded : nullptr;
}

// A store with its own instance of `module`.
struct Guest {
  Guest(std::shared_ptr<LoadedModule> module, const StoreOptions& options = {}) : store(options) {
    if (!module) return;
    auto i = linker.Instantiate(store, module);
    EXPECT_TRUE(i.ok()) << i.error().ToString();
    if (i.ok()) inst = *i;
  }
  // Calls export `name`; the trap code if it trapped.
  std::optional<TrapCode> Call(std::string_view name, std::vector<Value> args = {},
                               std::vector<Value>* results = nullptr) {
    Func* f = inst ? inst->GetFunc(name) : nullptr;
    EXPECT_NE(f, nullptr) << name;
    if (!f) return TrapCode::kHostError;
    auto r = Invoke(store, *f, args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok()) return TrapCode::kHostError;
    if (r->trap) return r->trap->code;
    if (results) *results = r->results;
    return std::nullopt;
  }
  uint32_t CallI32(std::string_view name, std::vector<Value> args = {}) {
    std::vector<Value> results;
    auto trap = Call(name, std::move(args), &results);
    EXPECT_FALSE(trap.has_value()) << TrapMessage(*trap);
    return results.empty() ? 0xDEADBEEF : results[0].i32();
  }
  int64_t fuel_consumed() { return store.data().store_ctx.fuel_consumed; }

  Store store;
  Linker linker;
  Instance* inst = nullptr;
};

inline StoreOptions WithFuel(uint64_t fuel) {
  StoreOptions o;
  o.fuel = fuel;
  return o;
}

// Trap sites of `code` in a module's compiled code.
inline size_t CountTrapSites(const LoadedModule& m, TrapCode code) {
  size_t n = 0;
  for (const jit::TrapSite& s : m.code->code->traps()) n += s.code == code;
  return n;
}

}  // namespace wt::runtime::testing
