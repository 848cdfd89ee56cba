// Module-level validation: types, imports, functions, tables, memories, globals, tags,
// exports, start, element and data segments, constant expressions; then every body.
#include <string_view>
#include <unordered_set>

#include "wasm/code_reader.h"
#include "wasm/func_validator.h"
#include "wasm/validate_body.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

Error Invalid(std::string message) {
  return Error{ErrorKind::kInvalid, std::move(message), SIZE_MAX, {}};
}

class DeclValidator {
 public:
  DeclValidator(const Module& m, const Features& f, const TypeContext& types)
      : m_(m), f_(f), types_(types), fv_(types, f) {}

  Status Run();

 private:
  Status CheckValType(ValType t) {
    if (!types_.IsValid(t)) return Invalid(fmt::format("unknown type {}", t.heap.index));
    return Ok();
  }
  Status CheckConst(const ConstExpr& e, ValType expected, uint32_t num_globals);
  Status CheckTableType(const TableType& t);
  Status CheckMemoryType(const MemoryType& t);
  Status CheckTagType(const TagType& t);
  Status CheckExports();
  Status CheckElems();
  Status CheckDatas();

  // Globals a constant expression outside the global section may read.
  uint32_t ConstGlobals() const {
    return f_.has(Feature::kGc) ? static_cast<uint32_t>(m_.globals.size())
                                : m_.num_imported_globals;
  }

  const Module& m_;
  Features f_;
  const TypeContext& types_;
  FuncValidator fv_;
};

Status DeclValidator::CheckConst(const ConstExpr& e, ValType expected, uint32_t num_globals) {
  if (e.range.end() > m_.bytes.size() || e.range.end() < e.range.offset) {
    return Error{ErrorKind::kMalformed, "constant expression out of bounds", e.range.offset, {}};
  }
  WT_TRY(fv_.BeginConst(expected, num_globals));
  CodeReader r(m_.Slice(e.range), e.range.offset, f_);
  Instr in;
  while (!r.AtEnd()) {
    WT_TRY(r.Next(&in));
    WT_TRY(fv_.Step(in));
  }
  return fv_.Finish();
}

Status DeclValidator::CheckTableType(const TableType& t) {
  WT_TRY(CheckValType(t.elem));
  if (!t.elem.is_ref()) return Invalid("type mismatch: table element type must be a reference");
  const Limits& l = t.limits;
  if (t.addr == AddrType::kI32 && (l.min > UINT32_MAX || (l.max && *l.max > UINT32_MAX))) {
    return Invalid("table size must be at most 2^32-1");
  }
  if (l.max && l.min > *l.max) return Invalid("size minimum must not be greater than maximum");
  return Ok();
}

Status DeclValidator::CheckMemoryType(const MemoryType& t) {
  const Limits& l = t.limits;
  if (t.page_size_log2 != 0 && t.page_size_log2 != 16) return Invalid("invalid custom page size");
  // In pages: 2^16 (i32) or 2^48 (i64) of 64 KiB; with 1-byte pages, as many as the address
  // type can count (2^32-1 or 2^64-1, custom-page-sizes' memory_max.wast).
  uint64_t limit;
  if (t.addr == AddrType::kI32) {
    limit = t.page_size_log2 == 0 ? UINT32_MAX : uint64_t{1} << (32 - t.page_size_log2);
  } else {
    limit = t.page_size_log2 == 0 ? UINT64_MAX : uint64_t{1} << (64 - t.page_size_log2);
  }
  if (l.min > limit || (l.max && *l.max > limit)) {
    if (t.addr == AddrType::kI32 && t.page_size_log2 == 16) {
      return Invalid("memory size must be at most 65536 pages (4GiB)");
    }
    return Invalid(fmt::format("memory size must be at most {} pages", limit));
  }
  if (l.max && l.min > *l.max) return Invalid("size minimum must not be greater than maximum");
  if (t.shared && !l.max) return Invalid("shared memory must have maximum");
  return Ok();
}

Status DeclValidator::CheckTagType(const TagType& t) {
  const FuncType* ft = types_.FuncAt(t.type_index);
  if (!ft) return Invalid(fmt::format("unknown type {}", t.type_index));
  if (!ft->results.empty()) return Invalid("non-empty tag result type");
  return Ok();
}

Status DeclValidator::Run() {
  if (!f_.has(Feature::kMultiValue)) {
    for (const SubType& st : m_.types) {
      if (st.composite.kind == CompositeKind::kFunc && st.composite.func.results.size() > 1) {
        return Invalid("invalid result arity");
      }
    }
  }
  // Functions (imported and defined).
  for (const Func& fn : m_.funcs) {
    if (!types_.FuncAt(fn.type_index)) {
      return Invalid(fmt::format("unknown type {}", fn.type_index));
    }
  }
  if (m_.codes.size() != m_.funcs.size() - m_.num_imported_funcs) {
    return Error{
        ErrorKind::kMalformed, "function and code section have inconsistent lengths", SIZE_MAX, {}};
  }

  // Tables.
  if (m_.tables.size() > 1 && !f_.has(Feature::kRefTypes)) return Invalid("multiple tables");
  for (const Table& t : m_.tables) {
    WT_TRY(CheckTableType(t.type));
    if (t.init) {
      WT_TRY(CheckConst(*t.init, t.type.elem, m_.num_imported_globals));
    } else if (!t.type.elem.is_defaultable()) {
      return Invalid("type mismatch: a table of a non-nullable type needs an initializer");
    }
  }

  // Memories.
  if (m_.memories.size() > 1 && !f_.has(Feature::kMultiMemory)) {
    return Invalid("multiple memories");
  }
  for (const Memory& mem : m_.memories) WT_TRY(CheckMemoryType(mem.type));

  // Globals: a defined global's initializer may read imported globals (2.0) or any earlier
  // global (3.0).
  for (size_t i = 0; i < m_.globals.size(); ++i) {
    const Global& g = m_.globals[i];
    WT_TRY(CheckValType(g.type.type));
    if (g.imported) continue;
    uint32_t visible = f_.has(Feature::kGc) ? static_cast<uint32_t>(i) : m_.num_imported_globals;
    WT_TRY(CheckConst(g.init, g.type.type, visible));
  }

  // Tags.
  for (const Tag& t : m_.tags) WT_TRY(CheckTagType(t.type));

  WT_TRY(CheckElems());
  WT_TRY(CheckDatas());

  // Start.
  if (m_.start) {
    if (*m_.start >= m_.funcs.size()) {
      return Invalid(fmt::format("unknown function {}", *m_.start));
    }
    const FuncType* ft = types_.FuncAt(m_.funcs[*m_.start].type_index);
    if (!ft->params.empty() || !ft->results.empty()) {
      return Invalid("start function must have type [] -> []");
    }
  }

  return CheckExports();
}

Status DeclValidator::CheckElems() {
  for (const ElemSegment& e : m_.elems) {
    WT_TRY(CheckValType(e.elem_type));
    if (!e.elem_type.is_ref()) return Invalid("type mismatch: element type must be a reference");
    if (!e.uses_exprs) {
      for (uint32_t fi : e.func_indices) {
        if (fi >= m_.funcs.size()) return Invalid(fmt::format("unknown function {}", fi));
        ValType ft = ValType::Ref(HeapType::Index(m_.funcs[fi].type_index), false);
        if (!types_.IsSubtype(ft, e.elem_type)) {
          return Invalid(fmt::format("type mismatch: function {} in a segment of {}", fi,
                                     ValTypeName(e.elem_type)));
        }
      }
    } else {
      for (const ConstExpr& x : e.exprs) WT_TRY(CheckConst(x, e.elem_type, ConstGlobals()));
    }
    if (e.mode == SegmentMode::kActive) {
      if (e.table_index >= m_.tables.size()) {
        return Invalid(fmt::format("unknown table {}", e.table_index));
      }
      const TableType& tt = m_.tables[e.table_index].type;
      if (!types_.IsSubtype(e.elem_type, tt.elem)) {
        return Invalid(fmt::format("type mismatch: segment of {} for a table of {}",
                                   ValTypeName(e.elem_type), ValTypeName(tt.elem)));
      }
      ValType at = tt.addr == AddrType::kI64 ? ValType::I64() : ValType::I32();
      WT_TRY(CheckConst(e.offset, at, ConstGlobals()));
    }
  }
  return Ok();
}

Status DeclValidator::CheckDatas() {
  for (const DataSegment& d : m_.datas) {
    if (d.mode != SegmentMode::kActive) continue;
    if (d.memory_index >= m_.memories.size()) {
      return Invalid(fmt::format("unknown memory {}", d.memory_index));
    }
    ValType at =
        m_.memories[d.memory_index].type.addr == AddrType::kI64 ? ValType::I64() : ValType::I32();
    WT_TRY(CheckConst(d.offset, at, ConstGlobals()));
  }
  return Ok();
}

Status DeclValidator::CheckExports() {
  std::unordered_set<std::string_view> names;
  names.reserve(m_.exports.size());
  for (const Export& e : m_.exports) {
    if (!names.insert(e.name).second) return Invalid("duplicate export name");
    size_t n = 0;
    const char* what = "";
    switch (e.kind) {
      case ExternKind::kFunc:
        n = m_.funcs.size(), what = "function";
        break;
      case ExternKind::kTable:
        n = m_.tables.size(), what = "table";
        break;
      case ExternKind::kMemory:
        n = m_.memories.size(), what = "memory";
        break;
      case ExternKind::kGlobal:
        n = m_.globals.size(), what = "global";
        break;
      case ExternKind::kTag:
        n = m_.tags.size(), what = "tag";
        break;
    }
    if (e.index >= n) return Invalid(fmt::format("unknown {} {}", what, e.index));
  }
  return Ok();
}

}  // namespace

Status ValidateModuleDecls(const Module& module, const ValidateOptions& options,
                           TypeContext* types) {
  WT_TRY(types->Init(module, options.features));
  DeclValidator v(module, options.features, *types);
  return v.Run();
}

namespace internal {

Status ValidateBodyWith(FuncValidator& v, CodeReader& r, uint32_t code_index) {
  const Module& m = v.module();
  if (code_index >= m.codes.size()) {
    return Invalid(fmt::format("unknown function {}", code_index + m.num_imported_funcs));
  }
  const Code& code = m.codes[code_index];
  if (code.body.end() > m.bytes.size() || code.body.end() < code.body.offset) {
    return Error{ErrorKind::kMalformed, "function body out of bounds", code.body.offset, {}};
  }
  WT_TRY(v.Begin(m.num_imported_funcs + code_index, code));
  r.Reset(m.Slice(code.body), code.body.offset);
  return v.Run(r);
}

}  // namespace internal

Status ValidateFunctionBody(FuncValidator& v, uint32_t code_index) {
  CodeReader r(std::span<const uint8_t>(), 0, v.features());
  return internal::ValidateBodyWith(v, r, code_index);
}

Status ValidateModule(const Module& module, const ValidateOptions& options) {
  TypeContext types;
  WT_TRY(ValidateModuleDecls(module, options, &types));
  return ValidateBodies(module, types, options.features, /*jobs=*/1);
}

}  // namespace wt::wasm
