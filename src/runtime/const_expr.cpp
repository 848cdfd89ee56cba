// Constant expression evaluation (global initializers, segment offsets and items).
//
// [wasmgc] Constant expressions allocate (struct.new, array.new, array.new_fixed and their
// _default forms) in the store's GC heap through GcHeap's host-side allocation, and make i31s
// and conversions (the identity). An allocation may collect: every managed reference on the
// evaluation stack holds a count (a pin, gc_ref.h) until it is consumed, so the operands of an
// allocation survive it. An extern object the host stores into a heap object goes into the
// activations table (the invariant of docs/gc-plan.md: the collector keeps the externs that
// live objects reach through the table's entries).
#include <cstring>

#include "runtime/gc/heap.h"
#include "runtime/instance_data.h"
#include "wasm/code_reader.h"

namespace wt::runtime {
namespace {

// The evaluation stack: values, and whether each holds a count (a managed reference).
class EvalStack {
 public:
  EvalStack() = default;
  EvalStack(const EvalStack&) = delete;
  EvalStack& operator=(const EvalStack&) = delete;
  ~EvalStack() {
    for (size_t i = 0; i < values_.size(); ++i)
      if (counted_[i]) gc::DecRef(values_[i].ref);
  }

  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  void Push(const ValueSlot& v, bool managed = false) {
    if (managed) gc::IncRef(v.ref);
    values_.push_back(v);
    counted_.push_back(managed);
  }
  void PushRef(void* r, bool managed) {
    ValueSlot s{};
    s.ref = r;
    Push(s, managed);
  }
  // The value `depth` below the top (0: the top), still on the stack.
  const ValueSlot& Peek(size_t depth) const { return values_[values_.size() - 1 - depth]; }
  bool PeekManaged(size_t depth) const { return counted_[counted_.size() - 1 - depth]; }
  ValueSlot Pop() {
    ValueSlot v = values_.back();
    if (counted_.back()) gc::DecRef(v.ref);  // a heap object is only unpinned
    values_.pop_back();
    counted_.pop_back();
    return v;
  }
  void Drop(size_t n) {
    for (size_t i = 0; i < n; ++i) Pop();
  }

 private:
  std::vector<ValueSlot> values_;
  std::vector<bool> counted_;
};

// Writes `v` into a field or element of storage type `st` at `p`.
void StoreValue(uint8_t* p, const wasm::StorageType& st, const ValueSlot& v) {
  const uint32_t size = gc::StorageSize(st);
  if (st.type.kind == wasm::ValKind::kV128) {
    std::memcpy(p, v.v128, 16);
  } else if (st.type.is_ref()) {
    std::memcpy(p, &v.ref, sizeof(void*));
  } else if (size == 8) {
    std::memcpy(p, &v.i64, 8);
  } else {
    const uint32_t x = v.i32;  // i32, f32 (bits), i8 / i16 (truncated, little-endian)
    std::memcpy(p, &x, size);
  }
}

Error HeapExhausted() {
  return MakeError(ErrorKind::kUninstantiable, "{}", TrapMessage(TrapCode::kGcHeapExhausted));
}

}  // namespace

Result<Value> EvalConstExpr(const InstanceData& inst, const wasm::ConstExpr& expr,
                            wasm::ValType type) {
  const wasm::Module& m = *inst.module;
  // Each instruction pushes at most one value: the stack is bounded by the expression size.
  EvalStack stack;
  wasm::CodeReader reader(m.Slice(expr.range), expr.range.offset, wasm::Features::Wasm30());
  wasm::Instr in;
  auto push_i32 = [&stack](uint32_t v) {
    ValueSlot s{};
    s.i32 = v;
    stack.Push(s);
  };
  auto push_i64 = [&stack](uint64_t v) {
    ValueSlot s{};
    s.i64 = v;
    stack.Push(s);
  };
  auto pop = [&stack]() { return stack.Pop(); };
  auto type_at = [&m](uint32_t index, wasm::CompositeKind kind) -> const wasm::CompositeType* {
    if (index >= m.types.size()) return nullptr;
    const wasm::CompositeType& c = m.types[index].composite;
    if (c.kind != kind || (kind == wasm::CompositeKind::kArray && c.fields.size() != 1))
      return nullptr;
    return &c;
  };
  auto rtt_of = [&inst](uint32_t index) { return gc::RttOf(inst.loaded->type_ids[index]); };
  // [wasmgc] Host-side stores of extern objects into heap objects: into the activations table.
  // Only for managed storage types: a FuncRef has no GcHeader (its code pointer's upper half
  // would be read as the kind, and the count increment would move its code pointer).
  auto note_stored = [&inst, &m](const wasm::StorageType& st, void* r) {
    if (!gc::IsManagedRef(st.type, m) || !gc::IsCounted(r)) return;
    if (static_cast<gc::GcHeader*>(r)->kind == gc::GcKind::kExtern ||
        static_cast<gc::GcHeader*>(r)->kind == gc::GcKind::kException)
      inst.store->data().Activations().Insert(r);
  };
  // array.new / array.new_fixed / array.new_default: a new array of `n` elements, the top `k`
  // stack values its elements (k == n), or one value repeated (k == 1), or none.
  auto new_array = [&](uint32_t index, uint64_t n, size_t k) -> Status {
    const wasm::CompositeType* c = type_at(index, wasm::CompositeKind::kArray);
    if (c == nullptr) return MakeError(ErrorKind::kInvalid, "unknown array type {}", index);
    if (stack.size() < k) return MakeError(ErrorKind::kInvalid, "type mismatch");
    if (n > UINT32_MAX) return HeapExhausted();
    gc::GcHeader* a = inst.store->data().Heap().AllocArray(rtt_of(index), static_cast<uint32_t>(n));
    if (a == nullptr) return HeapExhausted();
    const wasm::StorageType& st = c->fields[0].storage;
    const uint32_t size = gc::StorageSize(st);
    uint8_t* elems = reinterpret_cast<uint8_t*>(a) + gc::kArrayElems;
    if (k == 1) {
      const ValueSlot v = stack.Peek(0);
      for (uint64_t i = 0; i < n; ++i) StoreValue(elems + i * size, st, v);
      if (n != 0) note_stored(st, v.ref);
    } else {
      for (size_t i = 0; i < k; ++i) {
        const ValueSlot v = stack.Peek(k - 1 - i);
        StoreValue(elems + i * size, st, v);
        note_stored(st, v.ref);
      }
    }
    stack.Drop(k);
    stack.PushRef(a, true);
    return Ok();
  };
  while (!reader.AtEnd()) {
    WT_TRY(reader.Next(&in));
    switch (in.op) {
      case wasm::Op::I32Const:
        push_i32(static_cast<uint32_t>(in.value));
        break;
      case wasm::Op::I64Const:
      case wasm::Op::F64Const:
        push_i64(in.value);
        break;
      case wasm::Op::F32Const:
        push_i32(static_cast<uint32_t>(in.value));
        break;
      case wasm::Op::V128Const: {
        ValueSlot s{};
        std::memcpy(s.v128, in.v128, 16);
        stack.Push(s);
        break;
      }
      case wasm::Op::RefNull:
        stack.PushRef(nullptr, false);
        break;
      case wasm::Op::RefFunc: {
        if (in.a >= inst.funcs.size() || inst.funcs[in.a] == nullptr) {
          return MakeError(ErrorKind::kUninstantiable, "unknown function {}", in.a);
        }
        stack.PushRef(inst.funcs[in.a], false);  // funcrefs are never counted
        break;
      }
      case wasm::Op::GlobalGet: {
        if (in.a >= inst.globals.size() || inst.globals[in.a] == nullptr) {
          return MakeError(ErrorKind::kUninstantiable, "unknown global {}", in.a);
        }
        const bool managed =
            in.a < m.globals.size() && gc::IsManagedRef(m.globals[in.a].type.type, m);
        stack.Push(*inst.globals[in.a], managed);
        break;
      }
      case wasm::Op::I32Add:
      case wasm::Op::I32Sub:
      case wasm::Op::I32Mul: {
        if (stack.size() < 2) return MakeError(ErrorKind::kInvalid, "type mismatch");
        uint32_t b = pop().i32, a = pop().i32;
        push_i32(in.op == wasm::Op::I32Add ? a + b : in.op == wasm::Op::I32Sub ? a - b : a * b);
        break;
      }
      case wasm::Op::I64Add:
      case wasm::Op::I64Sub:
      case wasm::Op::I64Mul: {
        if (stack.size() < 2) return MakeError(ErrorKind::kInvalid, "type mismatch");
        uint64_t b = pop().i64, a = pop().i64;
        push_i64(in.op == wasm::Op::I64Add ? a + b : in.op == wasm::Op::I64Sub ? a - b : a * b);
        break;
      }
      // [wasmgc] Allocations and i31s.
      case wasm::Op::StructNew:
      case wasm::Op::StructNewDefault: {
        const wasm::CompositeType* c = type_at(in.a, wasm::CompositeKind::kStruct);
        if (c == nullptr) return MakeError(ErrorKind::kInvalid, "unknown struct type {}", in.a);
        const size_t k = in.op == wasm::Op::StructNew ? c->fields.size() : 0;
        if (stack.size() < k) return MakeError(ErrorKind::kInvalid, "type mismatch");
        gc::GcHeader* obj = inst.store->data().Heap().AllocStruct(rtt_of(in.a));
        if (obj == nullptr) return HeapExhausted();
        if (k != 0) {
          const gc::StructLayout layout = gc::LayoutStruct(*c);
          for (size_t i = 0; i < k; ++i) {
            const ValueSlot v = stack.Peek(k - 1 - i);
            const wasm::StorageType& st = c->fields[i].storage;
            StoreValue(reinterpret_cast<uint8_t*>(obj) + layout.offsets[i], st, v);
            note_stored(st, v.ref);
          }
        }
        stack.Drop(k);
        stack.PushRef(obj, true);
        break;
      }
      case wasm::Op::ArrayNew:
      case wasm::Op::ArrayNewDefault: {
        if (stack.empty()) return MakeError(ErrorKind::kInvalid, "type mismatch");
        const uint32_t n = pop().i32;
        WT_TRY(new_array(in.a, n, in.op == wasm::Op::ArrayNew ? 1 : 0));
        break;
      }
      case wasm::Op::ArrayNewFixed:
        WT_TRY(new_array(in.a, in.b, in.b));
        break;
      case wasm::Op::RefI31: {
        if (stack.empty()) return MakeError(ErrorKind::kInvalid, "type mismatch");
        const uint32_t v = pop().i32;
        stack.PushRef(reinterpret_cast<void*>(static_cast<uintptr_t>((v << 1) | 1)), false);
        break;
      }
      case wasm::Op::AnyConvertExtern:
      case wasm::Op::ExternConvertAny:
        // The identity (gc/object.h): the value and its count stay as they are.
        if (stack.empty()) return MakeError(ErrorKind::kInvalid, "type mismatch");
        break;
      case wasm::Op::End:
        if (stack.size() != 1) return MakeError(ErrorKind::kInvalid, "type mismatch");
        {
          // The caller takes its own count (a global, a table, a segment) before anything
          // can collect; this stack's pin goes with it.
          Value v;
          v.type = type;
          v.bits = stack.Peek(0);
          return v;
        }
      default:
        return MakeError(ErrorKind::kUnsupported,
                         "unsupported instruction in a constant expression: {}",
                         wasm::OpText(in.op));
    }
  }
  return MakeError(ErrorKind::kMalformed, "unexpected end of constant expression");
}

}  // namespace wt::runtime
