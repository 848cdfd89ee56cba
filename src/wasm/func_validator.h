// Per-function validation as a one-pass proxy in front of a consumer (the compiler):
//
//   FuncValidator v(types, features);            // once per module; reused for every body
//   WT_TRY(v.Begin(func_index, code));
//   CodeReader r(module.Slice(code.body), code.body.offset, features);
//   while (!r.AtEnd()) {
//     WT_TRY(r.Next(&instr));
//     WT_TRY(v.Step(instr));   // checks and types the instruction, updates the stacks
//     ... emit, looking at v's operand/control stacks, branch_target(), last_popped() ...
//   }
//   WT_TRY(v.Finish());        // the body ended with its final `end`
//
// Constant expressions use the same machinery in a constant mode (BeginConst): only constant
// instructions are accepted and the result must match the expected type.
//
// Allocation: the stacks are vectors reused across functions; Step allocates nothing except
// when a stack grows past its previous maximum. Locals are kept run-length (a body may declare
// 2^32-1 locals in a few bytes); lookup is a binary search over the runs. Nothing recurses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "util/result.h"
#include "wasm/code_reader.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/types.h"
#include "wasm/validator_types.h"

namespace wt::wasm {

enum class FrameKind : uint8_t {
  kFunction,  // the function body (label: the function results)
  kBlock,
  kLoop,
  kIf,    // then-branch of an if
  kElse,  // else-branch of an if
  kTryTable,
  kTry,       // legacy exceptions: try body
  kCatch,     // legacy exceptions: catch handler
  kCatchAll,  // legacy exceptions: catch_all handler
  kConst,     // a constant expression
};

// "[i32 i64]": for error messages.
std::string TypeList(std::span<const ValType> types);

struct ControlFrame {
  FrameKind kind = FrameKind::kBlock;
  bool unreachable = false;  // the rest of this block is unreachable (stack polymorphic)
  uint32_t height = 0;       // operand stack height at entry, below the params
  uint32_t init_height = 0;  // height of the initialized-locals stack at entry
  uint32_t offset = 0;       // module offset of the opening instruction

  std::span<const ValType> params() const { return {params_, num_params_}; }
  std::span<const ValType> results() const {
    if (inline_result_) return {&single_, 1};
    return {results_, num_results_};
  }
  // The types a branch to this frame carries: the params for a loop, else the results.
  std::span<const ValType> label_types() const {
    return kind == FrameKind::kLoop ? params() : results();
  }

  // Set by the validator.
  void SetSignature(const ValType* params, uint32_t num_params, const ValType* results,
                    uint32_t num_results) {
    params_ = params;
    num_params_ = num_params;
    results_ = results;
    num_results_ = num_results;
    inline_result_ = false;
  }
  void SetSingleResult(ValType t) {
    params_ = nullptr;
    num_params_ = 0;
    single_ = t;
    inline_result_ = true;
  }

 private:
  const ValType* params_ = nullptr;
  const ValType* results_ = nullptr;
  uint32_t num_params_ = 0;
  uint32_t num_results_ = 0;
  ValType single_{};
  bool inline_result_ = false;
};

// The validator's operand stack: a vector whose push is inline (std::vector::push_back is
// left out of line in the validator's large dispatch function: 11% of the validation time
// on llvm.core.wasm). Shrinks never free; grows by doubling.
class ValStack {
 public:
  ValStack() = default;
  ValStack(const ValStack&) = delete;
  ValStack& operator=(const ValStack&) = delete;
  ValStack(ValStack&&) = default;  // the buffer moves with its pointers
  ValStack& operator=(ValStack&&) = default;

  size_t size() const { return static_cast<size_t>(end_ - data_); }
  bool empty() const { return end_ == data_; }
  const ValType* data() const { return data_; }
  ValType* data() { return data_; }
  const ValType* begin() const { return data_; }
  const ValType* end() const { return end_; }
  ValType* begin() { return data_; }
  ValType* end() { return end_; }
  ValType& back() { return end_[-1]; }
  const ValType& back() const { return end_[-1]; }
  ValType& operator[](size_t i) { return data_[i]; }
  const ValType& operator[](size_t i) const { return data_[i]; }

  void push_back(ValType t) {
    if (end_ == cap_) [[unlikely]]
      Grow(size() + 1);
    *end_++ = t;
  }
  void pop_back() { --end_; }
  void clear() { end_ = data_; }
  void resize(size_t n) {
    if (n > size()) {
      if (n > static_cast<size_t>(cap_ - data_)) Grow(n);
      std::fill(end_, data_ + n, ValType{});
    }
    end_ = data_ + n;
  }
  // Only erasing a suffix: [first, end()).
  void erase(ValType* first, ValType* /*last == end()*/) { end_ = first; }

 private:
  void Grow(size_t min) {
    size_t n = size();
    storage_.resize(std::max<size_t>({min, 2 * storage_.size(), 16}));
    data_ = storage_.data();
    end_ = data_ + n;
    cap_ = data_ + storage_.size();
  }
  std::vector<ValType> storage_;
  ValType* data_ = nullptr;
  ValType* end_ = nullptr;
  ValType* cap_ = nullptr;
};

class FuncValidator {
 public:
  // `types` (and the module it refers to) must outlive the validator.
  FuncValidator(const TypeContext& types, const Features& features);

  // Starts a defined function's body. `code` is its entry in Module::codes.
  Status Begin(uint32_t func_index, const Code& code);
  // Starts a constant expression of type `expected`. global.get may name the first
  // `num_visible_globals` globals (immutable ones only).
  Status BeginConst(ValType expected, uint32_t num_visible_globals);

  // Validates one instruction and applies its typing. On error, the validator is left in an
  // unspecified state (call Begin again).
  Status Step(const Instr& instr);
  // Checks that the final `end` has been seen (control stack empty).
  Status Finish();
  // Validate-only walk (no consumer): Step over every instruction of `r` (a body after
  // Begin), then Finish. Same results as the loop above, with Step inlined.
  Status Run(CodeReader& r);

  // --- State for the consumer -----------------------------------------------------------
  const Module& module() const { return types_.module(); }
  const TypeContext& types() const { return types_; }
  const Features& features() const { return features_; }

  // Locals: the params then the declared locals, run-length encoded (params one run each).
  struct LocalRun {
    uint64_t end;  // exclusive end index of the run
    ValType type;
  };
  uint64_t num_locals() const { return num_locals_; }
  uint32_t num_params() const { return num_params_; }
  // index < num_locals(); O(1) for a dense copy (few locals), else O(log runs).
  ValType local_type(uint32_t index) const {
    if (index < dense_locals_.size()) [[likely]]
      return dense_locals_[index];
    return LocalTypeSlow(index);
  }
  std::span<const LocalRun> local_runs() const { return locals_; }
  // The function's signature (nullptr in constant mode).
  const FuncType* signature() const { return sig_; }

  std::span<const ValType> operand_stack() const { return stack_; }
  size_t control_depth() const { return ctrl_.size(); }
  // depth 0 = innermost frame.
  const ControlFrame& frame(uint32_t depth) const { return ctrl_[ctrl_.size() - 1 - depth]; }
  const ControlFrame& top_frame() const { return ctrl_.back(); }
  bool unreachable() const { return !ctrl_.empty() && ctrl_.back().unreachable; }

  // After Step of br / br_if / br_on_null / br_on_non_null / br_on_cast / br_on_cast_fail:
  // the target frame (valid until the control stack changes); nullptr after other
  // instructions. br_table targets: frame(depth) for each label immediate (the frames are
  // unchanged by the br_table). try_table catch labels are relative to the frames outside the
  // try_table: after its Step (which pushes the try_table frame) the target of catch label l
  // is frame(l + 1).
  const ControlFrame* branch_target() const { return branch_target_; }
  // After Step of `end` (or `else`, `catch`, `catch_all`, `delegate`): a copy of the frame
  // that was closed.
  const ControlFrame& last_popped() const { return last_popped_; }

  // Valid after Finish.
  uint32_t max_stack_height() const { return max_stack_; }
  uint32_t max_control_depth() const { return max_ctrl_; }

 private:
  // Error helpers (the current instruction's offset is attached).
  Error Invalid(std::string message) const;
  template <typename... Args>
  Error Invalidf(fmt::format_string<Args...> f, Args&&... args) const {
    return Invalid(fmt::format(f, std::forward<Args>(args)...));
  }
  Error Mismatch(ValType expected, ValType actual) const;
  // "type mismatch: <what> requires [expected] but stack has [top `shown` values]".
  Error SeqMismatch(const char* what, std::span<const ValType> expected, size_t shown) const;
  void Reset();
  ValType LocalTypeSlow(uint32_t index) const;

  // Operand stack.
  void Push(ValType t) {
    stack_.push_back(t);
    if (stack_.size() > max_stack_) max_stack_ = static_cast<uint32_t>(stack_.size());
  }
  void PushAll(std::span<const ValType> ts) {
    for (ValType t : ts) Push(t);
  }
  Status PopAny(ValType* out);
  Status Pop(ValType expected, ValType* actual = nullptr);
  Status PopAll(std::span<const ValType> ts);  // in reverse order
  // Checks the top values against `ts` without popping (br_table, br_if under subtyping).
  Status PeekAll(std::span<const ValType> ts);
  Status PopN(ValType t, uint64_t n);  // n values of type t (array.new_fixed)
  Status PopRef(ValType* out);         // any reference (or unknown -> (ref bot))
  Status PopAddr(AddrType at) {
    return Pop(at == AddrType::kI64 ? ValType::I64() : ValType::I32());
  }

  // Control stack.
  Status PushFrame(FrameKind kind, const BlockType& bt);
  Status PopFrame();  // checks the results and the height, pops; leaves the copy in last_popped_
  void SetUnreachable();
  Status CheckBlockType(const BlockType& bt, ControlFrame* frame);
  Status Label(uint32_t depth, const ControlFrame** out);

  // Locals initialization (non-defaultable locals).
  bool IsInitialized(uint32_t local) const;
  void MarkInitialized(uint32_t local);
  void ResetInitialized(uint32_t height);

  [[gnu::always_inline]] inline Status StepInline(const Instr& in);

  // Instruction families.
  Status StepControl(const Instr& in);
  Status StepVariable(const Instr& in);
  Status StepMemory(const Instr& in);
  Status StepTable(const Instr& in);
  Status StepCall(const Instr& in);
  Status StepRef(const Instr& in);
  Status StepGc(const Instr& in);
  Status StepException(const Instr& in);
  Status StepSig(const OpSig& sig, AddrType addr);
  [[gnu::noinline]] Status StepSigSlow(const OpSig& sig, AddrType addr);
  Status CheckConstOp(const Instr& in);

  // Immediate checks.
  Status CheckMemArg(const Instr& in, AddrType* addr);
  // Atomics (func_validator_atomic.cpp): the alignment must be exactly the natural one.
  [[gnu::noinline]] Status CheckAtomicMemArg(const Instr& in, AddrType* addr);
  Status CheckMemory(uint32_t index, AddrType* addr);
  Status CheckTable(uint32_t index, const TableType** out);
  Status CheckFunc(uint32_t index, const FuncType** out);
  Status CheckFuncType(uint32_t type_index, const FuncType** out);
  Status CheckValType(ValType t);
  Status CheckHeapType(HeapType t);
  Status CheckData(uint32_t index);
  Status CheckElem(uint32_t index, ValType* elem_type);
  Status CheckStruct(uint32_t type_index, const CompositeType** out);
  Status CheckArray(uint32_t type_index, const FieldType** out);
  Status CheckTag(uint32_t index, const FuncType** out);
  Status CheckReturnSubtype(std::span<const ValType> callee_results);

  const TypeContext& types_;
  const Module& module_;
  Features features_;

  ValStack stack_;
  std::vector<ControlFrame> ctrl_;
  std::vector<LocalRun> locals_;
  std::vector<ValType> dense_locals_;  // all local types, when there are few enough
  uint64_t num_locals_ = 0;
  uint32_t num_params_ = 0;
  const FuncType* sig_ = nullptr;

  // Initialized non-defaultable locals: a stack (for resetting at block ends) plus an
  // open-addressing set over it. Removal is strictly LIFO, so a removed slot can simply be
  // cleared.
  std::vector<uint32_t> init_stack_;
  std::vector<uint32_t> init_set_;  // slots hold local+1; 0 = empty; size is a power of two
  bool has_non_defaultable_ = false;

  bool const_mode_ = false;
  uint32_t num_const_globals_ = 0;

  uint32_t offset_ = 0;  // current instruction's offset
  const ControlFrame* branch_target_ = nullptr;
  ControlFrame last_popped_{};
  uint32_t max_stack_ = 0;
  uint32_t max_ctrl_ = 0;
};

}  // namespace wt::wasm
