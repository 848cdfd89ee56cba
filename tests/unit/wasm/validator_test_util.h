// Test helpers for the validator: build a Module by hand (bodies and constant expressions as
// raw instruction bytes), then validate it; or build a binary module and read + validate it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "wasm/module.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm::testing {

inline ValType Ref(uint32_t type_index, bool nullable = false) {
  return ValType::Ref(HeapType::Index(type_index), nullable);
}
inline ValType AbsRef(HeapKind k, bool nullable = true) {
  return ValType::Ref(HeapType::Abstract(k), nullable);
}

// Appends an unsigned / signed LEB128.
inline void Uleb(std::vector<uint8_t>* out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out->push_back(b);
  } while (v);
}

// Appends a section: its id, its size (LEB128) and `contents`.
inline void Section(std::vector<uint8_t>* out, uint8_t id, const std::vector<uint8_t>& contents) {
  out->push_back(id);
  Uleb(out, contents.size());
  out->insert(out->end(), contents.begin(), contents.end());
}

// Appends a code section of one function body: no locals, `code`, then the final end.
inline void OneBodyCodeSection(std::vector<uint8_t>* out, const std::vector<uint8_t>& code) {
  std::vector<uint8_t> body = {0x00};
  body.insert(body.end(), code.begin(), code.end());
  body.push_back(0x0B);
  std::vector<uint8_t> sec = {0x01};
  Uleb(&sec, body.size());
  sec.insert(sec.end(), body.begin(), body.end());
  Section(out, 10, sec);
}

// Reads and validates a binary module with the features `f`: "ok", "malformed: MESSAGE" or
// "invalid: MESSAGE".
inline std::string Check(const std::vector<uint8_t>& bytes, Features f = Features::Wasm30()) {
  ReadOptions ro;
  ro.features = f;
  auto m = ReadModule(bytes, ro);
  if (!m.ok()) return "malformed: " + m.error().message;
  ValidateOptions vo;
  vo.features = f;
  Status s = ValidateModule(*m, vo);
  if (s.ok()) return "ok";
  return (s.error().kind == ErrorKind::kMalformed ? "malformed: " : "invalid: ") +
         s.error().message;
}

class TestModule {
 public:
  // Adds a function type (its own rec group) and returns its index.
  uint32_t Type(std::vector<ValType> params, std::vector<ValType> results) {
    SubType st;
    st.composite.kind = CompositeKind::kFunc;
    st.composite.func.params = std::move(params);
    st.composite.func.results = std::move(results);
    return AddSub(std::move(st));
  }
  uint32_t Struct(std::vector<FieldType> fields, bool final = true,
                  std::vector<uint32_t> supers = {}) {
    SubType st;
    st.final = final;
    st.supers = std::move(supers);
    st.composite.kind = CompositeKind::kStruct;
    st.composite.fields = std::move(fields);
    return AddSub(std::move(st));
  }
  uint32_t Array(FieldType field, bool final = true, std::vector<uint32_t> supers = {}) {
    SubType st;
    st.final = final;
    st.supers = std::move(supers);
    st.composite.kind = CompositeKind::kArray;
    st.composite.fields = {field};
    return AddSub(std::move(st));
  }
  uint32_t AddSub(SubType st, bool new_group = true) {
    auto index = static_cast<uint32_t>(m.types.size());
    if (new_group || m.rec_groups.empty()) {
      st.rec_group = static_cast<uint32_t>(m.rec_groups.size());
      m.rec_groups.push_back(RecGroup{index, 1});
    } else {
      st.rec_group = static_cast<uint32_t>(m.rec_groups.size() - 1);
      m.rec_groups.back().count++;
    }
    m.types.push_back(std::move(st));
    return index;
  }

  // Records a range of bytes in the module (instruction bytes for a body or expression).
  ByteRange Bytes(const std::vector<uint8_t>& code) {
    ByteRange r{static_cast<uint32_t>(m.bytes.size()), static_cast<uint32_t>(code.size())};
    m.bytes.vec().insert(m.bytes.vec().end(), code.begin(), code.end());
    return r;
  }
  ConstExpr Expr(const std::vector<uint8_t>& code) { return ConstExpr{Bytes(code)}; }

  uint32_t ImportFunc(uint32_t type) {
    m.funcs.push_back(Func{type, true});
    m.num_imported_funcs++;
    return static_cast<uint32_t>(m.funcs.size() - 1);
  }
  // A defined function; `body` ends with 0x0B.
  uint32_t AddFunc(uint32_t type, const std::vector<uint8_t>& body,
                   std::vector<LocalDecl> locals = {}) {
    m.funcs.push_back(wasm::Func{type, false});
    m.codes.emplace_back();
    SetLocals(static_cast<uint32_t>(m.codes.size() - 1), locals);
    m.codes.back().body = Bytes(body);
    m.codes.back().whole.size += m.codes.back().body.size;
    return static_cast<uint32_t>(m.funcs.size() - 1);
  }
  // Replaces a body's local declarations: encodes them into the bytes (Code::whole starts
  // there; the body range is left as it is).
  void SetLocals(uint32_t code_index, const std::vector<LocalDecl>& locals) {
    std::vector<uint8_t> enc;
    Uleb(&enc, locals.size());
    Code& c = m.codes[code_index];
    c.num_locals = 0;
    for (const LocalDecl& d : locals) {
      Uleb(&enc, d.count);
      EncodeValType(&enc, d.type);
      c.num_locals += d.count;
    }
    c.num_local_decls = static_cast<uint32_t>(locals.size());
    c.whole = Bytes(enc);
  }
  static void EncodeValType(std::vector<uint8_t>* out, ValType t) {
    switch (t.kind) {
      case ValKind::kI32:
        out->push_back(0x7F);
        return;
      case ValKind::kI64:
        out->push_back(0x7E);
        return;
      case ValKind::kF32:
        out->push_back(0x7D);
        return;
      case ValKind::kF64:
        out->push_back(0x7C);
        return;
      case ValKind::kV128:
        out->push_back(0x7B);
        return;
      default:
        break;
    }
    out->push_back(t.nullable ? 0x63 : 0x64);
    static constexpr uint8_t kAbstract[] = {0x70, 0x6F, 0x6E, 0x6D, 0x6C, 0x6B,
                                            0x6A, 0x69, 0x73, 0x72, 0x71, 0x74};
    if (t.heap.kind == HeapKind::kIndex) {
      // Signed LEB128 (s33) of a non-negative index.
      uint64_t v = t.heap.index;
      for (;;) {
        uint8_t b = v & 0x7F;
        v >>= 7;
        if (v == 0 && (b & 0x40) == 0) {
          out->push_back(b);
          return;
        }
        out->push_back(b | 0x80);
      }
    }
    out->push_back(kAbstract[static_cast<int>(t.heap.kind)]);
  }
  void AddMemory(uint64_t min, std::optional<uint64_t> max = std::nullopt,
                 AddrType addr = AddrType::kI32) {
    wasm::Memory mem;
    mem.type.limits = Limits{min, max};
    mem.type.addr = addr;
    m.memories.push_back(mem);
  }
  void AddTable(ValType elem, uint64_t min, std::optional<uint64_t> max = std::nullopt) {
    wasm::Table t;
    t.type.elem = elem;
    t.type.limits = Limits{min, max};
    m.tables.push_back(t);
  }
  uint32_t ImportGlobal(ValType t, bool mut) {
    wasm::Global g;
    g.type = GlobalType{t, mut};
    g.imported = true;
    m.globals.push_back(g);
    m.num_imported_globals++;
    return static_cast<uint32_t>(m.globals.size() - 1);
  }
  uint32_t AddGlobal(ValType t, bool mut, const std::vector<uint8_t>& init) {
    wasm::Global g;
    g.type = GlobalType{t, mut};
    g.init = Expr(init);
    m.globals.push_back(g);
    return static_cast<uint32_t>(m.globals.size() - 1);
  }
  void AddExport(std::string name, ExternKind kind, uint32_t index) {
    m.exports.push_back(wasm::Export{std::move(name), kind, index});
  }
  void DeclareRef(uint32_t func) { m.declared_func_refs.push_back(func); }

  Status Validate(Features f = Features::Wasm20()) const {
    ValidateOptions o;
    o.features = f;
    return ValidateModule(m, o);
  }

  Module m;
};

// The message of a failed validation, or "ok".
inline std::string Outcome(const Status& s) {
  if (s.ok()) return "ok";
  return std::string(s.error().kind == ErrorKind::kInvalid ? "" : "[not invalid] ") +
         s.error().message;
}

}  // namespace wt::wasm::testing
