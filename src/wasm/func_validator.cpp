// FuncValidator core: operand and control stacks, locals, control instructions, variables,
// fixed-signature instructions (numeric, SIMD, memory loads/stores), constant mode.
#include "wasm/func_validator.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

namespace wt::wasm {

FuncValidator::FuncValidator(const TypeContext& types, const Features& features)
    : types_(types), module_(types.module()), features_(features) {}

// --- Errors --------------------------------------------------------------------------------

Error FuncValidator::Invalid(std::string message) const {
  return Error{ErrorKind::kInvalid, std::move(message), offset_, {}};
}

std::string TypeList(std::span<const ValType> ts) {
  std::string s = "[";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i) s += ' ';
    s += ValTypeName(ts[i]);
  }
  s += ']';
  return s;
}

Error FuncValidator::Mismatch(ValType expected, ValType actual) const {
  return Invalidf("type mismatch: expected {}, got {}", ValTypeName(expected), ValTypeName(actual));
}

Error FuncValidator::SeqMismatch(const char* what, std::span<const ValType> expected,
                                 size_t shown) const {
  const ControlFrame& f = ctrl_.back();
  size_t avail = stack_.size() - f.height;
  size_t n = std::min(shown, avail);
  return Invalidf("type mismatch: {} requires {} but stack has {}", what, TypeList(expected),
                  TypeList(std::span<const ValType>(stack_).subspan(stack_.size() - n, n)));
}

// --- Operand stack -------------------------------------------------------------------------

Status FuncValidator::PopAny(ValType* out) {
  ControlFrame& f = ctrl_.back();
  if (stack_.size() == f.height) {
    if (f.unreachable) {
      *out = ValType::Bot();
      return Ok();
    }
    return Invalid("type mismatch: instruction requires a value but stack is empty");
  }
  *out = stack_.back();
  stack_.pop_back();
  return Ok();
}

Status FuncValidator::Pop(ValType expected, ValType* actual) {
  ControlFrame& f = ctrl_.back();
  if (stack_.size() == f.height) {
    if (f.unreachable) {
      if (actual) *actual = ValType::Bot();
      return Ok();
    }
    return SeqMismatch("instruction", std::span<const ValType>(&expected, 1), 1);
  }
  ValType t = stack_.back();
  if (!types_.IsSubtype(t, expected)) {
    return SeqMismatch("instruction", std::span<const ValType>(&expected, 1), 1);
  }
  stack_.pop_back();
  if (actual) *actual = t;
  return Ok();
}

Status FuncValidator::PeekAll(std::span<const ValType> ts) {
  const ControlFrame& f = ctrl_.back();
  size_t n = ts.size();
  size_t avail = stack_.size() - f.height;
  if (avail < n && !f.unreachable) return SeqMismatch("instruction", ts, n);
  size_t check = std::min(n, avail);
  // Compare the top `check` values with the last `check` expected types.
  for (size_t i = 0; i < check; ++i) {
    ValType actual = stack_[stack_.size() - 1 - i];
    if (!types_.IsSubtype(actual, ts[n - 1 - i])) return SeqMismatch("instruction", ts, n);
  }
  return Ok();
}

Status FuncValidator::PopAll(std::span<const ValType> ts) {
  WT_TRY(PeekAll(ts));
  const ControlFrame& f = ctrl_.back();
  size_t avail = stack_.size() - f.height;
  stack_.resize(stack_.size() - std::min(ts.size(), avail));
  return Ok();
}

Status FuncValidator::PopRef(ValType* out) {
  ValType t;
  WT_TRY(PopAny(&t));
  if (t.kind == ValKind::kBot) {
    *out = ValType::Ref(HeapType::Abstract(HeapKind::kBot), false);
    return Ok();
  }
  if (!t.is_ref()) {
    return Invalidf("type mismatch: instruction requires a reference but stack has {}",
                    ValTypeName(t));
  }
  *out = t;
  return Ok();
}

// --- Control stack -------------------------------------------------------------------------

void FuncValidator::SetUnreachable() {
  ControlFrame& f = ctrl_.back();
  stack_.resize(f.height);
  f.unreachable = true;
}

Status FuncValidator::CheckBlockType(const BlockType& bt, ControlFrame* frame) {
  switch (bt.kind) {
    case BlockType::Kind::kEmpty:
      frame->SetSignature(nullptr, 0, nullptr, 0);
      break;
    case BlockType::Kind::kValue:
      WT_TRY(CheckValType(bt.value));
      frame->SetSingleResult(bt.value);
      break;
    case BlockType::Kind::kIndex: {
      const FuncType* ft = types_.FuncAt(bt.index);
      if (!ft) return Invalidf("unknown type {}", bt.index);
      if (!features_.has(Feature::kMultiValue) && (!ft->params.empty() || ft->results.size() > 1)) {
        return Invalid("invalid result arity");
      }
      frame->SetSignature(ft->params.data(), static_cast<uint32_t>(ft->params.size()),
                          ft->results.data(), static_cast<uint32_t>(ft->results.size()));
      break;
    }
  }
  return Ok();
}

Status FuncValidator::PushFrame(FrameKind kind, const BlockType& bt) {
  ControlFrame f;
  f.kind = kind;
  f.offset = offset_;
  WT_TRY(CheckBlockType(bt, &f));
  WT_TRY(PopAll(f.params()));
  f.height = static_cast<uint32_t>(stack_.size());
  f.init_height = static_cast<uint32_t>(init_stack_.size());
  ctrl_.push_back(f);
  if (ctrl_.size() > max_ctrl_) max_ctrl_ = static_cast<uint32_t>(ctrl_.size());
  PushAll(ctrl_.back().params());
  return Ok();
}

Status FuncValidator::PopFrame() {
  const ControlFrame& f = ctrl_.back();
  std::span<const ValType> results = f.results();
  WT_TRY(PeekAll(results));
  size_t avail = stack_.size() - f.height;
  if (avail > results.size()) {
    return Invalidf("type mismatch: block requires {} but stack has {}", TypeList(results),
                    TypeList(std::span<const ValType>(stack_).subspan(f.height)));
  }
  stack_.resize(f.height);
  last_popped_ = f;
  ResetInitialized(f.init_height);
  ctrl_.pop_back();
  return Ok();
}

Status FuncValidator::Label(uint32_t depth, const ControlFrame** out) {
  if (depth >= ctrl_.size()) return Invalidf("unknown label {}", depth);
  *out = &ctrl_[ctrl_.size() - 1 - depth];
  return Ok();
}

// --- Locals --------------------------------------------------------------------------------

ValType FuncValidator::LocalTypeSlow(uint32_t index) const {
  auto it = std::upper_bound(locals_.begin(), locals_.end(), static_cast<uint64_t>(index),
                             [](uint64_t i, const LocalRun& r) { return i < r.end; });
  return it == locals_.end() ? ValType::Bot() : it->type;
}

namespace {
inline uint32_t HashLocal(uint32_t local) {
  return local * 2654435761u;
}
}  // namespace

bool FuncValidator::IsInitialized(uint32_t local) const {
  if (init_set_.empty()) return false;
  uint32_t mask = static_cast<uint32_t>(init_set_.size() - 1);
  for (uint32_t i = HashLocal(local) & mask;; i = (i + 1) & mask) {
    if (init_set_[i] == 0) return false;
    if (init_set_[i] == local + 1) return true;
  }
}

void FuncValidator::MarkInitialized(uint32_t local) {
  if (!has_non_defaultable_ || local < num_params_) return;
  if (local_type(local).is_defaultable() || IsInitialized(local)) return;
  init_stack_.push_back(local);
  if (init_set_.size() < init_stack_.size() * 2) {
    size_t n = init_set_.empty() ? 16 : init_set_.size() * 2;
    init_set_.assign(n, 0);
    uint32_t mask = static_cast<uint32_t>(n - 1);
    for (uint32_t l : init_stack_) {  // in insertion order (keeps LIFO removal valid)
      uint32_t i = HashLocal(l) & mask;
      while (init_set_[i] != 0) i = (i + 1) & mask;
      init_set_[i] = l + 1;
    }
    return;
  }
  uint32_t mask = static_cast<uint32_t>(init_set_.size() - 1);
  uint32_t i = HashLocal(local) & mask;
  while (init_set_[i] != 0) i = (i + 1) & mask;
  init_set_[i] = local + 1;
}

void FuncValidator::ResetInitialized(uint32_t height) {
  while (init_stack_.size() > height) {
    uint32_t local = init_stack_.back();
    init_stack_.pop_back();
    uint32_t mask = static_cast<uint32_t>(init_set_.size() - 1);
    uint32_t i = HashLocal(local) & mask;
    while (init_set_[i] != local + 1) i = (i + 1) & mask;
    init_set_[i] = 0;  // the most recent insertion: clearing keeps every probe chain intact
  }
}

// --- Begin / Finish ------------------------------------------------------------------------

void FuncValidator::Reset() {
  stack_.clear();
  ctrl_.clear();
  locals_.clear();
  dense_locals_.clear();
  ResetInitialized(0);
  num_locals_ = 0;
  num_params_ = 0;
  has_non_defaultable_ = false;
  sig_ = nullptr;
  branch_target_ = nullptr;
  max_stack_ = 0;
  max_ctrl_ = 0;
  const_mode_ = false;
  num_const_globals_ = 0;
  offset_ = 0;
}

Status FuncValidator::Begin(uint32_t func_index, const Code& code) {
  Reset();
  offset_ = code.whole.offset;
  if (func_index >= module_.funcs.size()) return Invalidf("unknown function {}", func_index);
  sig_ = types_.FuncAt(module_.funcs[func_index].type_index);
  if (!sig_) return Invalidf("unknown type {}", module_.funcs[func_index].type_index);
  for (ValType t : sig_->params) locals_.push_back(LocalRun{++num_locals_, t});
  num_params_ = static_cast<uint32_t>(num_locals_);
  LocalDeclReader decls(module_, code, features_);
  while (decls.remaining() > 0) {
    LocalDecl d;
    WT_TRY(decls.Next(&d));
    WT_TRY(CheckValType(d.type));
    if (d.count == 0) continue;
    num_locals_ += d.count;
    locals_.push_back(LocalRun{num_locals_, d.type});
    if (!d.type.is_defaultable()) has_non_defaultable_ = true;
  }
  if (num_locals_ > UINT32_MAX) return Invalid("too many locals");
  // A dense copy for fast lookup when it costs at most about one entry per body byte.
  uint64_t dense_limit = std::min<uint64_t>(std::max<uint64_t>(code.body.size, 64), 65536);
  if (num_locals_ <= dense_limit) {
    uint64_t i = 0;
    for (const LocalRun& r : locals_) {
      for (; i < r.end; ++i) dense_locals_.push_back(r.type);
    }
  }
  ControlFrame f;
  f.kind = FrameKind::kFunction;
  f.offset = code.body.offset;
  f.SetSignature(nullptr, 0, sig_->results.data(), static_cast<uint32_t>(sig_->results.size()));
  ctrl_.push_back(f);
  max_ctrl_ = 1;
  offset_ = code.body.offset;
  return Ok();
}

Status FuncValidator::BeginConst(ValType expected, uint32_t num_visible_globals) {
  Reset();
  const_mode_ = true;
  num_const_globals_ = num_visible_globals;
  ControlFrame f;
  f.kind = FrameKind::kConst;
  f.SetSingleResult(expected);
  ctrl_.push_back(f);
  max_ctrl_ = 1;
  return Ok();
}

Status FuncValidator::Finish() {
  if (!ctrl_.empty()) {
    return Error{ErrorKind::kMalformed, "unexpected end of section or function", offset_, {}};
  }
  return Ok();
}

// --- Dispatch ------------------------------------------------------------------------------

Status FuncValidator::CheckConstOp(const Instr& in) {
  switch (in.op) {
    case Op::I32Const:
    case Op::I64Const:
    case Op::F32Const:
    case Op::F64Const:
    case Op::V128Const:
    case Op::RefNull:
    case Op::RefFunc:
    case Op::GlobalGet:
    case Op::End:
      return Ok();
    case Op::I32Add:
    case Op::I32Sub:
    case Op::I32Mul:
    case Op::I64Add:
    case Op::I64Sub:
    case Op::I64Mul:
      if (features_.has(Feature::kExtendedConst)) return Ok();
      break;
    case Op::StructNew:
    case Op::StructNewDefault:
    case Op::ArrayNew:
    case Op::ArrayNewDefault:
    case Op::ArrayNewFixed:
    case Op::RefI31:
    case Op::AnyConvertExtern:
    case Op::ExternConvertAny:
      if (features_.has(Feature::kGc)) return Ok();
      break;
    default:
      break;
  }
  return Invalid("constant expression required");
}

namespace {

// What Step needs per opcode, from opcodes.def (a local table: GetOpInfo is out of line).
struct StepInfo {
  Imm imm = Imm::kNone;
  Feature feature = Feature::kMvp;
  OpSig sig;
};

constexpr StepInfo kStepInfo[] = {
#define WT_OP(prefix, code, name, text, imm, sig, feature) \
  {Imm::imm, Feature::feature, ParseOpSig(#sig)},
#include "wasm/opcodes.def"
#undef WT_OP
};
static_assert(std::size(kStepInfo) == kNumOps);

}  // namespace

namespace {

// NaturalAlignLog2 of the plain memory immediates, inline.
constexpr uint32_t MemAlignLog2(Imm imm) {
  switch (imm) {
    case Imm::kMem2:
      return 1;
    case Imm::kMem4:
      return 2;
    case Imm::kMem8:
      return 3;
    case Imm::kMem16:
      return 4;
    default:
      return 0;
  }
}

constexpr ValKind SigValKind(SigKind k, AddrType addr) {
  switch (k) {
    case SigKind::kI32:
      return ValKind::kI32;
    case SigKind::kI64:
      return ValKind::kI64;
    case SigKind::kF32:
      return ValKind::kF32;
    case SigKind::kF64:
      return ValKind::kF64;
    case SigKind::kV128:
      return ValKind::kV128;
    case SigKind::kAddr:
      return addr == AddrType::kI64 ? ValKind::kI64 : ValKind::kI32;
  }
  return ValKind::kBot;
}

}  // namespace

[[gnu::always_inline]] inline Status FuncValidator::StepSig(const OpSig& sig, AddrType addr) {
  const size_t n = sig.num_params;
  const size_t size = stack_.size();
  // Fast path: enough operands above the frame, all of exactly the expected (numeric or
  // vector) kinds, for which subtyping is equality.
  if (size >= ctrl_.back().height + n) {
    bool match = true;
    for (size_t i = 0; i < n; ++i) {
      match &= stack_[size - n + i].kind == SigValKind(sig.params[i], addr);
    }
    if (match) {
      // Shrinking with erase (inline; resize is an out-of-line call even when it shrinks).
      if (sig.num_results == 0) {
        stack_.erase(stack_.end() - static_cast<ptrdiff_t>(n), stack_.end());
      } else {
        ValType r{SigValKind(sig.results[0], addr), false, {}};
        if (n == 0) {
          Push(r);
        } else {
          stack_.erase(stack_.end() - static_cast<ptrdiff_t>(n - 1), stack_.end());
          stack_.back() = r;
        }
      }
      return Ok();
    }
  }
  return StepSigSlow(sig, addr);
}

[[gnu::always_inline]] inline Status FuncValidator::StepInline(const Instr& in) {
  offset_ = in.offset;
  branch_target_ = nullptr;
  if (ctrl_.empty()) {
    return Error{ErrorKind::kMalformed, "operators remaining after end of function", offset_, {}};
  }
  const StepInfo& info = kStepInfo[static_cast<size_t>(in.op)];
  if (info.feature != Feature::kMvp && !features_.has(info.feature)) [[unlikely]] {
    return Invalidf("{} requires the {} feature", OpText(in.op), FeatureName(info.feature));
  }
  if (const_mode_) WT_TRY(CheckConstOp(in));
  if (!info.sig.special) {
    AddrType addr = AddrType::kI32;
    switch (info.imm) {
      case Imm::kMem1:
      case Imm::kMem2:
      case Imm::kMem4:
      case Imm::kMem8:
      case Imm::kMem16: {
        // Inline when valid (a defined memory, alignment within the natural one, offset in
        // range); CheckMemArg reports anything else.
        const uint32_t mem = in.mem.memory;
        if (mem < module_.memories.size() && in.mem.align_log2 <= MemAlignLog2(info.imm)) {
          addr = module_.memories[mem].type.addr;
          if (addr == AddrType::kI64 || in.mem.offset <= UINT32_MAX) break;
        }
        WT_TRY(CheckMemArg(in, &addr));
        break;
      }
      case Imm::kMemLane1:
      case Imm::kMemLane2:
      case Imm::kMemLane4:
      case Imm::kMemLane8:
        WT_TRY(CheckMemArg(in, &addr));
        if (in.lane >= LaneCount(info.imm)) return Invalid("invalid lane index");
        break;
      case Imm::kMemIdx:
        WT_TRY(CheckMemory(in.a, &addr));
        break;
      case Imm::kAtomic1:
      case Imm::kAtomic2:
      case Imm::kAtomic4:
      case Imm::kAtomic8:
        WT_TRY(CheckAtomicMemArg(in, &addr));
        break;
      case Imm::kLaneIdx16:
      case Imm::kLaneIdx8:
      case Imm::kLaneIdx4:
      case Imm::kLaneIdx2:
        if (in.lane >= LaneCount(info.imm)) return Invalid("invalid lane index");
        break;
      case Imm::kShuffle:
        for (uint8_t lane : in.v128) {
          if (lane >= 32) return Invalid("invalid lane index");
        }
        break;
      default:
        break;
    }
    return StepSig(info.sig, addr);
  }
  // Inline fast paths of the commonest special instructions (numeric operands, no error):
  // each does exactly what its out-of-line handler would; anything else goes there.
  switch (in.op) {
    case Op::LocalGet:
      if (in.a < dense_locals_.size()) [[likely]] {
        ValType t = dense_locals_[in.a];
        if (t.kind != ValKind::kRef) {
          Push(t);
          return Ok();
        }
      }
      return StepVariable(in);
    case Op::LocalSet:
    case Op::LocalTee:
      if (in.a < dense_locals_.size()) [[likely]] {
        ValType t = dense_locals_[in.a];
        if (t.kind != ValKind::kRef && stack_.size() > ctrl_.back().height &&
            stack_.back().kind == t.kind) {
          if (in.op == Op::LocalSet) {
            stack_.pop_back();
          } else {
            stack_.back() = t;
          }
          return Ok();
        }
      }
      return StepVariable(in);
    case Op::Drop:
      if (stack_.size() > ctrl_.back().height) {
        stack_.pop_back();
        return Ok();
      }
      return StepControl(in);
    case Op::Br:
    case Op::BrIf:
      if (in.a < ctrl_.size()) {
        const ControlFrame* target = &ctrl_[ctrl_.size() - 1 - in.a];
        if (target->label_types().empty()) {
          if (in.op == Op::Br) {
            SetUnreachable();
            branch_target_ = target;
            return Ok();
          }
          if (stack_.size() > ctrl_.back().height && stack_.back().kind == ValKind::kI32) {
            stack_.pop_back();
            branch_target_ = target;
            return Ok();
          }
        }
      }
      return StepControl(in);
    case Op::End: {
      // A frame other than an if (whose implicit else is checked) with exactly its results
      // (at most one, numeric) above its height: PopFrame + pushing the results.
      const ControlFrame& f = ctrl_.back();
      std::span<const ValType> rs = f.results();
      if (f.kind != FrameKind::kIf && stack_.size() - f.height == rs.size() && rs.size() <= 1 &&
          (rs.empty() || (rs[0].kind != ValKind::kRef && stack_.back().kind == rs[0].kind))) {
        if (!rs.empty()) stack_.back() = rs[0];
        last_popped_ = f;
        ResetInitialized(f.init_height);
        ctrl_.pop_back();
        return Ok();
      }
      return StepControl(in);
    }
    case Op::Call:
      if (in.a < module_.funcs.size()) {
        const FuncType* ft = types_.FuncAt(module_.funcs[in.a].type_index);
        if (ft) {
          const size_t n = ft->params.size();
          const size_t size = stack_.size();
          if (size >= ctrl_.back().height + n) {
            bool match = true;
            for (size_t i = 0; i < n; ++i) {
              ValKind k = ft->params[i].kind;
              match &= k != ValKind::kRef && stack_[size - n + i].kind == k;
            }
            if (match) {
              stack_.erase(stack_.end() - static_cast<ptrdiff_t>(n), stack_.end());
              PushAll(ft->results);
              return Ok();
            }
          }
        }
      }
      return StepCall(in);
    default:
      break;
  }
  switch (in.op) {
    case Op::Unreachable:
    case Op::Block:
    case Op::Loop:
    case Op::If:
    case Op::Else:
    case Op::End:
    case Op::Br:
    case Op::BrIf:
    case Op::BrTable:
    case Op::Return:
    case Op::Drop:
    case Op::Select:
    case Op::SelectT:
      return StepControl(in);
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee:
    case Op::GlobalGet:
    case Op::GlobalSet:
      return StepVariable(in);
    case Op::MemoryInit:
    case Op::DataDrop:
    case Op::MemoryCopy:
    case Op::MemoryFill:
      return StepMemory(in);
    case Op::TableGet:
    case Op::TableSet:
    case Op::TableSize:
    case Op::TableGrow:
    case Op::TableFill:
    case Op::TableCopy:
    case Op::TableInit:
    case Op::ElemDrop:
      return StepTable(in);
    case Op::Call:
    case Op::CallIndirect:
    case Op::ReturnCall:
    case Op::ReturnCallIndirect:
    case Op::CallRef:
    case Op::ReturnCallRef:
      return StepCall(in);
    case Op::RefNull:
    case Op::RefIsNull:
    case Op::RefFunc:
    case Op::RefEq:
    case Op::RefAsNonNull:
    case Op::BrOnNull:
    case Op::BrOnNonNull:
      return StepRef(in);
    case Op::Try:
    case Op::Catch:
    case Op::Throw:
    case Op::Rethrow:
    case Op::ThrowRef:
    case Op::Delegate:
    case Op::CatchAll:
    case Op::TryTable:
      return StepException(in);
    default:
      return StepGc(in);
  }
}

Status FuncValidator::Step(const Instr& in) {
  return StepInline(in);
}

Status FuncValidator::Run(CodeReader& r) {
  Instr in;
  while (!r.AtEnd()) {
    WT_TRY(r.Next(&in));
    WT_TRY(StepInline(in));
  }
  return Finish();
}

Status FuncValidator::StepSigSlow(const OpSig& sig, AddrType addr) {
  ValType params[3];
  for (uint8_t i = 0; i < sig.num_params; ++i) {
    params[i] = ValType{SigValKind(sig.params[i], addr), false, {}};
  }
  WT_TRY(PopAll(std::span<const ValType>(params, sig.num_params)));
  if (sig.num_results) Push(ValType{SigValKind(sig.results[0], addr), false, {}});
  return Ok();
}

// --- Immediates ----------------------------------------------------------------------------

Status FuncValidator::CheckValType(ValType t) {
  if (!types_.IsValid(t)) return Invalidf("unknown type {}", t.heap.index);
  return Ok();
}

Status FuncValidator::CheckHeapType(HeapType t) {
  if (!types_.IsValid(t)) return Invalidf("unknown type {}", t.index);
  return Ok();
}

Status FuncValidator::CheckMemory(uint32_t index, AddrType* addr) {
  if (index >= module_.memories.size()) return Invalidf("unknown memory {}", index);
  *addr = module_.memories[index].type.addr;
  return Ok();
}

Status FuncValidator::CheckMemArg(const Instr& in, AddrType* addr) {
  WT_TRY(CheckMemory(in.mem.memory, addr));
  if (in.mem.align_log2 > NaturalAlignLog2(GetOpInfo(in.op).imm)) {
    return Invalid("alignment must not be larger than natural");
  }
  if (*addr == AddrType::kI32 && in.mem.offset > UINT32_MAX) {
    return Invalid("offset out of range");
  }
  return Ok();
}

Status FuncValidator::CheckTable(uint32_t index, const TableType** out) {
  if (index >= module_.tables.size()) return Invalidf("unknown table {}", index);
  *out = &module_.tables[index].type;
  return Ok();
}

Status FuncValidator::CheckFunc(uint32_t index, const FuncType** out) {
  if (index >= module_.funcs.size()) return Invalidf("unknown function {}", index);
  const FuncType* ft = types_.FuncAt(module_.funcs[index].type_index);
  if (!ft) return Invalidf("unknown type {}", module_.funcs[index].type_index);
  *out = ft;
  return Ok();
}

Status FuncValidator::CheckFuncType(uint32_t type_index, const FuncType** out) {
  const FuncType* ft = types_.FuncAt(type_index);
  if (!ft) return Invalidf("unknown type {}", type_index);
  *out = ft;
  return Ok();
}

Status FuncValidator::CheckData(uint32_t index) {
  uint64_t n = module_.data_count ? *module_.data_count : module_.datas.size();
  if (index >= n) return Invalidf("unknown data segment {}", index);
  // Normally the reader's syntax pass reports this first; without it (ReadOptions::
  // check_code_syntax off, the run path) the validator does, with the same kind.
  if (!module_.data_count) {
    return Error{ErrorKind::kMalformed, "data count section required", offset_, {}};
  }
  return Ok();
}

Status FuncValidator::CheckElem(uint32_t index, ValType* elem_type) {
  if (index >= module_.elems.size()) return Invalidf("unknown elem segment {}", index);
  *elem_type = module_.elems[index].elem_type;
  return Ok();
}

// --- Control -------------------------------------------------------------------------------

Status FuncValidator::StepControl(const Instr& in) {
  switch (in.op) {
    case Op::Unreachable:
      SetUnreachable();
      return Ok();
    case Op::Block:
      return PushFrame(FrameKind::kBlock, in.block);
    case Op::Loop:
      return PushFrame(FrameKind::kLoop, in.block);
    case Op::If: {
      ControlFrame sig;  // the block type is checked before the condition (spec order)
      WT_TRY(CheckBlockType(in.block, &sig));
      WT_TRY(Pop(ValType::I32()));
      return PushFrame(FrameKind::kIf, in.block);
    }
    case Op::Else: {
      if (ctrl_.back().kind != FrameKind::kIf) {
        return Error{ErrorKind::kMalformed, "else without matching if", offset_, {}};
      }
      ControlFrame f = ctrl_.back();
      WT_TRY(PopFrame());
      f.kind = FrameKind::kElse;
      f.unreachable = false;
      ctrl_.push_back(f);
      PushAll(ctrl_.back().params());
      return Ok();
    }
    case Op::End: {
      ControlFrame& f = ctrl_.back();
      if (f.kind == FrameKind::kIf) {
        // An if without else: the implicit else branch passes the params through.
        std::span<const ValType> ps = f.params();
        std::span<const ValType> rs = f.results();
        bool ok = ps.size() == rs.size();
        for (size_t i = 0; ok && i < ps.size(); ++i) ok = types_.IsSubtype(ps[i], rs[i]);
        if (!ok) {
          return Invalidf("type mismatch: if without else requires {} but else branch has {}",
                          TypeList(rs), TypeList(ps));
        }
      }
      WT_TRY(PopFrame());
      PushAll(last_popped_.results());
      return Ok();
    }
    case Op::Br: {
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      WT_TRY(PopAll(target->label_types()));
      SetUnreachable();
      branch_target_ = target;
      return Ok();
    }
    case Op::BrIf: {
      WT_TRY(Pop(ValType::I32()));
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      std::span<const ValType> ts = target->label_types();
      WT_TRY(PopAll(ts));
      PushAll(ts);
      branch_target_ = target;
      return Ok();
    }
    case Op::BrTable: {
      WT_TRY(Pop(ValType::I32()));
      if (in.targets.empty()) return Invalid("br_table without a default label");
      const ControlFrame* def;
      WT_TRY(Label(in.targets.back(), &def));
      size_t arity = def->label_types().size();
      for (uint32_t depth : in.targets) {
        const ControlFrame* target;
        WT_TRY(Label(depth, &target));
        if (target->label_types().size() != arity) {
          return Invalidf("type mismatch: br_table target {} has arity {}, default has {}", depth,
                          target->label_types().size(), arity);
        }
        WT_TRY(PeekAll(target->label_types()));
      }
      WT_TRY(PopAll(def->label_types()));
      SetUnreachable();
      return Ok();
    }
    case Op::Return:
      if (!sig_) return Invalid("constant expression required");
      WT_TRY(PopAll(sig_->results));
      SetUnreachable();
      return Ok();
    case Op::Drop: {
      ValType t;
      return PopAny(&t);
    }
    case Op::Select: {
      WT_TRY(Pop(ValType::I32()));
      ValType t1, t2;
      WT_TRY(PopAny(&t1));
      WT_TRY(PopAny(&t2));
      if (t1.is_ref() || t2.is_ref()) {
        return Invalid("type mismatch: select without type requires numeric or vector operands");
      }
      if (t1.kind != t2.kind && t1.kind != ValKind::kBot && t2.kind != ValKind::kBot) {
        return Mismatch(t1, t2);
      }
      Push(t1.kind == ValKind::kBot ? t2 : t1);
      return Ok();
    }
    case Op::SelectT: {
      if (in.types.size() != 1) return Invalid("invalid result arity");
      ValType t = in.types[0];
      WT_TRY(CheckValType(t));
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(t));
      WT_TRY(Pop(t));
      Push(t);
      return Ok();
    }
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- Variables -----------------------------------------------------------------------------

Status FuncValidator::StepVariable(const Instr& in) {
  switch (in.op) {
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee: {
      if (in.a >= num_locals_) return Invalidf("unknown local {}", in.a);
      ValType t = local_type(in.a);
      if (in.op == Op::LocalGet) {
        if (!t.is_defaultable() && in.a >= num_params_ && !IsInitialized(in.a)) {
          return Invalidf("uninitialized local {}", in.a);
        }
        Push(t);
        return Ok();
      }
      WT_TRY(Pop(t));
      MarkInitialized(in.a);
      if (in.op == Op::LocalTee) Push(t);
      return Ok();
    }
    case Op::GlobalGet: {
      if (in.a >= module_.globals.size()) return Invalidf("unknown global {}", in.a);
      const GlobalType& g = module_.globals[in.a].type;
      if (const_mode_) {
        if (in.a >= num_const_globals_) return Invalidf("unknown global {}", in.a);
        if (g.mutable_) return Invalid("constant expression required");
      }
      Push(g.type);
      return Ok();
    }
    case Op::GlobalSet: {
      if (in.a >= module_.globals.size()) return Invalidf("unknown global {}", in.a);
      const GlobalType& g = module_.globals[in.a].type;
      if (!g.mutable_) {
        // The 2.0 and 3.0 suites word this differently.
        return Invalidf("{} {}",
                        features_.has(Feature::kGc) ? "immutable global" : "global is immutable",
                        in.a);
      }
      return Pop(g.type);
    }
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- Memory (bulk) -------------------------------------------------------------------------

Status FuncValidator::StepMemory(const Instr& in) {
  AddrType at = AddrType::kI32;
  switch (in.op) {
    case Op::MemoryInit:
      WT_TRY(CheckMemory(in.b, &at));
      WT_TRY(CheckData(in.a));
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ValType::I32()));
      return PopAddr(at);
    case Op::DataDrop:
      return CheckData(in.a);
    case Op::MemoryCopy: {
      AddrType src = AddrType::kI32;
      WT_TRY(CheckMemory(in.a, &at));
      WT_TRY(CheckMemory(in.b, &src));
      bool both64 = at == AddrType::kI64 && src == AddrType::kI64;
      WT_TRY(PopAddr(both64 ? AddrType::kI64 : AddrType::kI32));
      WT_TRY(PopAddr(src));
      return PopAddr(at);
    }
    case Op::MemoryFill:
      WT_TRY(CheckMemory(in.a, &at));
      WT_TRY(PopAddr(at));
      WT_TRY(Pop(ValType::I32()));
      return PopAddr(at);
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- Tables --------------------------------------------------------------------------------

Status FuncValidator::StepTable(const Instr& in) {
  const TableType* tt = nullptr;
  switch (in.op) {
    case Op::TableGet:
      WT_TRY(CheckTable(in.a, &tt));
      WT_TRY(PopAddr(tt->addr));
      Push(tt->elem);
      return Ok();
    case Op::TableSet:
      WT_TRY(CheckTable(in.a, &tt));
      WT_TRY(Pop(tt->elem));
      return PopAddr(tt->addr);
    case Op::TableSize:
      WT_TRY(CheckTable(in.a, &tt));
      Push(tt->addr == AddrType::kI64 ? ValType::I64() : ValType::I32());
      return Ok();
    case Op::TableGrow:
      WT_TRY(CheckTable(in.a, &tt));
      WT_TRY(PopAddr(tt->addr));
      WT_TRY(Pop(tt->elem));
      Push(tt->addr == AddrType::kI64 ? ValType::I64() : ValType::I32());
      return Ok();
    case Op::TableFill:
      WT_TRY(CheckTable(in.a, &tt));
      WT_TRY(PopAddr(tt->addr));
      WT_TRY(Pop(tt->elem));
      return PopAddr(tt->addr);
    case Op::TableCopy: {
      const TableType* src = nullptr;
      WT_TRY(CheckTable(in.a, &tt));
      WT_TRY(CheckTable(in.b, &src));
      if (!types_.IsSubtype(src->elem, tt->elem)) return Mismatch(tt->elem, src->elem);
      bool both64 = tt->addr == AddrType::kI64 && src->addr == AddrType::kI64;
      WT_TRY(PopAddr(both64 ? AddrType::kI64 : AddrType::kI32));
      WT_TRY(PopAddr(src->addr));
      return PopAddr(tt->addr);
    }
    case Op::TableInit: {
      ValType et;
      WT_TRY(CheckTable(in.b, &tt));
      WT_TRY(CheckElem(in.a, &et));
      if (!types_.IsSubtype(et, tt->elem)) return Mismatch(tt->elem, et);
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ValType::I32()));
      return PopAddr(tt->addr);
    }
    case Op::ElemDrop: {
      ValType et;
      return CheckElem(in.a, &et);
    }
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- Calls ---------------------------------------------------------------------------------

Status FuncValidator::CheckReturnSubtype(std::span<const ValType> callee_results) {
  if (!sig_) return Invalid("constant expression required");
  const auto& mine = sig_->results;
  bool ok = callee_results.size() == mine.size();
  for (size_t i = 0; ok && i < mine.size(); ++i) ok = types_.IsSubtype(callee_results[i], mine[i]);
  if (!ok) {
    return Invalidf("type mismatch: tail call returns {} but the caller returns {}",
                    TypeList(callee_results), TypeList(mine));
  }
  return Ok();
}

Status FuncValidator::StepCall(const Instr& in) {
  const FuncType* ft = nullptr;
  bool tail =
      in.op == Op::ReturnCall || in.op == Op::ReturnCallIndirect || in.op == Op::ReturnCallRef;
  switch (in.op) {
    case Op::Call:
    case Op::ReturnCall:
      WT_TRY(CheckFunc(in.a, &ft));
      break;
    case Op::CallIndirect:
    case Op::ReturnCallIndirect: {
      const TableType* tt = nullptr;
      WT_TRY(CheckTable(in.b, &tt));
      if (!types_.IsSubtype(tt->elem, ValType::FuncRef())) {
        return Invalidf("type mismatch: call_indirect on a table of {}", ValTypeName(tt->elem));
      }
      WT_TRY(CheckFuncType(in.a, &ft));
      WT_TRY(PopAddr(tt->addr));
      break;
    }
    case Op::CallRef:
    case Op::ReturnCallRef:
      WT_TRY(CheckFuncType(in.a, &ft));
      WT_TRY(Pop(ValType::Ref(HeapType::Index(in.a), true)));
      break;
    default:
      return Invalidf("unexpected opcode {}", OpText(in.op));
  }
  if (tail) WT_TRY(CheckReturnSubtype(ft->results));
  WT_TRY(PopAll(ft->params));
  if (tail) {
    SetUnreachable();
  } else {
    PushAll(ft->results);
  }
  return Ok();
}

}  // namespace wt::wasm
