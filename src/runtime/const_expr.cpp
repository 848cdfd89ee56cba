// Constant expression evaluation (global initializers, segment offsets and items).
#include <cstring>

#include "runtime/instance_data.h"
#include "wasm/code_reader.h"

namespace wt::runtime {

Result<Value> EvalConstExpr(const InstanceData& inst, const wasm::ConstExpr& expr,
                            wasm::ValType type) {
  const wasm::Module& m = *inst.module;
  // Each instruction pushes at most one value: the stack is bounded by the expression size.
  std::vector<ValueSlot> stack;
  wasm::CodeReader reader(m.Slice(expr.range), expr.range.offset, wasm::Features::Wasm30());
  wasm::Instr in;
  auto pop = [&stack]() {
    ValueSlot v = stack.back();
    stack.pop_back();
    return v;
  };
  auto push_i32 = [&stack](uint32_t v) {
    ValueSlot s{};
    s.i32 = v;
    stack.push_back(s);
  };
  auto push_i64 = [&stack](uint64_t v) {
    ValueSlot s{};
    s.i64 = v;
    stack.push_back(s);
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
        stack.push_back(s);
        break;
      }
      case wasm::Op::RefNull: {
        ValueSlot s{};
        stack.push_back(s);
        break;
      }
      case wasm::Op::RefFunc: {
        if (in.a >= inst.funcs.size() || inst.funcs[in.a] == nullptr) {
          return MakeError(ErrorKind::kUninstantiable, "unknown function {}", in.a);
        }
        ValueSlot s{};
        s.ref = inst.funcs[in.a];
        stack.push_back(s);
        break;
      }
      case wasm::Op::GlobalGet: {
        if (in.a >= inst.globals.size() || inst.globals[in.a] == nullptr) {
          return MakeError(ErrorKind::kUninstantiable, "unknown global {}", in.a);
        }
        stack.push_back(*inst.globals[in.a]);
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
      case wasm::Op::End:
        if (stack.size() != 1) return MakeError(ErrorKind::kInvalid, "type mismatch");
        {
          Value v;
          v.type = type;
          v.bits = stack.back();
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
