// Test harness for the JIT alone: compiles a .wat module and runs its exports through the
// entry trampolines with a hand-built VMContext (memory 0 reserved like the runtime does,
// globals with constant initializers, table 0 filled from active element segments, imports
// bound to test host functions). No traps: those need the runtime's CallScope.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jit/compiler.h"
#include "runtime/vmctx.h"
#include "text/wat.h"
#include "util/result.h"
#include "wasm/code_reader.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::jit::testing {

inline runtime::ValueSlot I32(uint32_t v) {
  runtime::ValueSlot s{};
  s.i32 = v;
  return s;
}
inline runtime::ValueSlot I64(uint64_t v) {
  runtime::ValueSlot s{};
  s.i64 = v;
  return s;
}
inline runtime::ValueSlot F32(float v) {
  runtime::ValueSlot s{};
  s.f32 = v;
  return s;
}
inline runtime::ValueSlot F64(double v) {
  runtime::ValueSlot s{};
  s.f64 = v;
  return s;
}
inline runtime::ValueSlot F32Bits(uint32_t b) {
  runtime::ValueSlot s{};
  std::memcpy(&s.f32, &b, 4);
  return s;
}
inline uint32_t BitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline uint64_t BitsOf(double f) {
  uint64_t b;
  std::memcpy(&b, &f, 8);
  return b;
}

// A copy of a compiled module's code and tables, for comparing two compilations.
struct CodeSnapshot {
  std::vector<uint8_t> bytes;
  std::vector<FuncRange> funcs;
  std::vector<TrapSite> traps;
  std::vector<CallSite> calls;
};
inline CodeSnapshot Snapshot(const CodeObject& code) {
  CodeSnapshot out;
  out.bytes.assign(code.base(), code.base() + code.size());
  out.funcs.assign(code.funcs().begin(), code.funcs().end());
  out.traps.assign(code.traps().begin(), code.traps().end());
  out.calls.assign(code.call_sites().begin(), code.call_sites().end());
  return out;
}

class JitInstance {
 public:
  static constexpr uint64_t kReserve = (8ull << 30) + (64u << 10);

  // `hosts`: one HostFuncRecord per imported function, in import order.
  static Result<std::unique_ptr<JitInstance>> Create(
      std::string_view wat, std::vector<runtime::HostFuncRecord> hosts = {}) {
    return CreateWith(wat, std::move(hosts), CompileOptions{}, nullptr);
  }
  // Create with `options`, and `after_compile` (when set) called on the compiled module before
  // the instance takes its entry points (builtin_table_test.cpp moves the code there).
  static Result<std::unique_ptr<JitInstance>> CreateWith(
      std::string_view wat, std::vector<runtime::HostFuncRecord> hosts,
      const CompileOptions& options, const std::function<void(CompiledModule&)>& after_compile) {
    auto inst = std::unique_ptr<JitInstance>(new JitInstance());
    WT_TRY_ASSIGN(std::vector<uint8_t> bytes,
                  text::WatToBinary(wat, "test.wat", text::WatOptions{wasm::Features::Wasm20()}));
    wasm::ReadOptions ro;
    ro.features = wasm::Features::Wasm20();
    WT_TRY_ASSIGN(inst->module_, wasm::ReadModule(std::move(bytes), ro));
    wasm::ValidateOptions vo;
    vo.features = wasm::Features::Wasm20();
    WT_TRY(wasm::ValidateModule(inst->module_, vo));
    WT_TRY_ASSIGN(inst->compiled_, CompileModule(inst->module_, options));
    if (after_compile) after_compile(*inst->compiled_);
    inst->hosts_ = std::move(hosts);
    inst->Setup();
    return inst;
  }

  ~JitInstance() {
    if (mem_) munmap(mem_, kReserve);
  }

  const wasm::Module& module() const { return module_; }
  const CompiledModule& compiled() const { return *compiled_; }
  uint8_t* memory() { return mem_; }
  runtime::ValueSlot& global(uint32_t i) { return global_cells_[i]; }
  const runtime::VMStoreContext& store_ctx() const { return store_ctx_; }
  runtime::VMContext* vmctx() { return &vmctx_; }

  // Calls an exported function; the results come back in slots [0, #results).
  std::vector<runtime::ValueSlot> Call(std::string_view name,
                                       std::vector<runtime::ValueSlot> args = {}) {
    uint32_t f = ExportedFunc(name);
    const wasm::FuncType& sig = module_.FuncSig(f);
    std::vector<runtime::ValueSlot> slots(std::max(args.size(), sig.results.size()) + 1);
    std::copy(args.begin(), args.end(), slots.begin());
    EntryFn entry = compiled_->entries[module_.funcs[f].type_index];
    entry(&vmctx_, funcrefs_[f].code, slots.data());
    slots.resize(sig.results.size());
    return slots;
  }
  uint32_t CallI32(std::string_view name, std::vector<runtime::ValueSlot> args = {}) {
    return Call(name, std::move(args)).at(0).i32;
  }
  uint64_t CallI64(std::string_view name, std::vector<runtime::ValueSlot> args = {}) {
    return Call(name, std::move(args)).at(0).i64;
  }

 private:
  JitInstance() = default;

  uint32_t ExportedFunc(std::string_view name) const {
    for (const wasm::Export& e : module_.exports)
      if (e.kind == wasm::ExternKind::kFunc && e.name == name) return e.index;
    ADD_FAILURE() << "no export " << name;
    return 0;
  }

  // The first type index structurally equal to `t` (a canonical id within the module).
  uint32_t CanonicalType(uint32_t t) const {
    for (uint32_t i = 0; i <= t; ++i)
      if (module_.GetFuncType(i) && module_.GetFuncType(t) &&
          *module_.GetFuncType(i) == *module_.GetFuncType(t))
        return i;
    return t;
  }

  static uint64_t ConstValue(const wasm::Module& m, const wasm::ConstExpr& e) {
    wasm::CodeReader r(m.Slice(e.range), e.range.offset, wasm::Features::Wasm30());
    wasm::Instr in;
    if (!r.Next(&in).ok()) return 0;
    if (in.op == wasm::Op::I32Const) return static_cast<uint32_t>(in.value);
    return in.value;  // i64/f32/f64 bits; ref.null -> 0
  }

  void Setup() {
    // Memory 0.
    if (!module_.memories.empty()) {
      mem_ = static_cast<uint8_t*>(
          mmap(nullptr, kReserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
      uint64_t bytes = module_.memories[0].type.limits.min << 16;
      if (bytes) mprotect(mem_, bytes, PROT_READ | PROT_WRITE);
      mem_data_ = runtime::MemoryData{mem_, bytes};
      for (const wasm::DataSegment& d : module_.datas) {
        if (d.mode != wasm::SegmentMode::kActive) continue;
        uint64_t at = ConstValue(module_, d.offset);
        std::memcpy(mem_ + at, module_.bytes.data() + d.init.offset, d.init.size);
      }
    }
    mem_ptrs_[0] = &mem_data_;
    // Globals.
    global_cells_.resize(module_.globals.size());
    global_ptrs_.resize(module_.globals.size());
    for (size_t i = 0; i < module_.globals.size(); ++i) {
      global_cells_[i] = runtime::ValueSlot{};
      if (!module_.globals[i].imported)
        global_cells_[i].i64 = ConstValue(module_, module_.globals[i].init);
      global_ptrs_[i] = &global_cells_[i];
    }
    // Types and functions.
    for (uint32_t t = 0; t < module_.types.size(); ++t) type_ids_.push_back(CanonicalType(t));
    funcrefs_.resize(module_.funcs.size());
    for (uint32_t f = 0; f < module_.funcs.size(); ++f) {
      runtime::FuncRef& r = funcrefs_[f];
      uint32_t ti = module_.funcs[f].type_index;
      r.type_id = type_ids_[ti];
      r.func_index = f;
      if (f < module_.num_imported_funcs) {
        r.code = compiled_->host_stubs[ti];
        r.vmctx = reinterpret_cast<runtime::VMContext*>(&hosts_.at(f));
      } else {
        r.code = compiled_->func_code[f - module_.num_imported_funcs];
        r.vmctx = &vmctx_;
      }
    }
    for (auto& r : funcrefs_) funcref_ptrs_.push_back(&r);
    // Table 0 from active element segments (function indices).
    if (!module_.tables.empty()) {
      table_elems_.assign(module_.tables[0].type.limits.min, nullptr);
      for (const wasm::ElemSegment& e : module_.elems) {
        if (e.mode != wasm::SegmentMode::kActive || e.uses_exprs) continue;
        uint64_t at = ConstValue(module_, e.offset);
        for (size_t i = 0; i < e.func_indices.size(); ++i)
          table_elems_.at(at + i) = &funcrefs_[e.func_indices[i]];
      }
      table_data_ = runtime::TableData{table_elems_.data(), table_elems_.size()};
    }
    table_ptrs_[0] = &table_data_;

    vmctx_.mem0_base = mem_;
    char here;
    vmctx_.stack_limit = reinterpret_cast<uintptr_t>(&here) - (1u << 20);
    vmctx_.memories = mem_ptrs_;
    vmctx_.globals = global_ptrs_.data();
    vmctx_.tables = table_ptrs_;
    vmctx_.funcs = funcref_ptrs_.data();
    vmctx_.type_ids = type_ids_.data();
    vmctx_.instance = nullptr;
    vmctx_.store_ctx = &store_ctx_;
  }

  wasm::Module module_;
  std::unique_ptr<CompiledModule> compiled_;
  std::vector<runtime::HostFuncRecord> hosts_;
  uint8_t* mem_ = nullptr;
  runtime::MemoryData mem_data_{};
  runtime::MemoryData* mem_ptrs_[1] = {nullptr};
  std::vector<runtime::ValueSlot> global_cells_;
  std::vector<runtime::ValueSlot*> global_ptrs_;
  std::vector<uint32_t> type_ids_;
  std::vector<runtime::FuncRef> funcrefs_;
  std::vector<runtime::FuncRef*> funcref_ptrs_;
  std::vector<void*> table_elems_;
  runtime::TableData table_data_{};
  runtime::TableData* table_ptrs_[1] = {nullptr};
  runtime::VMStoreContext store_ctx_{};
  runtime::VMContext vmctx_{};
};

// Compiles or fails the test.
#define WT_JIT(var, wat, ...)                                                      \
  auto var##_result = ::wt::jit::testing::JitInstance::Create(wat, ##__VA_ARGS__); \
  ASSERT_TRUE(var##_result.ok()) << var##_result.error().ToString();               \
  auto& var = *var##_result.value()

}  // namespace wt::jit::testing
