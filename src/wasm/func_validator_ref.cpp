// FuncValidator: reference instructions (reference types, typed function references, GC) and
// exception handling (try_table / throw / throw_ref, and the legacy try / catch / delegate).
#include <algorithm>

#include "wasm/func_validator.h"

namespace wt::wasm {
namespace {

ValType Unpacked(const StorageType& s) {
  return s.packed == Packed::kNone ? s.type : ValType::I32();
}

ValType RefOf(HeapKind k, bool nullable) {
  return ValType::Ref(HeapType::Abstract(k), nullable);
}

}  // namespace

// --- Reference types, function references --------------------------------------------------

Status FuncValidator::StepRef(const Instr& in) {
  switch (in.op) {
    case Op::RefNull:
      WT_TRY(CheckHeapType(in.heap1));
      Push(ValType::Ref(in.heap1, true));
      return Ok();
    case Op::RefIsNull: {
      ValType t;
      WT_TRY(PopRef(&t));
      Push(ValType::I32());
      return Ok();
    }
    case Op::RefFunc: {
      const FuncType* ft;
      WT_TRY(CheckFunc(in.a, &ft));
      if (!const_mode_ && !std::binary_search(module_.declared_func_refs.begin(),
                                              module_.declared_func_refs.end(), in.a)) {
        return Invalidf("undeclared function reference {}", in.a);
      }
      if (features_.has(Feature::kFuncRefs) || features_.has(Feature::kGc)) {
        Push(ValType::Ref(HeapType::Index(module_.funcs[in.a].type_index), false));
      } else {
        Push(ValType::FuncRef());
      }
      return Ok();
    }
    case Op::RefEq:
      WT_TRY(Pop(RefOf(HeapKind::kEq, true)));
      WT_TRY(Pop(RefOf(HeapKind::kEq, true)));
      Push(ValType::I32());
      return Ok();
    case Op::RefAsNonNull: {
      ValType t;
      WT_TRY(PopRef(&t));
      Push(ValType::Ref(t.heap, false));
      return Ok();
    }
    case Op::BrOnNull: {
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      ValType t;
      WT_TRY(PopRef(&t));
      std::span<const ValType> ts = target->label_types();
      WT_TRY(PopAll(ts));
      PushAll(ts);
      Push(ValType::Ref(t.heap, false));
      branch_target_ = target;
      return Ok();
    }
    case Op::BrOnNonNull: {
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      ValType t;
      WT_TRY(PopRef(&t));
      std::span<const ValType> ts = target->label_types();
      if (ts.empty() || !types_.IsSubtype(ValType::Ref(t.heap, false), ts.back())) {
        return Invalidf("type mismatch: br_on_non_null target carries {}", TypeList(ts));
      }
      ts = ts.first(ts.size() - 1);
      WT_TRY(PopAll(ts));
      PushAll(ts);
      branch_target_ = target;
      return Ok();
    }
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- GC ------------------------------------------------------------------------------------

Status FuncValidator::PopN(ValType t, uint64_t n) {
  const ControlFrame& f = ctrl_.back();
  size_t avail = stack_.size() - f.height;
  if (avail < n && !f.unreachable) {
    return Invalidf("type mismatch: instruction requires {} operands of type {} but stack has {}",
                    n, ValTypeName(t), avail);
  }
  size_t check = static_cast<size_t>(std::min<uint64_t>(n, avail));
  for (size_t i = 0; i < check; ++i) {
    ValType actual = stack_[stack_.size() - 1 - i];
    if (!types_.IsSubtype(actual, t)) return Mismatch(t, actual);
  }
  stack_.resize(stack_.size() - check);
  return Ok();
}

Status FuncValidator::CheckStruct(uint32_t type_index, const CompositeType** out) {
  *out = types_.StructAt(type_index);
  if (!*out) {
    if (type_index >= types_.size()) return Invalidf("unknown type {}", type_index);
    return Invalidf("type mismatch: type {} is not a struct type", type_index);
  }
  return Ok();
}

Status FuncValidator::CheckArray(uint32_t type_index, const FieldType** out) {
  const CompositeType* c = types_.ArrayAt(type_index);
  if (!c) {
    if (type_index >= types_.size()) return Invalidf("unknown type {}", type_index);
    return Invalidf("type mismatch: type {} is not an array type", type_index);
  }
  *out = &c->fields[0];
  return Ok();
}

Status FuncValidator::StepGc(const Instr& in) {
  const CompositeType* st = nullptr;
  const FieldType* at = nullptr;
  auto ref_to = [](uint32_t x, bool nullable) {
    return ValType::Ref(HeapType::Index(x), nullable);
  };
  switch (in.op) {
    case Op::StructNew: {
      WT_TRY(CheckStruct(in.a, &st));
      for (size_t i = st->fields.size(); i-- > 0;) WT_TRY(Pop(Unpacked(st->fields[i].storage)));
      Push(ref_to(in.a, false));
      return Ok();
    }
    case Op::StructNewDefault:
      WT_TRY(CheckStruct(in.a, &st));
      for (const FieldType& f : st->fields) {
        if (!f.storage.type.is_defaultable()) {
          return Invalidf("type mismatch: struct type {} has a non-defaultable field", in.a);
        }
      }
      Push(ref_to(in.a, false));
      return Ok();
    case Op::StructGet:
    case Op::StructGetS:
    case Op::StructGetU: {
      WT_TRY(CheckStruct(in.a, &st));
      if (in.b >= st->fields.size()) return Invalidf("unknown field {}", in.b);
      const FieldType& f = st->fields[in.b];
      bool packed = f.storage.packed != Packed::kNone;
      if (packed != (in.op != Op::StructGet)) {
        return Invalidf("type mismatch: {} on a {} field", OpText(in.op),
                        packed ? "packed" : "unpacked");
      }
      WT_TRY(Pop(ref_to(in.a, true)));
      Push(Unpacked(f.storage));
      return Ok();
    }
    case Op::StructSet: {
      WT_TRY(CheckStruct(in.a, &st));
      if (in.b >= st->fields.size()) return Invalidf("unknown field {}", in.b);
      const FieldType& f = st->fields[in.b];
      if (!f.mutable_) return Invalidf("immutable field {}", in.b);
      WT_TRY(Pop(Unpacked(f.storage)));
      return Pop(ref_to(in.a, true));
    }
    case Op::ArrayNew:
      WT_TRY(CheckArray(in.a, &at));
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(Unpacked(at->storage)));
      Push(ref_to(in.a, false));
      return Ok();
    case Op::ArrayNewDefault:
      WT_TRY(CheckArray(in.a, &at));
      if (!at->storage.type.is_defaultable()) {
        return Invalidf("type mismatch: array type {} is not defaultable", in.a);
      }
      WT_TRY(Pop(ValType::I32()));
      Push(ref_to(in.a, false));
      return Ok();
    case Op::ArrayNewFixed:
      WT_TRY(CheckArray(in.a, &at));
      WT_TRY(PopN(Unpacked(at->storage), in.b));
      Push(ref_to(in.a, false));
      return Ok();
    case Op::ArrayNewData:
    case Op::ArrayInitData:
      WT_TRY(CheckArray(in.a, &at));
      if (in.op == Op::ArrayInitData && !at->mutable_) return Invalid("immutable array");
      if (at->storage.packed == Packed::kNone && !at->storage.type.is_num() &&
          at->storage.type.kind != ValKind::kV128) {
        return Invalid("array type is not numeric or vector");
      }
      WT_TRY(CheckData(in.b));
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ValType::I32()));
      if (in.op == Op::ArrayInitData) {
        WT_TRY(Pop(ValType::I32()));
        return Pop(ref_to(in.a, true));
      }
      Push(ref_to(in.a, false));
      return Ok();
    case Op::ArrayNewElem:
    case Op::ArrayInitElem: {
      WT_TRY(CheckArray(in.a, &at));
      if (in.op == Op::ArrayInitElem && !at->mutable_) return Invalid("immutable array");
      ValType et;
      WT_TRY(CheckElem(in.b, &et));
      if (at->storage.packed != Packed::kNone || !types_.IsSubtype(et, at->storage.type)) {
        return Invalidf("type mismatch: elem segment of {} for an array of {}", ValTypeName(et),
                        ValTypeName(Unpacked(at->storage)));
      }
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ValType::I32()));
      if (in.op == Op::ArrayInitElem) {
        WT_TRY(Pop(ValType::I32()));
        return Pop(ref_to(in.a, true));
      }
      Push(ref_to(in.a, false));
      return Ok();
    }
    case Op::ArrayGet:
    case Op::ArrayGetS:
    case Op::ArrayGetU: {
      WT_TRY(CheckArray(in.a, &at));
      bool packed = at->storage.packed != Packed::kNone;
      if (packed != (in.op != Op::ArrayGet)) {
        return Invalidf("type mismatch: {} on a {} array", OpText(in.op),
                        packed ? "packed" : "unpacked");
      }
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ref_to(in.a, true)));
      Push(Unpacked(at->storage));
      return Ok();
    }
    case Op::ArraySet:
      WT_TRY(CheckArray(in.a, &at));
      if (!at->mutable_) return Invalid("immutable array");
      WT_TRY(Pop(Unpacked(at->storage)));
      WT_TRY(Pop(ValType::I32()));
      return Pop(ref_to(in.a, true));
    case Op::ArrayLen:
      WT_TRY(Pop(RefOf(HeapKind::kArray, true)));
      Push(ValType::I32());
      return Ok();
    case Op::ArrayFill:
      WT_TRY(CheckArray(in.a, &at));
      if (!at->mutable_) return Invalid("immutable array");
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(Unpacked(at->storage)));
      WT_TRY(Pop(ValType::I32()));
      return Pop(ref_to(in.a, true));
    case Op::ArrayCopy: {
      const FieldType* src = nullptr;
      WT_TRY(CheckArray(in.a, &at));
      WT_TRY(CheckArray(in.b, &src));
      if (!at->mutable_) return Invalid("immutable array");
      if (!types_.IsStorageSubtype(src->storage, at->storage)) {
        return Invalid("array types do not match");
      }
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ValType::I32()));
      WT_TRY(Pop(ref_to(in.b, true)));
      WT_TRY(Pop(ValType::I32()));
      return Pop(ref_to(in.a, true));
    }
    case Op::RefTest:
    case Op::RefTestNull:
    case Op::RefCast:
    case Op::RefCastNull: {
      WT_TRY(CheckHeapType(in.heap1));
      bool nullable = in.op == Op::RefTestNull || in.op == Op::RefCastNull;
      ValType rt = ValType::Ref(in.heap1, nullable);
      WT_TRY(Pop(RefOf(types_.Top(in.heap1), true)));
      Push(in.op == Op::RefTest || in.op == Op::RefTestNull ? ValType::I32() : rt);
      return Ok();
    }
    case Op::BrOnCast:
    case Op::BrOnCastFail: {
      WT_TRY(CheckHeapType(in.heap1));
      WT_TRY(CheckHeapType(in.heap2));
      ValType rt1 = ValType::Ref(in.heap1, (in.cast_flags & 1) != 0);
      ValType rt2 = ValType::Ref(in.heap2, (in.cast_flags & 2) != 0);
      if (!types_.IsSubtype(rt2, rt1)) {
        return Invalidf("type mismatch: cast target {} is not a subtype of {}", ValTypeName(rt2),
                        ValTypeName(rt1));
      }
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      WT_TRY(Pop(rt1));
      ValType diff = ValType::Ref(rt1.heap, rt1.nullable && !rt2.nullable);
      ValType branch = in.op == Op::BrOnCast ? rt2 : diff;
      ValType fall = in.op == Op::BrOnCast ? diff : rt2;
      std::span<const ValType> ts = target->label_types();
      if (ts.empty() || !types_.IsSubtype(branch, ts.back())) {
        return Invalidf("type mismatch: {} target carries {}", OpText(in.op), TypeList(ts));
      }
      ts = ts.first(ts.size() - 1);
      WT_TRY(PopAll(ts));
      PushAll(ts);
      Push(fall);
      branch_target_ = target;
      return Ok();
    }
    case Op::AnyConvertExtern:
    case Op::ExternConvertAny: {
      bool to_any = in.op == Op::AnyConvertExtern;
      ValType t;
      WT_TRY(PopRef(&t));
      HeapKind from = to_any ? HeapKind::kExtern : HeapKind::kAny;
      if (!types_.IsHeapSubtype(t.heap, HeapType::Abstract(from))) {
        return Mismatch(RefOf(from, true), t);
      }
      Push(RefOf(to_any ? HeapKind::kAny : HeapKind::kExtern, t.nullable));
      return Ok();
    }
    case Op::RefI31:
      WT_TRY(Pop(ValType::I32()));
      Push(RefOf(HeapKind::kI31, false));
      return Ok();
    case Op::I31GetS:
    case Op::I31GetU:
      WT_TRY(Pop(RefOf(HeapKind::kI31, true)));
      Push(ValType::I32());
      return Ok();
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

// --- Exceptions ----------------------------------------------------------------------------

Status FuncValidator::CheckTag(uint32_t index, const FuncType** out) {
  if (index >= module_.tags.size()) return Invalidf("unknown tag {}", index);
  uint32_t ti = module_.tags[index].type.type_index;
  *out = types_.FuncAt(ti);
  if (!*out) return Invalidf("unknown type {}", ti);
  return Ok();
}

Status FuncValidator::StepException(const Instr& in) {
  const FuncType* ft = nullptr;
  switch (in.op) {
    case Op::Throw:
      WT_TRY(CheckTag(in.a, &ft));
      WT_TRY(PopAll(ft->params));
      SetUnreachable();
      return Ok();
    case Op::ThrowRef:
      WT_TRY(Pop(RefOf(HeapKind::kExn, true)));
      SetUnreachable();
      return Ok();
    case Op::TryTable: {
      ValType exnref = RefOf(HeapKind::kExn, false);
      for (const CatchClause& c : in.catches) {
        const ControlFrame* target;
        WT_TRY(Label(c.label, &target));
        std::span<const ValType> params;
        if (c.kind == CatchClause::Kind::kCatch || c.kind == CatchClause::Kind::kCatchRef) {
          WT_TRY(CheckTag(c.tag, &ft));
          params = ft->params;
        }
        bool with_ref =
            c.kind == CatchClause::Kind::kCatchRef || c.kind == CatchClause::Kind::kCatchAllRef;
        std::span<const ValType> ls = target->label_types();
        bool ok = ls.size() == params.size() + (with_ref ? 1 : 0);
        for (size_t i = 0; ok && i < params.size(); ++i) ok = types_.IsSubtype(params[i], ls[i]);
        if (ok && with_ref) ok = types_.IsSubtype(exnref, ls.back());
        if (!ok) {
          return Invalidf("type mismatch: catch clause delivers {}{} to a label of {}",
                          TypeList(params), with_ref ? " exnref" : "", TypeList(ls));
        }
      }
      return PushFrame(FrameKind::kTryTable, in.block);
    }
    case Op::Try:
      return PushFrame(FrameKind::kTry, in.block);
    case Op::Catch:
    case Op::CatchAll: {
      FrameKind k = ctrl_.back().kind;
      if (k != FrameKind::kTry && k != FrameKind::kCatch) {
        return Error{ErrorKind::kMalformed, "catch without matching try", offset_, {}};
      }
      if (in.op == Op::Catch) WT_TRY(CheckTag(in.a, &ft));
      ControlFrame f = ctrl_.back();
      WT_TRY(PopFrame());
      f.kind = in.op == Op::Catch ? FrameKind::kCatch : FrameKind::kCatchAll;
      f.unreachable = false;
      ctrl_.push_back(f);
      if (ft) PushAll(ft->params);
      return Ok();
    }
    case Op::Delegate: {
      if (ctrl_.back().kind != FrameKind::kTry) {
        return Error{ErrorKind::kMalformed, "delegate without matching try", offset_, {}};
      }
      WT_TRY(PopFrame());
      if (in.a >= ctrl_.size()) return Invalidf("unknown label {}", in.a);
      PushAll(last_popped_.results());
      return Ok();
    }
    case Op::Rethrow: {
      const ControlFrame* target;
      WT_TRY(Label(in.a, &target));
      if (target->kind != FrameKind::kCatch && target->kind != FrameKind::kCatchAll) {
        return Invalid("invalid rethrow label");
      }
      SetUnreachable();
      return Ok();
    }
    default:
      break;
  }
  return Invalidf("unexpected opcode {}", OpText(in.op));
}

}  // namespace wt::wasm
