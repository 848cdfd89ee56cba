// Wasm 3.0 instructions: typed function references, tail calls, exceptions, GC.
#include <gtest/gtest.h>

#include "validator_test_util.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using testing::AbsRef;
using testing::Outcome;
using testing::Ref;
using testing::TestModule;

const Features kW3 = Features::Wasm30();
const ValType kI32 = ValType::I32();
const ValType kI64 = ValType::I64();

FieldType Field(ValType t, bool mut = false, Packed p = Packed::kNone) {
  return FieldType{StorageType{p == Packed::kNone ? t : kI32, p}, mut};
}

// Replaces function 0's body and validates under Wasm 3.0.
std::string With(TestModule& t, std::vector<uint8_t> body) {
  t.m.codes[0].body = t.Bytes(body);
  return Outcome(t.Validate(kW3));
}

TEST(ValidatorWasm3, FunctionReferences) {
  TestModule t;
  uint32_t ft = t.Type({kI32}, {kI32});
  uint32_t caller = t.Type({Ref(ft, true)}, {kI32});
  t.AddFunc(caller, {0x0B});
  // i32.const 1; local.get 0; call_ref $ft
  EXPECT_EQ(With(t, {0x41, 1, 0x20, 0, 0x14, 0, 0x0B}), "ok");
  // call_ref with a non-function type index.
  uint32_t st = t.Struct({});
  EXPECT_EQ(With(t, {0x41, 1, 0x20, 0, 0x14, static_cast<uint8_t>(st), 0x0B}).substr(0, 12),
            "unknown type");
  // return_call_ref: results must match.
  EXPECT_EQ(With(t, {0x41, 1, 0x20, 0, 0x15, 0, 0x0B}), "ok");
  // ref.as_non_null then local.get type; br_on_null 0 with the function's label [i32].
  EXPECT_EQ(With(t, {0x41, 7, 0x20, 0, 0xD5, 0, 0x1A, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x20, 0, 0xD5, 0, 0x1A, 0x41, 0, 0x0B}).substr(0, 13), "type mismatch");
  // br_on_non_null needs a reference as the label's last type.
  EXPECT_EQ(With(t, {0x20, 0, 0xD6, 0, 0x41, 0, 0x0B}).substr(0, 13), "type mismatch");
  // Unreachable: ref.as_non_null of an unknown operand is (ref bot), usable as any ref.
  EXPECT_EQ(With(t, {0x00, 0xD4, 0x41, 0, 0x6A, 0x0B}).substr(0, 13), "type mismatch");
  EXPECT_EQ(With(t, {0x00, 0x41, 0, 0x00, 0xD4, 0x14, 0, 0x0B}), "ok");
}

TEST(ValidatorWasm3, Exceptions) {
  TestModule t;
  uint32_t tag_ty = t.Type({kI32}, {});
  t.m.tags.push_back(Tag{TagType{tag_ty}, false});
  uint32_t fty = t.Type({}, {kI32});
  t.AddFunc(fty, {0x0B});
  // throw 0 with an i32 / without.
  EXPECT_EQ(With(t, {0x41, 1, 0x08, 0, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x08, 0, 0x0B}), "type mismatch: instruction requires [i32] but stack has []");
  EXPECT_EQ(With(t, {0x08, 1, 0x0B}), "unknown tag 1");
  // block (result i32) try_table (catch 0 0) ... end end: the tag's [i32] goes to label 0.
  EXPECT_EQ(With(t, {0x02, 0x7F, 0x1F, 0x40, 1, 0x00, 0, 0, 0x0B, 0x41, 0, 0x0B, 0x0B}), "ok");
  // catch_ref delivers [i32 exnref]: label 0 carries only [i32].
  EXPECT_EQ(
      With(t, {0x02, 0x7F, 0x1F, 0x40, 1, 0x01, 0, 0, 0x0B, 0x41, 0, 0x0B, 0x0B}).substr(0, 13),
      "type mismatch");
  // catch_all to a label of [i32].
  EXPECT_EQ(With(t, {0x02, 0x7F, 0x1F, 0x40, 1, 0x02, 0, 0x0B, 0x41, 0, 0x0B, 0x0B}).substr(0, 13),
            "type mismatch");
  // throw_ref needs an exnref.
  EXPECT_EQ(With(t, {0x41, 0, 0x0A, 0x0B}).substr(0, 13), "type mismatch");
  EXPECT_EQ(With(t, {0xD0, 0x69, 0x0A, 0x0B}), "ok");
  // A tag type with results.
  TestModule bad;
  uint32_t r = bad.Type({}, {kI32});
  bad.m.tags.push_back(Tag{TagType{r}, false});
  EXPECT_EQ(Outcome(bad.Validate(kW3)), "non-empty tag result type");
}

TEST(ValidatorWasm3, Structs) {
  TestModule t;
  uint32_t st = t.Struct({Field(kI32, true), Field(kI32, false, Packed::kI8)});
  uint32_t fty = t.Type({Ref(st, true)}, {kI32});
  t.AddFunc(fty, {0x0B});
  uint8_t s = static_cast<uint8_t>(st);
  // struct.get $st 0 / struct.get_s $st 1 / struct.get $st 1 (packed: invalid)
  EXPECT_EQ(With(t, {0x20, 0, 0xFB, 0x02, s, 0, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x20, 0, 0xFB, 0x03, s, 1, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x20, 0, 0xFB, 0x02, s, 1, 0x0B}).substr(0, 13), "type mismatch");
  EXPECT_EQ(With(t, {0x20, 0, 0xFB, 0x02, s, 2, 0x0B}), "unknown field 2");
  // struct.set on the immutable field.
  EXPECT_EQ(With(t, {0x20, 0, 0x41, 1, 0xFB, 0x05, s, 1, 0x41, 0, 0x0B}), "immutable field 1");
  // struct.new $st (i32, i32) -> (ref $st); ref.test / ref.cast
  EXPECT_EQ(With(t, {0x41, 1, 0x41, 2, 0xFB, 0x00, s, 0xFB, 0x14, s, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x20, 0, 0xFB, 0x16, 0x6C, 0xFB, 0x1E, 0x0B}), "ok");  // cast to i31
  // ref.test of a func reference against a struct type: different hierarchies.
  EXPECT_EQ(With(t, {0xD0, 0x70, 0xFB, 0x14, s, 0x0B}).substr(0, 13), "type mismatch");
}

TEST(ValidatorWasm3, Arrays) {
  TestModule t;
  uint32_t mut = t.Array(Field(kI64, true));
  uint32_t imm = t.Array(Field(kI64, false));
  uint32_t bytes = t.Array(Field(kI32, true, Packed::kI8));
  uint32_t fty = t.Type({Ref(mut, true), Ref(imm, true)}, {});
  t.AddFunc(fty, {0x0B});
  // array.copy $mut $imm: ok; array.copy $imm $mut: immutable destination.
  std::vector<uint8_t> copy = {0x20, 0, 0x41, 0, 0x20, 1, 0x41, 0, 0x41, 0, 0xFB, 0x11};
  auto with_copy = [&](uint8_t dst, uint8_t src) {
    std::vector<uint8_t> b = copy;
    b.insert(b.end(), {dst, src, 0x0B});
    return b;
  };
  EXPECT_EQ(With(t, with_copy(0, 1)), "ok");
  t.m.types[fty].composite.func.params = {Ref(imm, true), Ref(mut, true)};
  EXPECT_EQ(With(t, with_copy(1, 0)), "immutable array");
  t.m.types[fty].composite.func.params = {Ref(bytes, true), Ref(imm, true)};
  EXPECT_EQ(With(t, with_copy(2, 1)), "array types do not match");
  // array.new_fixed $mut 3 with two operands; with three.
  EXPECT_EQ(With(t, {0x42, 1, 0x42, 2, 0xFB, 0x08, 0, 3, 0x1A, 0x0B}).substr(0, 13),
            "type mismatch");
  EXPECT_EQ(With(t, {0x42, 1, 0x42, 2, 0x42, 3, 0xFB, 0x08, 0, 3, 0x1A, 0x0B}), "ok");
  // In unreachable code a huge array.new_fixed is O(stack), not O(n).
  EXPECT_EQ(With(t, {0x00, 0xFB, 0x08, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x1A, 0x0B}), "ok");
}

TEST(ValidatorWasm3, BrOnCast) {
  TestModule t;
  uint32_t st = t.Struct({}, false);
  uint32_t fty = t.Type({AbsRef(HeapKind::kAny)}, {Ref(st, true)});
  t.AddFunc(fty, {0x0B});
  uint8_t s = static_cast<uint8_t>(st);
  // block (result (ref null $st)) local.get 0 br_on_cast 0 anyref (ref null $st) drop
  // ref.null none end
  std::vector<uint8_t> body = {0x02, 0x63, s, 0x20, 0,    0xFB, 0x18, 0x03,
                               0,    0x6E, s, 0x1A, 0xD0, 0x71, 0x0B, 0x0B};
  EXPECT_EQ(With(t, body), "ok");
  // br_on_cast_fail 0: the branch carries anyref, the label only (ref null $st).
  body[6] = 0x19;
  EXPECT_EQ(With(t, body).substr(0, 13), "type mismatch");
  // Cast to a type outside the source type's hierarchy.
  body[6] = 0x18;
  body[10] = 0x70;  // func
  EXPECT_EQ(With(t, body).substr(0, 13), "type mismatch");
}

TEST(ValidatorWasm3, GcConstantExpressions) {
  TestModule t;
  uint32_t st = t.Struct({Field(kI32)});
  uint8_t s = static_cast<uint8_t>(st);
  t.AddGlobal(Ref(st), false, {0x41, 5, 0xFB, 0x00, s, 0x0B});
  t.AddGlobal(AbsRef(HeapKind::kI31, false), false, {0x41, 5, 0xFB, 0x1C, 0x0B});
  t.AddGlobal(AbsRef(HeapKind::kExtern), false,
              {0x23, 1, 0xFB, 0x1B, 0x0B});  // extern.convert_any of global 1
  EXPECT_EQ(Outcome(t.Validate(kW3)), "ok");
  // struct.get is not constant.
  t.AddGlobal(kI32, false, {0x23, 0, 0xFB, 0x02, s, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(kW3)), "constant expression required");
}

TEST(ValidatorWasm3, Memory64AndMultiMemory) {
  TestModule t;
  t.AddMemory(1, std::nullopt, AddrType::kI64);
  t.AddMemory(1);
  uint32_t fty = t.Type({}, {kI32});
  t.AddFunc(fty, {0x0B});
  // i64 address for memory 0; i32 address for memory 1 (memarg flag bit 6 selects it).
  EXPECT_EQ(With(t, {0x42, 0, 0x28, 2, 0, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x41, 0, 0x28, 2, 0, 0x0B}).substr(0, 13), "type mismatch");
  EXPECT_EQ(With(t, {0x41, 0, 0x28, 0x42, 1, 0, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x41, 0, 0x28, 0x42, 2, 0, 0x0B}), "unknown memory 2");
  // memory.copy 1 0: mixed address types, the size is i32.
  EXPECT_EQ(With(t, {0x41, 0, 0x42, 0, 0x41, 0, 0xFC, 0x0A, 1, 0, 0x41, 0, 0x0B}), "ok");
  // A large offset needs a 64-bit memory.
  EXPECT_EQ(With(t, {0x42, 0, 0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0B}), "ok");
  EXPECT_EQ(With(t, {0x41, 0, 0x28, 0x42, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0B}),
            "offset out of range");
}

}  // namespace
}  // namespace wt::wasm
