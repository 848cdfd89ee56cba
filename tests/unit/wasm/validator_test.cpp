#include "wasm/validator.h"

#include <gtest/gtest.h>

#include "validator_test_util.h"
#include "wasm/code_reader.h"
#include "wasm/func_validator.h"

namespace wt::wasm {
namespace {

using testing::Outcome;
using testing::TestModule;

const ValType kI32 = ValType::I32();
const ValType kI64 = ValType::I64();
const ValType kF32 = ValType::F32();

// A module with one function of type `params -> results`, body `body`.
std::string Body(std::vector<ValType> params, std::vector<ValType> results,
                 const std::vector<uint8_t>& body, std::vector<LocalDecl> locals = {},
                 Features f = Features::Wasm20()) {
  TestModule t;
  t.AddMemory(1);
  uint32_t ty = t.Type(std::move(params), std::move(results));
  t.AddFunc(ty, body, std::move(locals));
  return Outcome(t.Validate(f));
}

TEST(Validator, EmptyModuleIsValid) {
  TestModule t;
  EXPECT_EQ(Outcome(t.Validate()), "ok");
}

TEST(Validator, Numeric) {
  EXPECT_EQ(Body({kI32, kI32}, {kI32}, {0x20, 0, 0x20, 1, 0x6A, 0x0B}), "ok");
  EXPECT_EQ(Body({kI32, kI64}, {kI32}, {0x20, 0, 0x20, 1, 0x6A, 0x0B}).substr(0, 13),
            "type mismatch");
  // Missing operand.
  EXPECT_EQ(Body({kI32}, {kI32}, {0x20, 0, 0x6A, 0x0B}).substr(0, 13), "type mismatch");
  // Value left over at the end.
  EXPECT_EQ(Body({}, {}, {0x41, 1, 0x0B}).substr(0, 13), "type mismatch");
  // Missing result.
  EXPECT_EQ(Body({}, {kI32}, {0x0B}).substr(0, 13), "type mismatch");
}

TEST(Validator, Locals) {
  EXPECT_EQ(Body({kI32}, {}, {0x20, 1, 0x1A, 0x0B}), "unknown local 1");
  EXPECT_EQ(Body({kI32}, {kI64}, {0x20, 1, 0x0B}, {{2, kI64}}), "ok");
  EXPECT_EQ(Body({kI32}, {kF32}, {0x20, 2, 0x0B}, {{2, kI64}}).substr(0, 13), "type mismatch");
  // A huge local count is run-length: no allocation per local.
  EXPECT_EQ(Body({}, {kF32}, {0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0x0E, 0x0B},
                 {{0x7FFFFFFF, kI64}, {0x7FFFFFFF, kF32}}),
            "ok");
  EXPECT_EQ(Body({}, {}, {0x41, 0, 0x22, 0, 0x21, 0, 0x0B}, {{1, kI32}}), "ok");
}

TEST(Validator, UnreachableIsPolymorphic) {
  // unreachable; i32.add -> i32
  EXPECT_EQ(Body({}, {kI32}, {0x00, 0x6A, 0x0B}), "ok");
  // unreachable; i64.const; i32.add -> type mismatch (the known operand is wrong)
  EXPECT_EQ(Body({}, {kI32}, {0x00, 0x42, 0, 0x6A, 0x0B}).substr(0, 13), "type mismatch");
  // br 0 then anything typed.
  EXPECT_EQ(Body({}, {kI32}, {0x41, 1, 0x0C, 0, 0x1A, 0x1A, 0x0B}), "ok");
  // select with unknown operands yields the known one.
  EXPECT_EQ(Body({}, {kI32}, {0x00, 0x41, 1, 0x1B, 0x0B}), "ok");
  EXPECT_EQ(Body({}, {kI32}, {0x00, 0x42, 1, 0x1B, 0x0B}).substr(0, 13), "type mismatch");
}

TEST(Validator, Blocks) {
  // block (result i32) i32.const 1 end
  EXPECT_EQ(Body({}, {kI32}, {0x02, 0x7F, 0x41, 1, 0x0B, 0x0B}), "ok");
  EXPECT_EQ(Body({}, {kI32}, {0x02, 0x7F, 0x0B, 0x0B}).substr(0, 13), "type mismatch");
  // if without else must have matching params/results.
  EXPECT_EQ(Body({}, {kI32}, {0x41, 1, 0x04, 0x7F, 0x41, 1, 0x0B, 0x0B}).substr(0, 13),
            "type mismatch");
  EXPECT_EQ(Body({}, {kI32}, {0x41, 1, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x0B}), "ok");
  // Labels.
  EXPECT_EQ(Body({}, {}, {0x02, 0x40, 0x0C, 2, 0x0B, 0x0B}), "unknown label 2");
  EXPECT_EQ(Body({}, {}, {0x03, 0x40, 0x0C, 0, 0x0B, 0x0B}), "ok");
  // br_if keeps the label types on the stack.
  EXPECT_EQ(Body({}, {kI32}, {0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0D, 0, 0x0B, 0x0B}), "ok");
}

TEST(Validator, BrTable) {
  // block (result i32) block i32.const 1 i32.const 0 br_table 0 1 end end: arity differs.
  std::vector<uint8_t> mismatch = {0x02, 0x7F, 0x02, 0x40, 0x41, 1,    0x41, 0,
                                   0x0E, 1,    0,    1,    0x0B, 0x00, 0x0B, 0x0B};
  EXPECT_EQ(Body({}, {kI32}, mismatch).substr(0, 13), "type mismatch");
  std::vector<uint8_t> good = {0x02, 0x7F, 0x41, 1, 0x41, 0, 0x0E, 1, 0, 0, 0x0B, 0x0B};
  EXPECT_EQ(Body({}, {kI32}, good), "ok");
  // Unreachable: the targets still must agree in arity.
  std::vector<uint8_t> poly = {0x02, 0x7F, 0x02, 0x40, 0x00, 0x0E, 1, 0, 1, 0x0B, 0x00, 0x0B, 0x0B};
  EXPECT_EQ(Body({}, {kI32}, poly).substr(0, 13), "type mismatch");
}

TEST(Validator, MemoryImmediates) {
  // i32.load align=2 (natural) / align=3 (too large)
  EXPECT_EQ(Body({}, {kI32}, {0x41, 0, 0x28, 2, 0, 0x0B}), "ok");
  EXPECT_EQ(Body({}, {kI32}, {0x41, 0, 0x28, 3, 0, 0x0B}),
            "alignment must not be larger than natural");
  TestModule t;
  uint32_t ty = t.Type({}, {kI32});
  t.AddFunc(ty, {0x41, 0, 0x28, 2, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown memory 0");
}

TEST(Validator, SimdImmediates) {
  // v128.const 0; i8x16.extract_lane_s 15 / 16
  std::vector<uint8_t> body = {0xFD, 0x0C};
  body.insert(body.end(), 16, 0);
  auto with = [&](std::vector<uint8_t> tail) {
    std::vector<uint8_t> b = body;
    b.insert(b.end(), tail.begin(), tail.end());
    return b;
  };
  EXPECT_EQ(Body({}, {kI32}, with({0xFD, 0x15, 15, 0x0B})), "ok");
  EXPECT_EQ(Body({}, {kI32}, with({0xFD, 0x15, 16, 0x0B})), "invalid lane index");
  // i8x16.shuffle with a lane >= 32
  std::vector<uint8_t> shuffle = with(body);
  shuffle.push_back(0xFD);
  shuffle.push_back(0x0D);
  for (int i = 0; i < 16; ++i) shuffle.push_back(i == 3 ? 32 : i);
  shuffle.push_back(0x0B);
  EXPECT_EQ(Body({}, {ValType::V128()}, shuffle), "invalid lane index");
  shuffle[shuffle.size() - 1 - 16 + 3] = 31;
  EXPECT_EQ(Body({}, {ValType::V128()}, shuffle), "ok");
}

TEST(Validator, Select) {
  EXPECT_EQ(Body({}, {kI32}, {0x41, 1, 0x41, 2, 0x41, 0, 0x1B, 0x0B}), "ok");
  // Untyped select on references is invalid; typed select is fine.
  EXPECT_EQ(Body({}, {}, {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A, 0x0B}).substr(0, 13),
            "type mismatch");
  EXPECT_EQ(Body({}, {}, {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1C, 1, 0x70, 0x1A, 0x0B}), "ok");
  EXPECT_EQ(Body({}, {}, {0x41, 0, 0x41, 0, 0x41, 0, 0x1C, 0, 0x1A, 0x0B}), "invalid result arity");
}

TEST(Validator, RefFuncNeedsDeclaration) {
  TestModule t;
  uint32_t ty = t.Type({}, {});
  t.AddFunc(ty, {0xD2, 0, 0x1A, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "undeclared function reference 0");
  t.DeclareRef(0);
  EXPECT_EQ(Outcome(t.Validate()), "ok");
}

TEST(Validator, Globals) {
  TestModule t;
  uint32_t imported = t.ImportGlobal(kI32, false);
  t.AddGlobal(kI32, true, {0x23, static_cast<uint8_t>(imported), 0x0B});
  uint32_t ty = t.Type({}, {});
  t.AddFunc(ty, {0x41, 0, 0x24, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "global is immutable 0");
  EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "immutable global 0");
  t.m.codes[0].body = t.Bytes({0x41, 0, 0x24, 1, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "ok");
}

TEST(Validator, ConstantExpressions) {
  {
    TestModule t;
    t.AddGlobal(kI32, false, {0x41, 1, 0x41, 2, 0x6A, 0x0B});
    EXPECT_EQ(Outcome(t.Validate()), "constant expression required");
    EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");  // extended-const
  }
  {
    // 2.0: only imported globals; 3.0: earlier globals.
    TestModule t;
    t.AddGlobal(kI32, false, {0x41, 1, 0x0B});
    t.AddGlobal(kI32, false, {0x23, 0, 0x0B});
    EXPECT_EQ(Outcome(t.Validate()), "unknown global 0");
    EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");
  }
  {
    TestModule t;
    t.ImportGlobal(kI32, true);
    t.AddGlobal(kI32, false, {0x23, 0, 0x0B});
    EXPECT_EQ(Outcome(t.Validate()), "constant expression required");
  }
  {
    TestModule t;
    t.AddGlobal(kI64, false, {0x41, 1, 0x0B});
    EXPECT_EQ(Outcome(t.Validate()).substr(0, 13), "type mismatch");
    t.m.globals[0].init = t.Expr({0x42, 1, 0x42, 1, 0x0B});
    EXPECT_EQ(Outcome(t.Validate()).substr(0, 13), "type mismatch");
  }
}

TEST(Validator, ModuleLevel) {
  {
    TestModule t;
    t.AddMemory(1);
    t.AddMemory(1);
    EXPECT_EQ(Outcome(t.Validate()), "multiple memories");
    EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");
  }
  {
    TestModule t;
    t.AddMemory(65537);
    EXPECT_EQ(Outcome(t.Validate()), "memory size must be at most 65536 pages (4GiB)");
    t.m.memories[0].type.limits = Limits{2, 1};
    EXPECT_EQ(Outcome(t.Validate()), "size minimum must not be greater than maximum");
    t.m.memories[0].type.limits = Limits{uint64_t{1} << 48, std::nullopt};
    t.m.memories[0].type.addr = AddrType::kI64;
    EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");
  }
  {
    TestModule t;
    uint32_t ty = t.Type({}, {});
    uint32_t f = t.AddFunc(ty, {0x0B});
    t.AddExport("a", ExternKind::kFunc, f);
    t.AddExport("a", ExternKind::kFunc, f);
    EXPECT_EQ(Outcome(t.Validate()), "duplicate export name");
    t.m.exports[1].name = "b";
    t.m.exports[1].index = 3;
    EXPECT_EQ(Outcome(t.Validate()), "unknown function 3");
  }
  {
    TestModule t;
    uint32_t ty = t.Type({kI32}, {});
    t.AddFunc(ty, {0x0B});
    t.m.start = 0;
    EXPECT_EQ(Outcome(t.Validate()).substr(0, 14), "start function");
    t.m.start = 5;
    EXPECT_EQ(Outcome(t.Validate()), "unknown function 5");
  }
  {
    TestModule t;
    DataSegment d;
    d.offset = t.Expr({0x41, 0, 0x0B});
    t.m.datas.push_back(d);
    EXPECT_EQ(Outcome(t.Validate()), "unknown memory 0");
    t.AddMemory(1);
    EXPECT_EQ(Outcome(t.Validate()), "ok");
  }
  {
    TestModule t;
    ElemSegment e;
    e.offset = t.Expr({0x41, 0, 0x0B});
    t.m.elems.push_back(e);
    EXPECT_EQ(Outcome(t.Validate()), "unknown table 0");
    t.AddTable(ValType::ExternRef(), 1);
    EXPECT_EQ(Outcome(t.Validate()).substr(0, 13), "type mismatch");
    t.m.tables[0].type.elem = ValType::FuncRef();
    EXPECT_EQ(Outcome(t.Validate()), "ok");
  }
}

TEST(Validator, BulkAndTables) {
  TestModule t;
  t.AddMemory(1);
  t.AddTable(ValType::FuncRef(), 1);
  t.AddTable(ValType::ExternRef(), 1);
  uint32_t ty = t.Type({}, {});
  // table.copy 0 1: externref into funcref
  t.AddFunc(ty, {0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0E, 0, 1, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()).substr(0, 13), "type mismatch");
  t.m.codes[0].body = t.Bytes({0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x0E, 1, 1, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "ok");
  // data.drop 0 without data segments
  t.m.codes[0].body = t.Bytes({0xFC, 0x09, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown data segment 0");
  t.m.data_count = 1;
  DataSegment d;
  d.mode = SegmentMode::kPassive;
  t.m.datas.push_back(d);
  EXPECT_EQ(Outcome(t.Validate()), "ok");
  // table.get on table 2
  t.m.codes[0].body = t.Bytes({0x41, 0, 0x25, 2, 0x1A, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown table 2");
  // elem.drop 0 without elem segments
  t.m.codes[0].body = t.Bytes({0xFC, 0x0D, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown elem segment 0");
}

TEST(Validator, Calls) {
  TestModule t;
  uint32_t t_ii = t.Type({kI32}, {kI32});
  uint32_t t_v = t.Type({}, {kI32});
  t.AddFunc(t_ii, {0x20, 0, 0x0B});
  t.AddFunc(t_v, {0x41, 1, 0x10, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "ok");
  t.m.codes[1].body = t.Bytes({0x42, 1, 0x10, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()).substr(0, 13), "type mismatch");
  t.m.codes[1].body = t.Bytes({0x41, 1, 0x10, 7, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown function 7");
  // call_indirect without a table.
  t.m.codes[1].body = t.Bytes({0x41, 1, 0x41, 0, 0x11, 0, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown table 0");
  t.AddTable(ValType::FuncRef(), 1);
  EXPECT_EQ(Outcome(t.Validate()), "ok");
  t.m.codes[1].body = t.Bytes({0x41, 1, 0x41, 0, 0x11, 9, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate()), "unknown type 9");
  // Tail calls (3.0): results must match the caller's.
  t.m.codes[1].body = t.Bytes({0x41, 1, 0x12, 0, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");
  t.m.codes[0].body = t.Bytes({0x12, 1, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())), "ok");
  uint32_t t_l = t.Type({}, {kI64});
  t.AddFunc(t_l, {0x42, 0, 0x0B});
  t.m.codes[1].body = t.Bytes({0x12, 2, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(Features::Wasm30())).substr(0, 13), "type mismatch");
}

TEST(Validator, NonDefaultableLocals) {
  TestModule t;
  uint32_t ft = t.Type({}, {});
  ValType r = testing::Ref(ft, false);
  uint32_t ty = t.Type({}, {});
  t.DeclareRef(0);
  // local.get before local.set
  t.AddFunc(ty, {0x20, 0, 0x1A, 0x0B}, {{1, r}});
  auto f30 = Features::Wasm30();
  EXPECT_EQ(Outcome(t.Validate(f30)), "uninitialized local 0");
  // ref.func 0; local.set 0; local.get 0
  t.m.codes[0].body = t.Bytes({0xD2, 0, 0x21, 0, 0x20, 0, 0x1A, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(f30)), "ok");
  // Set inside a block does not survive the block's end.
  t.m.codes[0].body = t.Bytes({0x02, 0x40, 0xD2, 0, 0x21, 0, 0x0B, 0x20, 0, 0x1A, 0x0B});
  EXPECT_EQ(Outcome(t.Validate(f30)), "uninitialized local 0");
  // Many non-defaultable locals: the set grows.
  std::vector<uint8_t> body;
  for (uint8_t i = 0; i < 100; ++i) {
    body.insert(body.end(), {0xD2, 0, 0x21, i});
  }
  for (uint8_t i = 0; i < 100; ++i) body.insert(body.end(), {0x20, i, 0x1A});
  body.push_back(0x0B);
  t.m.codes[0].body = t.Bytes(body);
  t.SetLocals(0, {{100, r}});
  EXPECT_EQ(Outcome(t.Validate(f30)), "ok");
}

TEST(FuncValidator, ExposesStateToTheConsumer) {
  TestModule t;
  uint32_t ty = t.Type({kI32}, {kI32});
  // block (result i32) local.get 0 br_if 0 ... end
  t.AddFunc(ty, {0x02, 0x7F, 0x20, 0, 0x20, 0, 0x0D, 0, 0x0B, 0x0B}, {{0xFFFFFFF0u, kI64}});
  TypeContext types;
  ASSERT_EQ(Outcome(ValidateModuleDecls(t.m, {Features::Wasm20()}, &types)), "ok");
  FuncValidator v(types, Features::Wasm20());
  ASSERT_TRUE(v.Begin(0, t.m.codes[0]).ok());
  EXPECT_EQ(v.num_locals(), 0xFFFFFFF1u);
  EXPECT_EQ(v.local_type(0), kI32);
  EXPECT_EQ(v.local_type(1), kI64);
  EXPECT_EQ(v.local_type(0xFFFFFFF0u), kI64);
  CodeReader r(t.m.Slice(t.m.codes[0].body), t.m.codes[0].body.offset, Features::Wasm20());
  Instr in;
  int step = 0;
  while (!r.AtEnd()) {
    ASSERT_TRUE(r.Next(&in).ok());
    ASSERT_TRUE(v.Step(in).ok()) << step;
    switch (step++) {
      case 0:
        EXPECT_EQ(v.control_depth(), 2u);
        EXPECT_EQ(v.top_frame().kind, FrameKind::kBlock);
        EXPECT_EQ(v.top_frame().results().size(), 1u);
        break;
      case 2:
        EXPECT_EQ(v.operand_stack().size(), 2u);
        break;
      case 3:  // br_if 0
        ASSERT_NE(v.branch_target(), nullptr);
        EXPECT_EQ(v.branch_target(), &v.frame(0));
        EXPECT_EQ(v.operand_stack().size(), 1u);
        break;
      case 4:  // end
        EXPECT_EQ(v.last_popped().kind, FrameKind::kBlock);
        EXPECT_EQ(v.control_depth(), 1u);
        break;
      default:
        break;
    }
  }
  ASSERT_TRUE(v.Finish().ok());
  EXPECT_EQ(v.max_stack_height(), 2u);
  EXPECT_EQ(v.max_control_depth(), 2u);
}

}  // namespace
}  // namespace wt::wasm

namespace wt::wasm {
namespace {

TEST(Validator, MvpHasNoMultiValue) {
  Features mvp;
  mvp.set(Feature::kMvp);
  testing::TestModule t;
  t.Type({ValType::I32()}, {ValType::I32(), ValType::I32()});
  EXPECT_EQ(testing::Outcome(t.Validate(mvp)), "invalid result arity");
  EXPECT_EQ(testing::Outcome(t.Validate()), "ok");
  testing::TestModule b;
  uint32_t multi = b.Type({ValType::I32()}, {ValType::I32()});
  uint32_t ty = b.Type({}, {});
  // i32.const 0; block (type 0) end; drop
  b.AddFunc(ty, {0x41, 0, 0x02, static_cast<uint8_t>(multi), 0x0B, 0x1A, 0x0B});
  EXPECT_NE(testing::Outcome(b.Validate(mvp)), "ok");  // the decoder already rejects it
  EXPECT_EQ(testing::Outcome(b.Validate()), "ok");
}

}  // namespace
}  // namespace wt::wasm

namespace wt::wasm {
namespace {

TEST(Validator, HostileShapesStayIterative) {
  // 200k nested blocks, each closed: no recursion, control stack grows and shrinks.
  std::vector<uint8_t> body;
  constexpr int kDepth = 200000;
  for (int i = 0; i < kDepth; ++i) body.insert(body.end(), {0x02, 0x40});
  body.insert(body.end(), {0x0C});  // br to the outermost block
  testing::Uleb(&body, kDepth - 1);
  for (int i = 0; i < kDepth; ++i) body.push_back(0x0B);
  body.push_back(0x0B);
  testing::TestModule t;
  uint32_t ty = t.Type({}, {});
  t.AddFunc(ty, body);
  TypeContext types;
  ASSERT_EQ(testing::Outcome(ValidateModuleDecls(t.m, {Features::Wasm20()}, &types)), "ok");
  FuncValidator v(types, Features::Wasm20());
  ASSERT_EQ(testing::Outcome(ValidateFunctionBody(v, 0)), "ok");
  EXPECT_EQ(v.max_control_depth(), static_cast<uint32_t>(kDepth + 1));
  // A br_table with 100k targets.
  std::vector<uint8_t> table = {0x02, 0x40, 0x41, 0, 0x0E};
  testing::Uleb(&table, 100000);
  table.insert(table.end(), 100000, 0);
  table.insert(table.end(), {1, 0x0B, 0x0B});
  t.m.codes[0].body = t.Bytes(table);
  EXPECT_EQ(testing::Outcome(t.Validate()), "ok");
}

}  // namespace
}  // namespace wt::wasm
