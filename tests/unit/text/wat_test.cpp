#include "text/wat.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::text {
namespace {

using wasm::CompositeKind;
using wasm::ExternKind;
using wasm::HeapKind;
using wasm::Module;
using wasm::ValType;

std::vector<uint8_t> Encode(std::string_view wat) {
  auto r = WatToBinary(wat, "test.wat");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? *r : std::vector<uint8_t>{};
}

Module Decode(std::string_view wat) {
  auto bytes = Encode(wat);
  auto m = wasm::ReadModule(bytes);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().ToString());
  return m.ok() ? std::move(*m) : Module{};
}

// The error of a text that must not encode.
Error EncodeError(std::string_view wat) {
  auto r = WatToBinary(wat, "test.wat");
  EXPECT_FALSE(r.ok()) << wat;
  if (r.ok()) return Error{};
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformed);
  return r.error();
}

std::vector<uint8_t> Body(const Module& m, size_t code) {
  auto s = m.Slice(m.codes[code].body);
  return std::vector<uint8_t>(s.begin(), s.end());
}

std::vector<uint8_t> Bytes(std::initializer_list<int> b) {
  std::vector<uint8_t> v;
  for (int x : b) v.push_back(static_cast<uint8_t>(x));
  return v;
}

TEST(Wat, MinimalModuleBytes) {
  // Same bytes as wat2wasm produces.
  EXPECT_EQ(Encode("(module)"), Bytes({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_EQ(Encode("(module (func (export \"f\") (result i32) i32.const 42))"),
            Bytes({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,  // header
                   0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,        // type
                   0x03, 0x02, 0x01, 0x00,                          // function
                   0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00,        // export
                   0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B}));
}

TEST(Wat, BareFieldsAndModuleWrapperAgree) {
  const char* fields = "(memory 1) (func (param i32) (result i32) local.get 0)";
  EXPECT_EQ(Encode(fields), Encode(std::string("(module ") + fields + ")"));
}

TEST(Wat, EncodeModuleFieldsTakesTheFieldTokens) {
  auto tokens = Tokenize("(module $m (func $f (export \"f\")))", "m.wat");
  ASSERT_TRUE(tokens.ok());
  // "(module $m" is 3 tokens; the fields end before the module's ')' and the kEof token.
  std::span<const Token> fields(tokens->data() + 3, tokens->size() - 5);
  auto bytes = EncodeModuleFields(fields, "m.wat", "$m");
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  EXPECT_EQ(*bytes, Encode("(module $m (func $f (export \"f\")))"));
  auto m = wasm::ReadModule(*bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->names.module, std::optional<std::string>("m"));
  EXPECT_EQ(m->names.functions.names.at(0), "f");
}

TEST(Wat, QuotedModuleForms) {
  // (module quote ...) text may be a whole module or bare fields; nothing may follow.
  EXPECT_EQ(Encode("(module (func))"), Encode("(func)"));
  EncodeError("(module (func)) (module)");
  EncodeError("(module (func)");
}

TEST(Wat, FlatAndFoldedFormsAgree) {
  auto flat = Encode(
      "(func (param i32) (result i32) local.get 0 i32.const 1 i32.add "
      "block (result i32) i32.const 2 end i32.mul "
      "local.get 0 if (result i32) i32.const 3 else i32.const 4 end i32.add)");
  auto folded = Encode(
      "(func (param i32) (result i32) (i32.add (i32.mul (i32.add (local.get 0) (i32.const 1)) "
      "(block (result i32) (i32.const 2))) "
      "(if (result i32) (local.get 0) (then (i32.const 3)) (else (i32.const 4)))))");
  EXPECT_EQ(flat, folded);
}

TEST(Wat, ForwardReferencesAndIds) {
  Module m = Decode(R"((module $m
    (func $a (export "a") (result i32) (call $b))
    (func $b (result i32) (global.get $g))
    (global $g i32 (i32.const 7))
    (table $t 2 funcref)
    (elem (table $t) (i32.const 0) func $a $b)
    (start $c)
    (func $c)))");
  ASSERT_EQ(m.funcs.size(), 3u);
  EXPECT_EQ(Body(m, 0), Bytes({0x10, 0x01, 0x0B}));
  EXPECT_EQ(Body(m, 1), Bytes({0x23, 0x00, 0x0B}));
  ASSERT_TRUE(m.start.has_value());
  EXPECT_EQ(*m.start, 2u);
  ASSERT_EQ(m.elems.size(), 1u);
  EXPECT_EQ(m.elems[0].func_indices, (std::vector<uint32_t>{0, 1}));
  // The name section carries the module and function names.
  ASSERT_TRUE(m.names.module.has_value());
  EXPECT_EQ(*m.names.module, "m");
  EXPECT_EQ(m.names.functions.names.at(0), "a");
  EXPECT_EQ(m.names.functions.names.at(2), "c");
}

TEST(Wat, LocalNamesAndRunLengthLocals) {
  Module m = Decode(
      "(func $f (param $x i32) (param f32) (local $y i64) (local i64 i64 f64) "
      "(local.set $y (i64.const 1)) (drop (local.get $x)))");
  ASSERT_EQ(m.codes.size(), 1u);
  const auto locals = wasm::DecodeLocalDecls(m, m.codes[0]).value();
  ASSERT_EQ(locals.size(), 2u);
  EXPECT_EQ(locals[0].count, 3u);
  EXPECT_EQ(locals[0].type, ValType::I64());
  EXPECT_EQ(locals[1].count, 1u);
  EXPECT_EQ(locals[1].type, ValType::F64());
  EXPECT_EQ(Body(m, 0), Bytes({0x42, 0x01, 0x21, 0x02, 0x20, 0x00, 0x1A, 0x0B}));
  const auto& names = m.names.locals.at(0).names;
  EXPECT_EQ(names.at(0), "x");
  EXPECT_EQ(names.at(2), "y");
  EXPECT_EQ(names.size(), 2u);
}

TEST(Wat, ImplicitTypesAfterExplicitAndDeduplicated) {
  Module m = Decode(R"((module
    (func $f (param i32))            ;; implicit type 2
    (func $g (param i32))            ;; reuses 2
    (func $h (type $t))              ;; explicit 1
    (func $k (result i32) (i32.const 0))  ;; reuses explicit 0
    (type (func (result i32)))
    (type $t (func (param i64)))
    (func (block (param i32) (result i32 i32) (unreachable)) (unreachable))))");
  ASSERT_EQ(m.types.size(), 5u);
  EXPECT_EQ(m.funcs[0].type_index, 2u);
  EXPECT_EQ(m.funcs[1].type_index, 2u);
  EXPECT_EQ(m.funcs[2].type_index, 1u);
  EXPECT_EQ(m.funcs[3].type_index, 0u);
  EXPECT_EQ(m.funcs[4].type_index, 3u);  // [] -> [] added by the last function
  const wasm::FuncType* block = m.GetFuncType(4);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->params, (std::vector<ValType>{ValType::I32()}));
  EXPECT_EQ(block->results, (std::vector<ValType>{ValType::I32(), ValType::I32()}));
  EXPECT_EQ(Body(m, 4), Bytes({0x02, 0x04, 0x00, 0x0B, 0x00, 0x0B}));
}

TEST(Wat, ImplicitTypeDoesNotReuseRecGroupMembersOrSubtypes) {
  Module m = Decode(R"((module
    (rec (type (func)) (type (struct)))
    (type (sub (func)))
    (func)))");
  ASSERT_EQ(m.types.size(), 4u);
  EXPECT_EQ(m.funcs[0].type_index, 3u);
}

TEST(Wat, GcTypes) {
  Module m = Decode(R"((module
    (rec
      (type $node (sub (struct (field $val (mut i32)) (field $next (ref null $node)))))
      (type $leaf (sub final $node (struct (field (mut i32)) (field (ref null $leaf))))))
    (type $bytes (array (mut i8)))
    (func (param (ref $node)) (result i32)
      (struct.get $node $val (local.get 0)))
    (func (param (ref $bytes)) (result i32)
      (array.get_u $bytes (local.get 0) (i32.const 0)))))");
  ASSERT_EQ(m.types.size(), 5u);  // + two implicit function types
  ASSERT_EQ(m.rec_groups.size(), 4u);
  EXPECT_EQ(m.rec_groups[0].count, 2u);
  EXPECT_EQ(m.types[0].composite.kind, CompositeKind::kStruct);
  EXPECT_FALSE(m.types[0].final);
  EXPECT_TRUE(m.types[1].final);
  EXPECT_EQ(m.types[1].supers, (std::vector<uint32_t>{0}));
  EXPECT_EQ(m.types[0].composite.fields[1].storage.type,
            ValType::Ref(wasm::HeapType::Index(0), true));
  EXPECT_EQ(m.types[2].composite.kind, CompositeKind::kArray);
  EXPECT_EQ(m.types[2].composite.fields[0].storage.packed, wasm::Packed::kI8);
  EXPECT_EQ(Body(m, 0), Bytes({0x20, 0x00, 0xFB, 0x02, 0x00, 0x00, 0x0B}));
  EXPECT_EQ(Body(m, 1), Bytes({0x20, 0x00, 0x41, 0x00, 0xFB, 0x0D, 0x02, 0x0B}));
  Status valid = wasm::ValidateModule(m);
  EXPECT_TRUE(valid.ok()) << valid.error().ToString();
}

TEST(Wat, ImportsExportsAndInlineAbbreviations) {
  Module m = Decode(R"((module
    (import "env" "f" (func $imp (param i32)))
    (func $g (import "env" "g") (result i32))
    (table $t (import "env" "t") 1 funcref)
    (memory (import "env" "m") i64 1 2)
    (global $gl (import "env" "gl") (mut i32))
    (tag $e (import "env" "e") (param i32))
    (func (export "h") (export "h2") (call $imp (call $g)))
    (global (export "g2") i64 (i64.const 3))))");
  ASSERT_EQ(m.imports.size(), 6u);
  EXPECT_EQ(m.num_imported_funcs, 2u);
  EXPECT_EQ(m.imports[3].kind, ExternKind::kMemory);
  EXPECT_EQ(m.memories[0].type.addr, wasm::AddrType::kI64);
  EXPECT_EQ(m.memories[0].type.limits.max, std::optional<uint64_t>(2));
  EXPECT_TRUE(m.globals[0].type.mutable_);
  EXPECT_EQ(m.imports[5].kind, ExternKind::kTag);
  ASSERT_EQ(m.exports.size(), 3u);
  EXPECT_EQ(m.exports[0].name, "h");
  EXPECT_EQ(m.exports[0].index, 2u);
  EXPECT_EQ(m.exports[1].name, "h2");
  EXPECT_EQ(m.exports[2].kind, ExternKind::kGlobal);
  EXPECT_EQ(m.exports[2].index, 1u);
}

TEST(Wat, TableAndMemoryInlineSegments) {
  Module m = Decode(R"((module
    (func $f) (func $g)
    (table $t funcref (elem $f $g $f))
    (table $u i64 externref (elem (ref.null extern)))
    (memory $m (data "hello" "!"))
    (data (memory $m) (offset (i32.const 8)) "x")
    (data $passive "yz")))");
  ASSERT_EQ(m.tables.size(), 2u);
  EXPECT_EQ(m.tables[0].type.limits.min, 3u);
  EXPECT_EQ(m.tables[0].type.limits.max, std::optional<uint64_t>(3));
  EXPECT_EQ(m.tables[1].type.addr, wasm::AddrType::kI64);
  ASSERT_EQ(m.elems.size(), 2u);
  EXPECT_EQ(m.elems[0].func_indices, (std::vector<uint32_t>{0, 1, 0}));
  EXPECT_TRUE(m.elems[1].uses_exprs);
  EXPECT_EQ(m.elems[1].table_index, 1u);
  EXPECT_EQ(m.memories[0].type.limits.min, 1u);
  ASSERT_EQ(m.datas.size(), 3u);
  auto init = m.Slice(m.datas[0].init);
  EXPECT_EQ(std::string(init.begin(), init.end()), "hello!");
  EXPECT_EQ(m.datas[2].mode, wasm::SegmentMode::kPassive);
  EXPECT_TRUE(wasm::ValidateModule(m).ok());
}

TEST(Wat, ElemSegmentForms) {
  Module m = Decode(R"((module
    (table 4 funcref)
    (table $t2 4 externref)
    (func $f)
    (elem (i32.const 0) $f)
    (elem $p funcref (ref.func $f) (item ref.null func))
    (elem declare func $f)
    (elem (table $t2) (offset (i32.const 1)) externref (ref.null extern))
    (elem $d func)))");
  ASSERT_EQ(m.elems.size(), 5u);
  EXPECT_EQ(m.elems[0].mode, wasm::SegmentMode::kActive);
  EXPECT_EQ(m.elems[1].mode, wasm::SegmentMode::kPassive);
  EXPECT_TRUE(m.elems[1].uses_exprs);
  EXPECT_EQ(m.elems[1].exprs.size(), 2u);
  EXPECT_EQ(m.elems[2].mode, wasm::SegmentMode::kDeclarative);
  EXPECT_EQ(m.elems[3].table_index, 1u);
  EXPECT_EQ(m.elems[3].elem_type, ValType::ExternRef());
  EXPECT_EQ(m.elems[4].size(), 0u);
  EXPECT_TRUE(wasm::ValidateModule(m).ok());
}

TEST(Wat, TableInitializerExpression) {
  Module m = Decode("(type $f (func)) (func $g (type $f)) (table 1 (ref $f) (ref.func $g))");
  ASSERT_EQ(m.tables.size(), 1u);
  ASSERT_TRUE(m.tables[0].init.has_value());
  EXPECT_TRUE(wasm::ValidateModule(m).ok());
}

TEST(Wat, MemargsAndMultiMemory) {
  Module m = Decode(R"((module
    (memory 1) (memory $m2 1)
    (func
      (drop (i32.load offset=4 align=2 (i32.const 0)))
      (drop (i64.load8_u $m2 offset=0x10 (i32.const 0)))
      (i32.store 1 (i32.const 0) (i32.const 0))
      (drop (memory.size $m2))
      (memory.copy $m2 0 (i32.const 0) (i32.const 0) (i32.const 0)))))");
  EXPECT_EQ(Body(m, 0), Bytes({0x41, 0x00, 0x28, 0x01, 0x04, 0x1A,        // i32.load align=2^1
                               0x41, 0x00, 0x31, 0x40, 0x01, 0x10, 0x1A,  // memidx flag
                               0x41, 0x00, 0x41, 0x00, 0x36, 0x42, 0x01, 0x00,  // i32.store 1
                               0x3F, 0x01, 0x1A,                                // memory.size 1
                               0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x01, 0x00, 0x0B}));
}

TEST(Wat, DataCountWhenBulkMemoryUsesSegments) {
  Module m = Decode(
      "(memory 1) (data $d \"ab\") "
      "(func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 2)) (data.drop $d))");
  ASSERT_TRUE(m.data_count.has_value());
  EXPECT_EQ(*m.data_count, 1u);
  EXPECT_EQ(Body(m, 0), Bytes({0x41, 0x00, 0x41, 0x00, 0x41, 0x02, 0xFC, 0x08, 0x00, 0x00, 0xFC,
                               0x09, 0x00, 0x0B}));
}

TEST(Wat, Constants) {
  Module m = Decode(
      "(func (drop (i32.const -1)) (drop (i32.const 0xffffffff)) (drop (i64.const "
      "-0x8000000000000000))"
      " (drop (f32.const -0x1p-149)) (drop (f64.const nan:0x1)))");
  EXPECT_EQ(Body(m, 0),
            Bytes({0x41, 0x7F, 0x1A, 0x41, 0x7F, 0x1A, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80,
                   0x80, 0x80, 0x80, 0x80, 0x7F, 0x1A, 0x43, 0x01, 0x00, 0x00, 0x80, 0x1A,
                   0x44, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x7F, 0x1A, 0x0B}));
}

TEST(Wat, SimdImmediates) {
  Module m = Decode(R"((module (memory 1)
    (func (result v128)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
        (v128.const i16x8 1 -1 0 0 0 0 0 0x8000)
        (v128.load8_lane 1 (i32.const 0) (v128.const f32x4 1 0 0 0))))))");
  std::vector<uint8_t> want = {0xFD, 0x0C, 1, 0, 0xFF, 0xFF, 0,    0,    0,    0, 0, 0,    0,
                               0,    0,    0, 0, 0x80, 0x41, 0x00, 0xFD, 0x0C, 0, 0, 0x80, 0x3F};
  for (int i = 0; i < 12; ++i) want.push_back(0);
  for (int b : {0xFD, 0x54, 0x00, 0x00, 0x01, 0xFD, 0x0D}) want.push_back(static_cast<uint8_t>(b));
  for (int i = 0; i < 15; ++i) want.push_back(static_cast<uint8_t>(i));
  want.push_back(31);
  want.push_back(0x0B);
  EXPECT_EQ(Body(m, 0), want);
}

TEST(Wat, ReferenceInstructions) {
  Module m = Decode(R"((module
    (type $s (struct))
    (func (param anyref) (result i32)
      (drop (ref.test (ref $s) (local.get 0)))
      (drop (ref.cast (ref null $s) (local.get 0)))
      (drop (block $l (result anyref)
        (br_on_cast $l anyref (ref $s) (local.get 0))))
      (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))))");
  EXPECT_EQ(Body(m, 0), Bytes({0x20, 0x00, 0xFB, 0x14, 0x00, 0x1A,  // ref.test (ref $s)
                               0x20, 0x00, 0xFB, 0x17, 0x00, 0x1A,  // ref.cast null
                               0x02, 0x6E, 0x20, 0x00, 0xFB, 0x18, 0x01, 0x00, 0x6E, 0x00, 0x0B,
                               0x1A, 0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1C, 0x01, 0x7F, 0x0B}));
}

TEST(Wat, LabelsByIdAndDepth) {
  Module m = Decode(
      "(func (block $outer (loop $inner (br_if $inner (i32.const 0)) (br $outer) "
      "(br_table $inner $outer 0 (i32.const 1)))))");
  EXPECT_EQ(Body(m, 0), Bytes({0x02, 0x40, 0x03, 0x40, 0x41, 0x00, 0x0D, 0x00, 0x0C, 0x01,
                               0x41, 0x01, 0x0E, 0x02, 0x00, 0x01, 0x00, 0x0B, 0x0B, 0x0B}));
  // Flat blocks repeat their label at end/else.
  Encode("(func block $b end $b i32.const 0 if $i else $i end $i)");
}

TEST(Wat, TryTableAndTags) {
  Module m = Decode(R"((module
    (tag $e (param i32))
    (func (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (catch_all 0)
          (throw $e (i32.const 1)))
        (i32.const 0)))))");
  ASSERT_EQ(m.tags.size(), 1u);
  EXPECT_EQ(Body(m, 0), Bytes({0x02, 0x7F, 0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x41,
                               0x01, 0x08, 0x00, 0x0B, 0x41, 0x00, 0x0B, 0x0B}));
}

TEST(Wat, LegacyTryCatchAndDelegate) {
  auto r = WatToBinary(R"((module (tag $e)
    (func (try $t (do (try (do nop) (delegate $t))) (catch $e) (catch_all))
      try nop catch $e rethrow 0 end)))",
                       "t.wat");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  wasm::ReadOptions ro;
  ro.features.set(wasm::Feature::kLegacyExceptions);
  auto m = wasm::ReadModule(*r, ro);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(Body(*m, 0), Bytes({0x06, 0x40, 0x06, 0x40, 0x01, 0x18, 0x00, 0x07, 0x00, 0x19,
                                0x0B, 0x06, 0x40, 0x01, 0x07, 0x00, 0x09, 0x00, 0x0B, 0x0B}));
}

TEST(Wat, CallIndirectTypeUses) {
  Module m = Decode(R"((module
    (type $v (func))
    (table $t 1 funcref)
    (func (param i32)
      (call_indirect (type $v) (i32.const 0))
      (call_indirect $t (param i32) (local.get 0) (i32.const 0))
      (return_call_indirect (type $v) (param) (i32.const 0)))))");
  // (param i32) -> [] is type 1, the function's own type.
  EXPECT_EQ(Body(m, 0), Bytes({0x41, 0x00, 0x11, 0x00, 0x00, 0x20, 0x00, 0x41, 0x00, 0x11, 0x01,
                               0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0B}));
}

TEST(Wat, Memory64AndTable64) {
  Module m = Decode(
      "(memory i64 1) (table i64 1 funcref) "
      "(func (drop (i64.load offset=0x100000000 (i64.const 0))) (drop (table.size 0)))");
  EXPECT_EQ(m.memories[0].type.addr, wasm::AddrType::kI64);
  EXPECT_EQ(m.tables[0].type.addr, wasm::AddrType::kI64);
  EXPECT_TRUE(wasm::ValidateModule(m).ok());
}

TEST(Wat, LargeLimitsAreJustNumbers) {
  auto bytes = Encode("(memory 4294967295) (table 0xffff_ffff funcref)");
  EXPECT_FALSE(bytes.empty());
  EXPECT_LT(bytes.size(), 64u);
}

TEST(Wat, ErrorsAreMalformedWithLocations) {
  Error e = EncodeError("(func\n  (br $nope))");
  EXPECT_EQ(e.location, "test.wat:2:7");
  EXPECT_EQ(e.message.rfind("unknown label", 0), 0u) << e.message;

  EXPECT_EQ(EncodeError("(func (call $f))").message.rfind("unknown function", 0), 0u);
  EXPECT_EQ(EncodeError("(func (local.get $x))").message.rfind("unknown local", 0), 0u);
  EXPECT_EQ(EncodeError("(func (type $t))").message.rfind("unknown type", 0), 0u);
  EXPECT_EQ(EncodeError("(func $f) (func $f)").message.rfind("duplicate func", 0), 0u);
  EXPECT_EQ(EncodeError("(func (param $a i32) (local $a i32))").message.rfind("duplicate local", 0),
            0u);
  EXPECT_EQ(EncodeError("(type (struct (field $x i32) (field $x i32)))")
                .message.rfind("duplicate field", 0),
            0u);
  EXPECT_EQ(EncodeError("(type $t (func)) (func (type $t) (param i32))")
                .message.rfind("inline function type", 0),
            0u);
  EXPECT_EQ(EncodeError("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))")
                .message.rfind("alignment", 0),
            0u);
  EXPECT_EQ(EncodeError("(func (drop (i32.const 0x100000000)))")
                .message.rfind("constant out of range", 0),
            0u);
  EXPECT_EQ(EncodeError("(func (drop (f32.const 1e39)))").message.rfind("constant out of range", 0),
            0u);
  EXPECT_EQ(EncodeError("(func block $a end $b)").message.rfind("mismatching label", 0), 0u);
  EXPECT_EQ(EncodeError("(func) (import \"a\" \"b\" (func))").message, "import after function");
  EXPECT_EQ(EncodeError("(global i32 (i32.const 0)) (memory (import \"a\" \"b\") 1)").message,
            "import after global");
  EXPECT_EQ(EncodeError("(func (i32.foo))").message.rfind("unknown operator", 0), 0u);
  EXPECT_EQ(EncodeError("(func (result i32) (param i32))").message.rfind("unexpected token", 0),
            0u);
  EXPECT_EQ(EncodeError("(func (v128.const i32x4 1 2 3))").message,
            "wrong number of lane literals");
  EXPECT_EQ(EncodeError("(start 0) (start 0) (func)").message, "multiple start sections");
  EXPECT_EQ(EncodeError("(export \"\\ff\" (func 0)) (func)").message, "malformed UTF-8 encoding");
  EncodeError("(func (block)");
  EncodeError("(module (func)) (func)");
  EncodeError("(func (if (i32.const 0)))");  // folded if without (then)
  EncodeError("(func end)");
}

TEST(Wat, NumericIndicesAreNotCheckedHere) {
  // Out-of-range numeric indices are a validation matter, not a text one.
  Module m = Decode("(func (call 7) (drop (global.get 3))) (func (type 9))");
  EXPECT_EQ(m.funcs[1].type_index, 9u);
  EXPECT_FALSE(wasm::ValidateModule(m).ok());
}

TEST(Wat, DeepFoldedNestingDoesNotRecurse) {
  constexpr int kDepth = 100000;
  std::string wat = "(func (result i32)";
  for (int i = 0; i < kDepth; ++i) wat += "(i32.eqz ";
  wat += "(i32.const 0)";
  wat.append(kDepth, ')');
  wat += ")";
  auto bytes = Encode(wat);
  EXPECT_GT(bytes.size(), static_cast<size_t>(kDepth));

  std::string blocks = "(func";
  for (int i = 0; i < kDepth; ++i) blocks += "(block ";
  blocks.append(kDepth, ')');
  blocks += ")";
  EXPECT_FALSE(Encode(blocks).empty());

  std::string flat = "(func";
  for (int i = 0; i < kDepth; ++i) flat += " block";
  for (int i = 0; i < kDepth; ++i) flat += " end";
  flat += ")";
  EXPECT_FALSE(Encode(flat).empty());

  // Unbalanced deep input fails cleanly.
  std::string open = "(func";
  for (int i = 0; i < kDepth; ++i) open += "(block ";
  EncodeError(open);
}

}  // namespace
}  // namespace wt::text
