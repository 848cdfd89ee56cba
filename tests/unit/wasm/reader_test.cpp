#include "wasm/reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WT_HAS_ASAN 1
#endif
#endif
#ifndef WT_HAS_ASAN
#define WT_HAS_ASAN 0
#endif

namespace wt::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Leb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
  return out;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes Str(const std::string& s) {
  Bytes out = Leb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A module under construction: the header, then sections.
struct Mod {
  Bytes bytes = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  std::vector<size_t> boundaries = {8};  // where a section may end
  Mod& Sec(uint8_t id, const Bytes& contents) {
    bytes.push_back(id);
    Bytes size = Leb(contents.size());
    bytes.insert(bytes.end(), size.begin(), size.end());
    bytes.insert(bytes.end(), contents.begin(), contents.end());
    boundaries.push_back(bytes.size());
    return *this;
  }
  Mod& Raw(const Bytes& b) {
    bytes.insert(bytes.end(), b.begin(), b.end());
    return *this;
  }
};

ReadOptions Opts(Features f) {
  ReadOptions o;
  o.features = f;
  return o;
}

Result<Module> Read(const Mod& m, Features f = Features::Wasm30()) {
  return ReadModule(m.bytes, Opts(f));
}

std::string ErrorOf(const Mod& m, Features f = Features::Wasm30()) {
  auto r = Read(m, f);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformed);
  return r.error().message;
}

const Bytes kVoidType = {0x01, 0x60, 0x00, 0x00};   // type section: one () -> ()
const Bytes kOneFunc = {0x01, 0x00};                // function section: one of type 0
const Bytes kEmptyBody = {0x01, 0x02, 0x00, 0x0B};  // code section: one empty body

TEST(Reader, EmptyModule) {
  auto r = Read(Mod{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->types.empty());
  EXPECT_TRUE(r->funcs.empty());
  EXPECT_EQ(r->bytes.size(), 8u);
}

TEST(Reader, Header) {
  EXPECT_EQ(ErrorOf(Mod{Bytes{}}), "unexpected end");
  EXPECT_EQ(ErrorOf(Mod{Bytes{0x00, 0x61, 0x73}}), "unexpected end");
  EXPECT_EQ(ErrorOf(Mod{Bytes{0x00, 0x61, 0x73, 0x6D}}), "unexpected end");
  EXPECT_EQ(ErrorOf(Mod{Bytes{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00}}), "unexpected end");
  EXPECT_EQ(ErrorOf(Mod{Bytes{'a', 's', 'm', 0x00, 1, 0, 0, 0}}), "magic header not detected");
  EXPECT_EQ(ErrorOf(Mod{Bytes{0x00, 'a', 's', 'm', 2, 0, 0, 0}}), "unknown binary version");
  EXPECT_EQ(ErrorOf(Mod{Bytes{0x00, 'a', 's', 'm', 1, 0, 0, 1}}), "unknown binary version");
}

TEST(Reader, SectionIds) {
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x0E, 0x01, 0x00})), "malformed section id");
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x80, 0x01, 0x00})), "malformed section id");
  // The tag section is 3.0 only.
  EXPECT_EQ(ErrorOf(Mod{}.Sec(13, {0x00})), "ok");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(13, {0x00}), Features::Wasm20()), "malformed section id");
}

TEST(Reader, SectionOrderAndDuplicates) {
  const char* kAfter = "unexpected content after last section";
  EXPECT_EQ(ErrorOf(Mod{}.Sec(1, {0x00}).Sec(1, {0x00})), kAfter);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(3, {0x00}).Sec(2, {0x00})), kAfter);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(11, {0x00}).Sec(10, {0x00})), kAfter);
  // Data count goes between element and code; tag between memory and global.
  EXPECT_EQ(ErrorOf(Mod{}.Sec(9, {0x00}).Sec(12, {0x00}).Sec(10, {0x00})), "ok");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(10, {0x00}).Sec(12, {0x00})), kAfter);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x00}).Sec(13, {0x00}).Sec(6, {0x00})), "ok");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(6, {0x00}).Sec(13, {0x00})), kAfter);
  // Custom sections go anywhere, any number of times.
  auto r = Read(Mod{}.Sec(0, Str("a")).Sec(1, {0x00}).Sec(0, Cat({Str("b"), {1, 2, 3}})));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->customs.size(), 2u);
  EXPECT_EQ(r->customs[0].name, "a");
  EXPECT_EQ(r->customs[0].after_section, 0);
  EXPECT_EQ(r->customs[1].name, "b");
  EXPECT_EQ(r->customs[1].after_section, 1);
  ASSERT_EQ(r->customs[1].contents.size, 3u);
  EXPECT_EQ(r->Slice(r->customs[1].contents)[2], 3);
}

TEST(Reader, SectionSizes) {
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x01, 0x07, 0x01, 0x60, 0x00, 0x00})), "length out of bounds");
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00})),
            "section size mismatch");
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x01, 0x03, 0x01, 0x60, 0x00, 0x00})), "section size mismatch");
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x01})), "unexpected end");
}

TEST(Reader, CustomSectionErrors) {
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x00, 0x00})), "unexpected end");  // no room for the name
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x00, 0x02, 0x05, 'a'})), "unexpected end");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(0, {0x02, 0xC0, 0x80})), "malformed UTF-8 encoding");
}

TEST(Reader, TypeSection) {
  // (func (param i32 i64) (result f32)) and (func (result v128 funcref)).
  auto r =
      Read(Mod{}.Sec(1, {0x02, 0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7D, 0x60, 0x00, 0x02, 0x7B, 0x70}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->types.size(), 2u);
  ASSERT_EQ(r->rec_groups.size(), 2u);
  const FuncType* f0 = r->GetFuncType(0);
  ASSERT_NE(f0, nullptr);
  EXPECT_EQ(f0->params, (std::vector<ValType>{ValType::I32(), ValType::I64()}));
  EXPECT_EQ(f0->results, (std::vector<ValType>{ValType::F32()}));
  EXPECT_TRUE(r->types[0].final);
  EXPECT_EQ(r->GetFuncType(1)->results[1], ValType::FuncRef());
  EXPECT_EQ(r->rec_groups[1].first, 1u);
  EXPECT_EQ(r->rec_groups[1].count, 1u);
  EXPECT_EQ(r->types[1].rec_group, 1u);
}

TEST(Reader, GcTypes) {
  // rec { sub (struct (field i8) (field (mut (ref null 0)))), sub final 0 (array (mut i16)) }
  Bytes types = {0x01, 0x4E, 0x02, 0x50, 0x00, 0x5F, 0x02, 0x78, 0x00,
                 0x63, 0x00, 0x01, 0x4F, 0x01, 0x00, 0x5E, 0x77, 0x01};
  auto r = Read(Mod{}.Sec(1, types));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->types.size(), 2u);
  ASSERT_EQ(r->rec_groups.size(), 1u);
  EXPECT_EQ(r->rec_groups[0].count, 2u);
  const SubType& s = r->types[0];
  EXPECT_FALSE(s.final);
  EXPECT_TRUE(s.supers.empty());
  EXPECT_EQ(s.composite.kind, CompositeKind::kStruct);
  ASSERT_EQ(s.composite.fields.size(), 2u);
  EXPECT_EQ(s.composite.fields[0].storage.packed, Packed::kI8);
  EXPECT_FALSE(s.composite.fields[0].mutable_);
  EXPECT_EQ(s.composite.fields[1].storage.type, ValType::Ref(HeapType::Index(0), true));
  EXPECT_TRUE(s.composite.fields[1].mutable_);
  const SubType& a = r->types[1];
  EXPECT_TRUE(a.final);
  EXPECT_EQ(a.supers, std::vector<uint32_t>{0});
  EXPECT_EQ(a.composite.kind, CompositeKind::kArray);
  EXPECT_EQ(a.composite.fields[0].storage.packed, Packed::kI16);
  EXPECT_EQ(a.rec_group, 0u);
  // GC encodings are malformed under 2.0.
  EXPECT_NE(ErrorOf(Mod{}.Sec(1, types), Features::Wasm20()), "ok");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(1, {0x01, 0x5E, 0x78, 0x02})), "malformed mutability");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(1, {0x01, 0x5D})), "malformed composite type");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(1, {0x01, 0xE0, 0x7F, 0x00})), "integer representation too long");
}

TEST(Reader, ImportsAndIndexSpaces) {
  Bytes imports = Cat({{0x05},
                       Str("m"),
                       Str("f"),
                       {0x00, 0x00},  // func type 0
                       Str("m"),
                       Str("t"),
                       {0x01, 0x70, 0x01, 0x01, 0x02},  // table 1..2
                       Str("m"),
                       Str("mem"),
                       {0x02, 0x00, 0x01},  // memory 1
                       Str("m"),
                       Str("g"),
                       {0x03, 0x7F, 0x01},  // mut i32 global
                       Str("m"),
                       Str("e"),
                       {0x04, 0x00, 0x00}});  // tag type 0
  auto r = Read(Mod{}.Sec(1, kVoidType).Sec(2, imports).Sec(3, kOneFunc).Sec(10, kEmptyBody));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->imports.size(), 5u);
  EXPECT_EQ(r->imports[2].name, "mem");
  EXPECT_EQ(r->imports[2].kind, ExternKind::kMemory);
  EXPECT_EQ(r->num_imported_funcs, 1u);
  EXPECT_EQ(r->num_imported_tables, 1u);
  EXPECT_EQ(r->num_imported_memories, 1u);
  EXPECT_EQ(r->num_imported_globals, 1u);
  EXPECT_EQ(r->num_imported_tags, 1u);
  ASSERT_EQ(r->funcs.size(), 2u);
  EXPECT_TRUE(r->funcs[0].imported);
  EXPECT_FALSE(r->funcs[1].imported);
  EXPECT_EQ(r->tables[0].type.limits.max, 2u);
  EXPECT_TRUE(r->globals[0].type.mutable_);
  EXPECT_EQ(r->codes.size(), 1u);
  // Tags are not 2.0.
  EXPECT_EQ(ErrorOf(Mod{}.Sec(2, Cat({{0x01}, Str(""), Str(""), {0x04, 0x00, 0x00}})),
                    Features::Wasm20()),
            "malformed import kind");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(2, Cat({{0x01}, Str(""), Str(""), {0x05, 0x00}}))),
            "malformed import kind");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(2, Cat({{0x01}, Str("\xFF"), Str(""), {0x00, 0x00}}))),
            "malformed UTF-8 encoding");
}

TEST(Reader, Limits) {
  // 2.0: the flag is a 1-bit LEB128.
  const Features f20 = Features::Wasm20();
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x02, 0x00}), f20), "integer too large");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x81, 0x00, 0x00}), f20),
            "integer representation too long");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10}), f20),
            "integer too large");
  // 3.0: a flags byte (bit 1, shared, only with threads; bit 3, a custom page size, only with
  // custom-page-sizes; the 3.0 preset enables both).
  Features no_threads = Features::Wasm30();
  no_threads.set(Feature::kThreads, false);
  Features no_page_sizes = Features::Wasm30();
  no_page_sizes.set(Feature::kCustomPageSizes, false);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x10, 0x00})), "malformed limits flags");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x08, 0x00, 0x00}), no_page_sizes),
            "malformed limits flags");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x02, 0x00, 0x01}), no_threads), "malformed limits flags");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(4, {0x01, 0x70, 0x02, 0x00, 0x01})), "malformed limits flags");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(5, {0x01, 0x81, 0x00, 0x00})), "malformed limits flags");
  // memory64: 64-bit limits.
  auto r = Read(Mod{}.Sec(5, Cat({{0x01, 0x05}, Leb(1ull << 40), Leb(1ull << 41)})));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->memories[0].type.addr, AddrType::kI64);
  EXPECT_EQ(r->memories[0].type.limits.min, 1ull << 40);
  EXPECT_EQ(r->memories[0].type.limits.max, 1ull << 41);
  // Shared memories need threads.
  Features threads = Features::Wasm30();
  threads.set(Feature::kThreads);
  auto s = Read(Mod{}.Sec(5, {0x01, 0x03, 0x01, 0x02}), threads);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->memories[0].type.shared);
}

TEST(Reader, TableWithInitializer) {
  // (table 1 (ref 0) (ref.func 0)): 0x40 0x00 tabletype expr.
  Mod m;
  m.Sec(1, kVoidType).Sec(3, kOneFunc);
  m.Sec(4, {0x02, 0x40, 0x00, 0x64, 0x00, 0x00, 0x01, 0xD2, 0x00, 0x0B, 0x6F, 0x00, 0x00});
  m.Sec(10, kEmptyBody);
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->tables.size(), 2u);
  ASSERT_TRUE(r->tables[0].init.has_value());
  EXPECT_EQ(r->tables[0].type.elem, ValType::Ref(HeapType::Index(0), false));
  EXPECT_EQ(r->tables[0].init->range.size, 3u);
  EXPECT_FALSE(r->tables[1].init.has_value());
  EXPECT_EQ(r->tables[1].type.elem, ValType::ExternRef());
  EXPECT_EQ(r->declared_func_refs, std::vector<uint32_t>{0});
  // Not in 2.0, and the reserved byte must be zero.
  EXPECT_NE(ErrorOf(m, Features::Wasm20()), "ok");
  EXPECT_NE(ErrorOf(Mod{}.Sec(4, {0x01, 0x40, 0x01, 0x70, 0x00, 0x00, 0xD0, 0x70, 0x0B})), "ok");
}

TEST(Reader, GlobalsExportsStartAndRefs) {
  Mod m;
  m.Sec(1, kVoidType).Sec(3, {0x03, 0x00, 0x00, 0x00});
  m.Sec(6, {0x02, 0x7F, 0x00, 0x41, 0x2A, 0x0B, 0x70, 0x00, 0xD2, 0x02, 0x0B});
  m.Sec(7, Cat({{0x02}, Str("f"), {0x00, 0x01}, Str("g"), {0x03, 0x00}}));
  m.Sec(8, {0x00});
  m.Sec(10, {0x03, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B, 0x04, 0x00, 0xD2, 0x00, 0x0B});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->globals.size(), 2u);
  EXPECT_EQ(r->globals[0].type.type, ValType::I32());
  EXPECT_FALSE(r->globals[0].type.mutable_);
  auto init = r->Slice(r->globals[0].init.range);
  EXPECT_EQ(Bytes(init.begin(), init.end()), (Bytes{0x41, 0x2A, 0x0B}));
  ASSERT_EQ(r->exports.size(), 2u);
  EXPECT_EQ(r->exports[1].kind, ExternKind::kGlobal);
  EXPECT_EQ(r->start, 0u);
  // ref.func 2 in a global, export of function 1; the ref.func 0 in a body does not count.
  EXPECT_EQ(r->declared_func_refs, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(ErrorOf(Mod{}.Sec(6, {0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B})), "malformed mutability");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(7, Cat({{0x01}, Str("x"), {0x05, 0x00}}))), "malformed export kind");
}

TEST(Reader, ElementSegmentsAllKinds) {
  Mod m;
  m.Sec(1, kVoidType).Sec(3, {0x02, 0x00, 0x00});
  m.Sec(4, {0x01, 0x70, 0x00, 0x01});
  Bytes elems = {0x08, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,        // 0: active, funcs
                 0x01, 0x00, 0x01, 0x01,                          // 1: passive, funcs
                 0x02, 0x00, 0x41, 0x00, 0x0B, 0x00, 0x00,        // 2: table 0, no funcs
                 0x03, 0x00, 0x02, 0x00, 0x01,                    // 3: declarative, funcs
                 0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B,  // 4: active, exprs
                 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,              // 5: passive externref
                 0x06, 0x00, 0x41, 0x00, 0x0B, 0x70, 0x00,        // 6: table 0, funcref
                 0x07, 0x70, 0x01, 0xD2, 0x01, 0x0B};             // 7: declarative exprs
  m.Sec(9, elems);
  m.Sec(10, {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->elems.size(), 8u);
  const auto& e = r->elems;
  EXPECT_EQ(e[0].mode, SegmentMode::kActive);
  EXPECT_EQ(e[0].func_indices, std::vector<uint32_t>{0});
  EXPECT_EQ(e[0].elem_type, ValType::Ref(HeapType::Abstract(HeapKind::kFunc), false));
  EXPECT_EQ(e[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(e[1].func_indices, std::vector<uint32_t>{1});
  EXPECT_EQ(e[2].mode, SegmentMode::kActive);
  EXPECT_EQ(e[2].size(), 0u);
  EXPECT_EQ(e[3].mode, SegmentMode::kDeclarative);
  EXPECT_EQ(e[3].size(), 2u);
  EXPECT_TRUE(e[4].uses_exprs);
  EXPECT_EQ(e[4].elem_type, ValType::FuncRef());
  EXPECT_EQ(e[4].exprs.size(), 1u);
  EXPECT_EQ(e[5].mode, SegmentMode::kPassive);
  EXPECT_EQ(e[5].elem_type, ValType::ExternRef());
  EXPECT_EQ(e[6].mode, SegmentMode::kActive);
  EXPECT_EQ(e[6].size(), 0u);
  EXPECT_EQ(e[7].mode, SegmentMode::kDeclarative);
  EXPECT_EQ(r->declared_func_refs, (std::vector<uint32_t>{0, 1}));
  // 2.0 types the function-index forms funcref.
  auto r20 = Read(m, Features::Wasm20());
  ASSERT_TRUE(r20.ok()) << r20.error().message;
  EXPECT_EQ(r20->elems[0].elem_type, ValType::FuncRef());
  EXPECT_EQ(ErrorOf(Mod{}.Sec(9, {0x01, 0x08})), "malformed elements segment kind");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(9, {0x01, 0x01, 0x01, 0x00})), "malformed element kind");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(9, {0x01, 0x05, 0x7F, 0x00})), "malformed reference type");
}

TEST(Reader, DataSegmentsAndDataCount) {
  Mod m;
  m.Sec(5, {0x01, 0x00, 0x01});
  m.Sec(12, {0x03});
  m.Sec(11, {0x03, 0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i', 0x01, 0x01, 'x', 0x02, 0x00, 0x41, 0x00,
             0x0B, 0x00});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->datas.size(), 3u);
  EXPECT_EQ(r->data_count, 3u);
  EXPECT_EQ(r->datas[0].mode, SegmentMode::kActive);
  EXPECT_EQ(r->datas[0].init.size, 2u);
  EXPECT_EQ(r->Slice(r->datas[0].init)[1], 'i');
  EXPECT_EQ(r->datas[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(r->datas[2].init.size, 0u);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(12, {0x02}).Sec(11, {0x01, 0x01, 0x00})),
            "data count and data section have inconsistent lengths");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(12, {0x01})),
            "data count and data section have inconsistent lengths");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(11, {0x01, 0x03, 0x00})), "malformed data segment kind");
  // memory.init / data.drop / array.new_data need a data count section.
  for (Bytes body : {Bytes{0x05, 0x00, 0xFC, 0x09, 0x00, 0x0B},
                     Bytes{0x06, 0x00, 0xFB, 0x09, 0x00, 0x00, 0x0B}}) {
    Mod c;
    c.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(5, {0x01, 0x00, 0x00});
    c.Sec(10, Cat({{0x01}, body})).Sec(11, {0x01, 0x01, 0x00});
    EXPECT_EQ(ErrorOf(c), "data count section required");
    Mod d;
    d.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(5, {0x01, 0x00, 0x00}).Sec(12, {0x01});
    d.Sec(10, Cat({{0x01}, body})).Sec(11, {0x01, 0x01, 0x00});
    EXPECT_EQ(ErrorOf(d), "ok");
  }
}

TEST(Reader, TagSection) {
  auto r = Read(Mod{}.Sec(1, kVoidType).Sec(13, {0x01, 0x00, 0x00}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->tags.size(), 1u);
  EXPECT_EQ(r->tags[0].type.type_index, 0u);
  EXPECT_NE(ErrorOf(Mod{}.Sec(13, {0x01, 0x01, 0x00})), "ok");
}

TEST(Reader, CodeSection) {
  // Locals: 2 x i32, 1 x f64.
  Mod m;
  m.Sec(1, kVoidType).Sec(3, kOneFunc);
  m.Sec(10, {0x01, 0x08, 0x02, 0x02, 0x7F, 0x01, 0x7C, 0x01, 0x01, 0x0B});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Code& c = r->codes[0];
  ASSERT_EQ(c.num_local_decls, 2u);
  auto locals = DecodeLocalDecls(*r, c);
  ASSERT_TRUE(locals.ok());
  ASSERT_EQ(locals->size(), 2u);
  EXPECT_EQ((*locals)[0].count, 2u);
  EXPECT_EQ((*locals)[0].type, ValType::I32());
  EXPECT_EQ((*locals)[1].count, 1u);
  EXPECT_EQ((*locals)[1].type, ValType::F64());
  EXPECT_EQ(c.num_locals, 3u);
  EXPECT_EQ(c.body.size, 3u);
  EXPECT_EQ(r->bytes[c.body.offset], 0x01);
  EXPECT_EQ(c.whole.size, 8u);

  const char* kInconsistent = "function and code section have inconsistent lengths";
  EXPECT_EQ(ErrorOf(Mod{}.Sec(1, kVoidType).Sec(3, kOneFunc)), kInconsistent);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(10, kEmptyBody)), kInconsistent);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(3, {0x00}).Sec(10, {0x00})), "ok");
  // Too many locals.
  Mod many;
  many.Sec(1, kVoidType).Sec(3, kOneFunc);
  Bytes entry = Cat({{0x02}, Leb(0xFFFFFFFFu), {0x7F}, {0x02, 0x7E, 0x0B}});
  many.Sec(10, Cat({{0x01}, Leb(entry.size()), entry}));
  EXPECT_EQ(ErrorOf(many), "too many locals");
  // Body size mismatch.
  EXPECT_EQ(
      ErrorOf(Mod{}.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(10, {0x01, 0x03, 0x00, 0x0B, 0x01})),
      "section size mismatch");
}

TEST(Reader, CodeSyntax) {
  auto body = [](Bytes instrs) {
    Mod m;
    m.Sec(1, kVoidType).Sec(3, kOneFunc);
    Bytes entry = Cat({{0x00}, instrs});
    m.Sec(10, Cat({{0x01}, Leb(entry.size()), entry}));
    return ErrorOf(m);
  };
  EXPECT_EQ(body({0x0B}), "ok");
  EXPECT_EQ(body({0x02, 0x40, 0x0B, 0x0B}), "ok");
  EXPECT_EQ(body({0x04, 0x40, 0x05, 0x0B, 0x0B}), "ok");                   // if/else/end
  EXPECT_EQ(body({0x05, 0x0B}), "END opcode expected");                    // else at depth 0
  EXPECT_EQ(body({0x02, 0x40, 0x05, 0x0B, 0x0B}), "END opcode expected");  // else in block
  EXPECT_EQ(body({0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B}), "END opcode expected");
  EXPECT_EQ(body({0x02, 0x40, 0x0B}), "unexpected end of section or function");
  EXPECT_EQ(body({0x01}), "unexpected end of section or function");
  EXPECT_EQ(body({0xFF, 0x0B}), "illegal opcode ff");
  EXPECT_EQ(body({0x12, 0x00, 0x0B}), "ok");  // return_call in 3.0
  // Syntax checking can be turned off: bodies are then only delimited.
  Mod m;
  m.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(10, {0x01, 0x03, 0x00, 0xFF, 0x0B});
  ReadOptions o;
  o.check_code_syntax = false;
  EXPECT_TRUE(ReadModule(m.bytes, o).ok());
  EXPECT_FALSE(ReadModule(m.bytes).ok());
}

TEST(Reader, ConstExprSyntax) {
  // A global init without `end` runs into the next section.
  EXPECT_NE(ErrorOf(Mod{}.Sec(6, {0x01, 0x7F, 0x00, 0x41, 0x00})), "ok");
  EXPECT_EQ(
      ErrorOf(Mod{}.Sec(6, {0x01, 0x7F, 0x00, 0x41, 0x00}).Sec(10, {0x00}), Features::Wasm20()),
      "illegal opcode 0a");
}

TEST(Reader, NameSection) {
  Bytes names = Cat({Str("name"),
                     {0x00},
                     Leb(Str("mod").size()),
                     Str("mod"),
                     {0x01},
                     Leb(1 + 1 + Str("fn").size()),
                     {0x01, 0x00},
                     Str("fn"),
                     {0x02},
                     Leb(1 + 1 + 1 + 1 + Str("x").size()),
                     {0x01, 0x00, 0x01, 0x00},
                     Str("x")});
  Mod m;
  m.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(10, kEmptyBody).Sec(0, names);
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->names.module, "mod");
  EXPECT_EQ(r->names.functions.names.at(0), "fn");
  EXPECT_EQ(r->names.locals.at(0).names.at(0), "x");

  // A malformed name section is ignored, not an error.
  Bytes bad = Cat({Str("name"), {0x01, 0x05, 0x02, 0x00, 0x01, 'a'}});
  auto r2 = Read(Mod{}.Sec(0, bad));
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->names.functions.names.empty());
  EXPECT_FALSE(r2->names.module.has_value());
  Bytes bad_utf8 = Cat({Str("name"), {0x00, 0x02, 0x01, 0xFF}});
  EXPECT_TRUE(Read(Mod{}.Sec(0, bad_utf8)).ok());
  Bytes out_of_order = Cat({Str("name"), {0x01, 0x01, 0x00, 0x00, 0x01, 0x00}});
  EXPECT_TRUE(Read(Mod{}.Sec(0, out_of_order)).ok());
}

// ---- hostile input ---------------------------------------------------------------------

TEST(ReaderHostile, EveryTruncationFails) {
  Mod m;
  m.Sec(1, {0x02, 0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x00, 0x00});
  m.Sec(2, Cat({{0x01}, Str("env"), Str("f"), {0x00, 0x01}}));
  m.Sec(3, {0x01, 0x00}).Sec(4, {0x01, 0x70, 0x00, 0x01}).Sec(5, {0x01, 0x01, 0x01, 0x02});
  m.Sec(6, {0x01, 0x7E, 0x01, 0x42, 0x7F, 0x0B});
  m.Sec(7, Cat({{0x01}, Str("run"), {0x00, 0x01}}));
  m.Sec(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x01});
  m.Sec(12, {0x01});
  m.Sec(10, {0x01, 0x0B, 0x01, 0x01, 0x7F, 0x20, 0x00, 0x04, 0x7F, 0x20, 0x01, 0x0B, 0x0B});
  m.Sec(11, {0x01, 0x01, 0x02, 'o', 'k'});
  m.Sec(0, Cat({Str("name"), {0x00, 0x02, 0x01, 'm'}}));
  ASSERT_EQ(ErrorOf(m), "ok");
  for (size_t n = 0; n < m.bytes.size(); ++n) {
    // A cut between sections leaves a well-formed (if shorter) module.
    if (std::find(m.boundaries.begin(), m.boundaries.end(), n) != m.boundaries.end()) continue;
    Bytes prefix(m.bytes.begin(), m.bytes.begin() + static_cast<std::ptrdiff_t>(n));
    auto r = ReadModule(prefix);
    EXPECT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::kMalformed);
    }
  }
}

// Runs `fn` in a child process whose address space is capped, so that an allocation sized by
// a hostile count kills the child instead of passing unnoticed.
template <typename F>
bool RunsWithinMemoryCap(F fn) {
#if defined(__SANITIZE_ADDRESS__) || WT_HAS_ASAN
  fn();  // ASan aborts on huge allocations itself; an address space cap would break it.
  return true;
#else
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit lim;
    getrlimit(RLIMIT_AS, &lim);
    lim.rlim_cur = 1ull << 30;  // 1 GiB
    setrlimit(RLIMIT_AS, &lim);
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
#endif
}

TEST(ReaderHostile, HugeCountsFailFast) {
  const Bytes kMax = Leb(0xFFFFFFFFu);
  std::vector<Mod> mods;
  for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13}) {
    mods.push_back(Mod{}.Sec(id, Cat({kMax, {0x00, 0x00, 0x00}})));
  }
  // Counts inside entries: params, struct fields, rec group, locals, br_table, select t,
  // element items, try_table catches.
  mods.push_back(Mod{}.Sec(1, Cat({{0x01, 0x60}, kMax, {0x7F}})));
  mods.push_back(Mod{}.Sec(1, Cat({{0x01, 0x5F}, kMax, {0x7F, 0x00}})));
  mods.push_back(Mod{}.Sec(1, Cat({{0x01, 0x4E}, kMax, {0x60, 0x00, 0x00}})));
  mods.push_back(Mod{}.Sec(9, Cat({{0x01, 0x01, 0x00}, kMax, {0x00}})));
  mods.push_back(Mod{}.Sec(9, Cat({{0x01, 0x05, 0x70}, kMax, {0x0B}})));
  for (Bytes code : {Cat({kMax, {0x7F, 0x0B}}), Cat({{0x00, 0x0E}, kMax, {0x00, 0x0B}}),
                     Cat({{0x00, 0x1C}, kMax, {0x7F, 0x0B}}),
                     Cat({{0x00, 0x1F, 0x40}, kMax, {0x02, 0x00, 0x0B}})}) {
    Mod m;
    m.Sec(1, kVoidType).Sec(3, kOneFunc);
    m.Sec(10, Cat({{0x01}, Leb(code.size()), code}));
    mods.push_back(m);
  }
  for (const Mod& m : mods) {
    EXPECT_NE(ErrorOf(m), "ok");
    EXPECT_TRUE(RunsWithinMemoryCap([&] { (void)ReadModule(m.bytes); }));
  }
}

TEST(ReaderHostile, OverlongLebs) {
  EXPECT_EQ(ErrorOf(Mod{}.Raw({0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})),
            "integer representation too long");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(3, {0x80, 0x80, 0x80, 0x80, 0x10})), "integer too large");
  EXPECT_EQ(ErrorOf(Mod{}.Sec(3, {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})),
            "integer representation too long");
  // Padded but within 5 bytes is fine.
  EXPECT_EQ(ErrorOf(Mod{}
                        .Sec(1, kVoidType)
                        .Sec(3, {0x81, 0x80, 0x80, 0x80, 0x00, 0x80, 0x00})
                        .Sec(10, kEmptyBody)),
            "ok");
}

TEST(ReaderHostile, DeepNesting) {
  constexpr size_t kDepth = 100000;
  Bytes instrs;
  for (size_t i = 0; i < kDepth; ++i) instrs.insert(instrs.end(), {0x02, 0x40});
  for (size_t i = 0; i < kDepth; ++i) instrs.push_back(0x0B);
  Bytes entry = Cat({{0x00}, instrs, {0x0B}});
  Mod m;
  m.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(10, Cat({{0x01}, Leb(entry.size()), entry}));
  EXPECT_EQ(ErrorOf(m), "ok");
  // One `end` short: the body runs to the end of the module.
  entry.pop_back();
  Mod bad;
  bad.Sec(1, kVoidType).Sec(3, kOneFunc).Sec(10, Cat({{0x01}, Leb(entry.size()), entry}));
  EXPECT_EQ(ErrorOf(bad), "unexpected end of section or function");
  // Deep nesting in a constant expression too.
  Bytes expr;
  for (size_t i = 0; i < kDepth; ++i) expr.insert(expr.end(), {0x02, 0x40});
  for (size_t i = 0; i <= kDepth; ++i) expr.push_back(0x0B);
  EXPECT_EQ(ErrorOf(Mod{}.Sec(6, Cat({{0x01, 0x7F, 0x00}, expr}))), "ok");
}

}  // namespace
}  // namespace wt::wasm
