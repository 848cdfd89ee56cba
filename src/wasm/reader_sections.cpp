// The section readers of ModuleReader (see reader_impl.h).
#include <algorithm>

#include "wasm/reader_impl.h"

namespace wt::wasm::internal {

// ---- types ------------------------------------------------------------------------------

Result<bool> ModuleReader::ReadMutability() {
  const size_t at = r_.offset();
  WT_TRY_ASSIGN(uint8_t b, r_.U8());
  if (b > 1) return MalformedAt(at, "malformed mutability");
  return b == 1;
}

Status ModuleReader::ReadValTypes(std::vector<ValType>* out) {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  out->reserve(r_.ReserveHint(n));
  for (uint32_t i = 0; i < n; ++i) {
    WT_TRY_ASSIGN(ValType t, ReadValType(r_, f_));
    out->push_back(t);
  }
  return Ok();
}

Status ModuleReader::ReadFieldType(FieldType* out) {
  int b = r_.Peek();
  if (b == static_cast<int>(TypeCode::kI8) || b == static_cast<int>(TypeCode::kI16)) {
    r_.set_pos(r_.pos() + 1);
    out->storage.type = ValType::I32();
    out->storage.packed = b == static_cast<int>(TypeCode::kI8) ? Packed::kI8 : Packed::kI16;
  } else {
    WT_TRY_ASSIGN(out->storage.type, ReadValType(r_, f_));
    out->storage.packed = Packed::kNone;
  }
  WT_TRY_ASSIGN(out->mutable_, ReadMutability());
  return Ok();
}

Status ModuleReader::ReadSubType(uint32_t rec_group) {
  SubType st;
  st.rec_group = rec_group;
  const bool gc = f_.has(Feature::kGc);
  int b = r_.Peek();
  if (gc && (b == static_cast<int>(TypeCode::kSub) || b == static_cast<int>(TypeCode::kSubFinal))) {
    r_.set_pos(r_.pos() + 1);
    st.final = b == static_cast<int>(TypeCode::kSubFinal);
    WT_TRY_ASSIGN(uint32_t n, r_.U32());
    st.supers.reserve(r_.ReserveHint(n));
    for (uint32_t i = 0; i < n; ++i) {
      WT_TRY_ASSIGN(uint32_t super, r_.U32());
      st.supers.push_back(super);
    }
  }
  const size_t at = r_.offset();
  WT_TRY_ASSIGN(uint8_t code, r_.U8());
  // The form is a one-byte signed LEB128 (s7): a continuation bit makes it too long.
  if (code & 0x80) return MalformedAt(at + 1, "integer representation too long");
  CompositeType& ct = st.composite;
  if (code == static_cast<uint8_t>(TypeCode::kFuncType)) {
    ct.kind = CompositeKind::kFunc;
    WT_TRY(ReadValTypes(&ct.func.params));
    WT_TRY(ReadValTypes(&ct.func.results));
  } else if (gc && code == static_cast<uint8_t>(TypeCode::kStructType)) {
    ct.kind = CompositeKind::kStruct;
    WT_TRY_ASSIGN(uint32_t n, r_.U32());
    ct.fields.reserve(r_.ReserveHint(n, 2));
    for (uint32_t i = 0; i < n; ++i) {
      WT_TRY(ReadFieldType(&ct.fields.emplace_back()));
    }
  } else if (gc && code == static_cast<uint8_t>(TypeCode::kArrayType)) {
    ct.kind = CompositeKind::kArray;
    ct.fields.resize(1);
    WT_TRY(ReadFieldType(&ct.fields[0]));
  } else {
    return MalformedAt(at, gc ? "malformed composite type" : "malformed function type");
  }
  m_.types.push_back(std::move(st));
  return Ok();
}

Status ModuleReader::ReadTypeSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.types.reserve(r_.ReserveHint(n));
  m_.rec_groups.reserve(r_.ReserveHint(n));
  for (uint32_t i = 0; i < n; ++i) {
    RecGroup group;
    group.first = static_cast<uint32_t>(m_.types.size());
    const auto group_index = static_cast<uint32_t>(m_.rec_groups.size());
    if (f_.has(Feature::kGc) && r_.Peek() == static_cast<int>(TypeCode::kRec)) {
      r_.set_pos(r_.pos() + 1);
      WT_TRY_ASSIGN(uint32_t k, r_.U32());
      m_.types.reserve(m_.types.size() + r_.ReserveHint(k));
      for (uint32_t j = 0; j < k; ++j) WT_TRY(ReadSubType(group_index));
      group.count = k;
    } else {
      WT_TRY(ReadSubType(group_index));
      group.count = 1;
    }
    m_.rec_groups.push_back(group);
  }
  return Ok();
}

// ---- limits and extern types ------------------------------------------------------------

Status ModuleReader::ReadLimits(bool is_memory, Limits* limits, AddrType* addr, bool* shared,
                                uint8_t* page_size_log2) {
  const bool mem64 = f_.has(Feature::kMemory64);
  const bool threads = f_.has(Feature::kThreads);
  const bool page_sizes = f_.has(Feature::kCustomPageSizes);
  uint8_t flags = 0;
  const size_t at = r_.offset();
  if (mem64 || threads || page_sizes) {
    // Wasm 3.0: a flags byte (bit 0: max present, bit 1: shared, bit 2: 64-bit addresses,
    // bit 3: a custom page size follows the limits).
    WT_TRY_ASSIGN(flags, r_.U8());
    uint8_t allowed = 0x01;
    if (mem64) allowed |= 0x04;
    if (is_memory && threads) allowed |= 0x02;
    if (is_memory && page_sizes) allowed |= 0x08;
    if (flags & ~allowed) return MalformedAt(at, "malformed limits flags");
  } else {
    // Wasm 2.0: the flag is a 1-bit unsigned LEB128.
    WT_TRY_ASSIGN(uint8_t b, r_.U8());
    if ((b & 0x7F) >= 2) return MalformedAt(at, "integer too large");
    if (b & 0x80) return MalformedAt(at + 1, "integer representation too long");
    flags = b;
  }
  *addr = (flags & 0x04) ? AddrType::kI64 : AddrType::kI32;
  if (shared) *shared = (flags & 0x02) != 0;
  if (mem64) {
    WT_TRY_ASSIGN(limits->min, r_.U64());
    if (flags & 0x01) {
      WT_TRY_ASSIGN(uint64_t max, r_.U64());
      limits->max = max;
    }
  } else {
    WT_TRY_ASSIGN(limits->min, r_.U32());
    if (flags & 0x01) {
      WT_TRY_ASSIGN(uint32_t max, r_.U32());
      limits->max = max;
    }
  }
  if (flags & 0x08) {
    // The page size is 2^exponent bytes. An exponent whose page size does not fit in 64 bits
    // is malformed; the validator allows only 0 (1 byte) and 16 (64 KiB).
    const size_t exp_at = r_.offset();
    WT_TRY_ASSIGN(uint32_t exponent, r_.U32());
    if (exponent >= 64) return MalformedAt(exp_at, "invalid custom page size");
    if (page_size_log2) *page_size_log2 = static_cast<uint8_t>(exponent);
  }
  return Ok();
}

Status ModuleReader::ReadTableType(TableType* out) {
  WT_TRY_ASSIGN(out->elem, ReadRefType(r_, f_));
  return ReadLimits(/*is_memory=*/false, &out->limits, &out->addr, nullptr, nullptr);
}

Status ModuleReader::ReadMemoryType(MemoryType* out) {
  return ReadLimits(/*is_memory=*/true, &out->limits, &out->addr, &out->shared,
                    &out->page_size_log2);
}

Status ModuleReader::ReadGlobalType(GlobalType* out) {
  WT_TRY_ASSIGN(out->type, ReadValType(r_, f_));
  WT_TRY_ASSIGN(out->mutable_, ReadMutability());
  return Ok();
}

Status ModuleReader::ReadTagType(TagType* out) {
  const size_t at = r_.offset();
  WT_TRY_ASSIGN(uint8_t attr, r_.U8());
  if (attr != 0) return MalformedAt(at, "malformed tag attribute");
  WT_TRY_ASSIGN(out->type_index, r_.U32());
  return Ok();
}

// ---- imports, functions, tables, memories, globals, tags ---------------------------------

Status ModuleReader::ReadImportSection() {
  // Each import takes at least 4 bytes: two name lengths, the kind, a descriptor byte.
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.imports.reserve(r_.ReserveHint(n, 4));
  for (uint32_t i = 0; i < n; ++i) {
    Import im;
    WT_TRY_ASSIGN(std::string_view module, r_.Name());
    WT_TRY_ASSIGN(std::string_view name, r_.Name());
    im.module = std::string(module);
    im.name = std::string(name);
    const size_t at = r_.offset();
    WT_TRY_ASSIGN(uint8_t kind, r_.U8());
    switch (kind) {
      case 0: {
        Func fn;
        fn.imported = true;
        WT_TRY_ASSIGN(fn.type_index, r_.U32());
        im.index = static_cast<uint32_t>(m_.funcs.size());
        m_.funcs.push_back(fn);
        ++m_.num_imported_funcs;
        break;
      }
      case 1: {
        Table t;
        t.imported = true;
        WT_TRY(ReadTableType(&t.type));
        im.index = static_cast<uint32_t>(m_.tables.size());
        m_.tables.push_back(std::move(t));
        ++m_.num_imported_tables;
        break;
      }
      case 2: {
        Memory mem;
        mem.imported = true;
        WT_TRY(ReadMemoryType(&mem.type));
        im.index = static_cast<uint32_t>(m_.memories.size());
        m_.memories.push_back(mem);
        ++m_.num_imported_memories;
        break;
      }
      case 3: {
        Global g;
        g.imported = true;
        WT_TRY(ReadGlobalType(&g.type));
        im.index = static_cast<uint32_t>(m_.globals.size());
        m_.globals.push_back(g);
        ++m_.num_imported_globals;
        break;
      }
      case 4:
        if (f_.has(Feature::kExceptions)) {
          Tag tag;
          tag.imported = true;
          WT_TRY(ReadTagType(&tag.type));
          im.index = static_cast<uint32_t>(m_.tags.size());
          m_.tags.push_back(tag);
          ++m_.num_imported_tags;
          break;
        }
        [[fallthrough]];
      default:
        return MalformedAt(at, "malformed import kind");
    }
    im.kind = static_cast<ExternKind>(kind);
    m_.imports.push_back(std::move(im));
  }
  return Ok();
}

Status ModuleReader::ReadFunctionSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.funcs.reserve(m_.funcs.size() + r_.ReserveHint(n));
  for (uint32_t i = 0; i < n; ++i) {
    Func fn;
    WT_TRY_ASSIGN(fn.type_index, r_.U32());
    m_.funcs.push_back(fn);
  }
  num_defined_funcs_ = n;
  has_function_section_ = true;
  return Ok();
}

Status ModuleReader::ReadTableSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.tables.reserve(m_.tables.size() + r_.ReserveHint(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    Table t;
    if (f_.has(Feature::kFuncRefs) && r_.Peek() == 0x40) {
      // Wasm 3.0: 0x40 0x00 tabletype expr.
      r_.set_pos(r_.pos() + 1);
      const size_t at = r_.offset();
      WT_TRY_ASSIGN(uint8_t reserved, r_.U8());
      if (reserved != 0) return MalformedAt(at, "malformed table");
      WT_TRY(ReadTableType(&t.type));
      ConstExpr init;
      WT_TRY(ReadConstExpr(&init));
      t.init = init;
    } else {
      WT_TRY(ReadTableType(&t.type));
    }
    m_.tables.push_back(std::move(t));
  }
  return Ok();
}

Status ModuleReader::ReadMemorySection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.memories.reserve(m_.memories.size() + r_.ReserveHint(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    Memory mem;
    WT_TRY(ReadMemoryType(&mem.type));
    m_.memories.push_back(mem);
  }
  return Ok();
}

Status ModuleReader::ReadGlobalSection() {
  // valtype, mutability, and at least `end`.
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.globals.reserve(m_.globals.size() + r_.ReserveHint(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    WT_TRY(ReadGlobalType(&g.type));
    WT_TRY(ReadConstExpr(&g.init));
    m_.globals.push_back(g);
  }
  return Ok();
}

Status ModuleReader::ReadTagSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.tags.reserve(m_.tags.size() + r_.ReserveHint(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    Tag tag;
    WT_TRY(ReadTagType(&tag.type));
    m_.tags.push_back(tag);
  }
  return Ok();
}

// ---- exports, start ---------------------------------------------------------------------

Status ModuleReader::ReadExportSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.exports.reserve(r_.ReserveHint(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    Export ex;
    WT_TRY_ASSIGN(std::string_view name, r_.Name());
    ex.name = std::string(name);
    const size_t at = r_.offset();
    WT_TRY_ASSIGN(uint8_t kind, r_.U8());
    if (kind > 4 || (kind == 4 && !f_.has(Feature::kExceptions))) {
      return MalformedAt(at, "malformed export kind");
    }
    ex.kind = static_cast<ExternKind>(kind);
    WT_TRY_ASSIGN(ex.index, r_.U32());
    if (ex.kind == ExternKind::kFunc) refs_.push_back(ex.index);
    m_.exports.push_back(std::move(ex));
  }
  return Ok();
}

Status ModuleReader::ReadStartSection() {
  WT_TRY_ASSIGN(uint32_t f, r_.U32());
  m_.start = f;
  return Ok();
}

// ---- element and data segments ----------------------------------------------------------

Status ModuleReader::ReadElementSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.elems.reserve(r_.ReserveHint(n, 2));
  const bool typed_refs = f_.has(Feature::kFuncRefs);
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment seg;
    const size_t at = r_.offset();
    WT_TRY_ASSIGN(uint32_t flags, r_.U32());
    if (flags > 7) return MalformedAt(at, "malformed elements segment kind");
    if ((flags & 1) == 0) {
      seg.mode = SegmentMode::kActive;
      if (flags & 2) {
        WT_TRY_ASSIGN(seg.table_index, r_.U32());
      }
      WT_TRY(ReadConstExpr(&seg.offset));
    } else {
      seg.mode = (flags & 2) ? SegmentMode::kDeclarative : SegmentMode::kPassive;
    }
    const bool has_type = (flags & 3) != 0;  // kinds 0 and 4 have none
    if (flags & 4) {
      seg.uses_exprs = true;
      if (has_type) {
        WT_TRY_ASSIGN(seg.elem_type, ReadRefType(r_, f_));
      } else {
        seg.elem_type = ValType::FuncRef();
      }
      WT_TRY_ASSIGN(uint32_t count, r_.U32());
      seg.exprs.reserve(r_.ReserveHint(count));
      for (uint32_t j = 0; j < count; ++j) WT_TRY(ReadConstExpr(&seg.exprs.emplace_back()));
    } else {
      if (has_type) {
        const size_t kat = r_.offset();
        WT_TRY_ASSIGN(uint8_t kind, r_.U8());
        if (kind != 0) return MalformedAt(kat, "malformed element kind");
      }
      // Wasm 3.0 types these segments (ref func); Wasm 2.0 funcref.
      seg.elem_type = ValType::Ref(HeapType::Abstract(HeapKind::kFunc), !typed_refs);
      WT_TRY_ASSIGN(uint32_t count, r_.U32());
      seg.func_indices.reserve(r_.ReserveHint(count));
      for (uint32_t j = 0; j < count; ++j) {
        WT_TRY_ASSIGN(uint32_t func, r_.U32());
        seg.func_indices.push_back(func);
      }
      refs_.insert(refs_.end(), seg.func_indices.begin(), seg.func_indices.end());
    }
    m_.elems.push_back(std::move(seg));
  }
  return Ok();
}

Status ModuleReader::ReadDataCountSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.data_count = n;
  return Ok();
}

Status ModuleReader::ReadDataSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  m_.datas.reserve(r_.ReserveHint(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment seg;
    const size_t at = r_.offset();
    WT_TRY_ASSIGN(uint32_t flags, r_.U32());
    switch (flags) {
      case 0:
        seg.mode = SegmentMode::kActive;
        WT_TRY(ReadConstExpr(&seg.offset));
        break;
      case 1:
        seg.mode = SegmentMode::kPassive;
        break;
      case 2: {
        seg.mode = SegmentMode::kActive;
        WT_TRY_ASSIGN(seg.memory_index, r_.U32());
        WT_TRY(ReadConstExpr(&seg.offset));
        break;
      }
      default:
        return MalformedAt(at, "malformed data segment kind");
    }
    WT_TRY_ASSIGN(uint32_t len, r_.Length());
    seg.init.offset = static_cast<uint32_t>(r_.pos());
    seg.init.size = len;
    WT_TRY(r_.Skip(len));
    m_.datas.push_back(seg);
  }
  return Ok();
}

// ---- code -------------------------------------------------------------------------------

namespace {

// A u32 LEB128 of at most 4 bytes (28 bits: never out of range), decoded inline; false
// otherwise (the caller takes the general path, which reports any error).
inline bool ShortU32(BinaryReader& r, uint32_t* out) {
  if (r.remaining() < 4) return false;
  const uint8_t* p = r.bytes().data() + r.pos();
  uint32_t v = p[0] & 0x7Fu;
  size_t n = 1;
  if (p[0] & 0x80) {
    v |= (p[1] & 0x7Fu) << 7;
    n = 2;
    if (p[1] & 0x80) {
      v |= (p[2] & 0x7Fu) << 14;
      n = 3;
      if (p[2] & 0x80) {
        if (p[3] & 0x80) return false;
        v |= static_cast<uint32_t>(p[3]) << 21;
        n = 4;
      }
    }
  }
  r.set_pos(r.pos() + n);
  *out = v;
  return true;
}

}  // namespace

Status ModuleReader::ReadCodeSection() {
  WT_TRY_ASSIGN(uint32_t n, r_.U32());
  // The function section's count bounds the entries (checked at the end): no hostile size.
  m_.codes.reserve(n == num_defined_funcs_ ? std::min<size_t>(n, r_.remaining() / 2)
                                           : r_.ReserveHint(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    Code code;
    const size_t size_at = r_.pos();
    uint32_t size = 0;
    if (!ShortU32(r_, &size) || size > r_.remaining() + (r_.pos() - size_at)) {
      r_.set_pos(size_at);
      WT_TRY_ASSIGN(size, r_.Length());
    }
    const size_t start = r_.pos();
    uint32_t ndecls = 0;
    if (!ShortU32(r_, &ndecls)) {
      WT_TRY_ASSIGN(ndecls, r_.U32());
    }
    uint64_t total = 0;
    for (uint32_t j = 0; j < ndecls; ++j) {
      // Decoded and checked here (a malformed declaration is a decode error); kept in the
      // bytes only (LocalDeclReader decodes them again).
      uint32_t count = 0;
      if (!ShortU32(r_, &count)) {
        WT_TRY_ASSIGN(count, r_.U32());
      }
      const int t = r_.Peek();
      if (t >= 0x7C && t <= 0x7F) {  // i32, i64, f32, f64: always allowed
        r_.set_pos(r_.pos() + 1);
      } else {
        WT_TRY(ReadValType(r_, f_));
      }
      total += count;
    }
    if (total > UINT32_MAX) return MalformedAt(start, "too many locals");
    code.num_local_decls = ndecls;
    code.num_locals = total;
    const size_t body_start = r_.pos();
    if (options_.check_code_syntax) {
      WT_TRY(DecodeExpr(/*in_body=*/true));
    } else {
      if (body_start > start + size) return MalformedAt(start, "section size mismatch");
      WT_TRY(r_.Skip(start + size - body_start));
    }
    if (r_.pos() != start + size) return MalformedAt(start, "section size mismatch");
    code.whole.offset = static_cast<uint32_t>(start);
    code.whole.size = size;
    code.body.offset = static_cast<uint32_t>(body_start);
    code.body.size = static_cast<uint32_t>(start + size - body_start);
    m_.codes.push_back(std::move(code));
  }
  return Ok();
}

}  // namespace wt::wasm::internal
