#include <gtest/gtest.h>

#include <cstring>

#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Load;
using wasm::ValType;

class LinkerTest : public ::testing::Test {
 protected:
  void SetUp() override { DefineSpectest(linker_, store_); }

  Result<Instance*> Inst(std::string_view wat, Trap* trap = nullptr) {
    auto loaded = Load(wat);
    if (!loaded) return MakeError(ErrorKind::kMalformed, "load failed");
    return linker_.Instantiate(store_, loaded, trap);
  }
  void ExpectUnlinkable(std::string_view wat, std::string_view message) {
    auto r = Inst(wat);
    ASSERT_FALSE(r.ok()) << wat;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnlinkable) << r.error().ToString();
    EXPECT_NE(r.error().message.find(message), std::string::npos) << r.error().message;
  }
  void ExpectLinks(std::string_view wat) {
    auto r = Inst(wat);
    EXPECT_TRUE(r.ok()) << wat << ": " << r.error().ToString();
  }

  Store store_;
  Linker linker_;
};

TEST_F(LinkerTest, UnknownImport) {
  ExpectUnlinkable(R"((module (import "spectest" "nope" (func))))",
                   "unknown import: spectest::nope");
  ExpectUnlinkable(R"((module (import "nomodule" "print" (func))))", "unknown import");
}

TEST_F(LinkerTest, IncompatibleKinds) {
  ExpectUnlinkable(R"((module (import "spectest" "memory" (func))))", "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "print" (memory 1))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "table" (global i32))))",
                   "incompatible import type");
}

TEST_F(LinkerTest, FunctionTypes) {
  ExpectLinks(R"((module (import "spectest" "print_i32" (func (param i32)))))");
  ExpectLinks(R"((module (import "spectest" "print_f64_f64" (func (param f64 f64)))))");
  ExpectUnlinkable(R"((module (import "spectest" "print_i32" (func (param i64)))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "print_i32" (func (param i32) (result i32)))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "print" (func (param i32)))))",
                   "incompatible import type");
}

TEST_F(LinkerTest, TableLimits) {
  ExpectLinks(R"((module (import "spectest" "table" (table 0 funcref))))");
  ExpectLinks(R"((module (import "spectest" "table" (table 10 20 funcref))))");
  ExpectLinks(R"((module (import "spectest" "table" (table 5 25 funcref))))");
  ExpectUnlinkable(R"((module (import "spectest" "table" (table 11 funcref))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "table" (table 10 15 funcref))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "table" (table 10 externref))))",
                   "incompatible import type");
  // A table without a maximum does not match a declared maximum.
  wasm::TableType tt;
  tt.limits.min = 1;
  auto t = store_.NewTable(tt);
  ASSERT_TRUE(t.ok());
  linker_.Define("host", "t", *t);
  ExpectLinks(R"((module (import "host" "t" (table 1 funcref))))");
  ExpectUnlinkable(R"((module (import "host" "t" (table 1 100 funcref))))",
                   "incompatible import type");
}

TEST_F(LinkerTest, MemoryLimits) {
  ExpectLinks(R"((module (import "spectest" "memory" (memory 0))))");
  ExpectLinks(R"((module (import "spectest" "memory" (memory 1 2))))");
  ExpectLinks(R"((module (import "spectest" "memory" (memory 0 3))))");
  ExpectUnlinkable(R"((module (import "spectest" "memory" (memory 2))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "memory" (memory 1 1))))",
                   "incompatible import type");
}

TEST_F(LinkerTest, ImportedMemoryLimitsUseCurrentSize) {
  Memory* mem = linker_.Lookup("spectest", "memory")->memory();
  ASSERT_NE(mem, nullptr);
  ASSERT_EQ(mem->Grow(1), std::optional<uint64_t>(1));
  ExpectLinks(R"((module (import "spectest" "memory" (memory 2))))");
}

TEST_F(LinkerTest, GlobalTypes) {
  ExpectLinks(R"((module (import "spectest" "global_i32" (global i32))))");
  ExpectLinks(R"((module (import "spectest" "global_f64" (global f64))))");
  ExpectUnlinkable(R"((module (import "spectest" "global_i32" (global i64))))",
                   "incompatible import type");
  ExpectUnlinkable(R"((module (import "spectest" "global_i32" (global (mut i32)))))",
                   "incompatible import type");
  auto g = store_.NewGlobal(wasm::GlobalType{ValType::I32(), true}, Value::I32(1));
  ASSERT_TRUE(g.ok());
  linker_.Define("host", "mut", *g);
  ExpectLinks(R"((module (import "host" "mut" (global (mut i32)))))");
  ExpectUnlinkable(R"((module (import "host" "mut" (global i32))))", "incompatible import type");
}

TEST_F(LinkerTest, SpectestValues) {
  auto r = Inst(R"((module
      (import "spectest" "global_i32" (global $a i32))
      (import "spectest" "global_i64" (global $b i64))
      (import "spectest" "global_f32" (global $c f32))
      (import "spectest" "global_f64" (global $d f64))
      (import "spectest" "memory" (memory $m 1))
      (import "spectest" "table" (table $t 10 funcref))
      (global (export "a") i32 (global.get $a))
      (global (export "b") i64 (global.get $b))
      (global (export "c") f32 (global.get $c))
      (global (export "d") f64 (global.get $d))
      (export "mem" (memory $m)) (export "tab" (table $t))))");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  Instance& inst = **r;
  EXPECT_EQ(inst.GetGlobal("a")->Get().i32(), 666u);
  EXPECT_EQ(inst.GetGlobal("b")->Get().i64(), 666u);
  EXPECT_EQ(inst.GetGlobal("c")->Get().f32(), 666.6f);
  EXPECT_EQ(inst.GetGlobal("d")->Get().f64(), 666.6);
  Memory* mem = inst.GetMemory("mem");
  ASSERT_NE(mem, nullptr);
  EXPECT_EQ(mem->pages(), 1u);
  EXPECT_EQ(mem->max_pages(), 2u);
  Table* tab = inst.GetTable("tab");
  ASSERT_NE(tab, nullptr);
  EXPECT_EQ(tab->size(), 10u);
  EXPECT_EQ(tab->max_size(), 20u);
  EXPECT_EQ(inst.GetFunc("a"), nullptr);
  EXPECT_FALSE(inst.GetExport("nope").has_value());
}

TEST_F(LinkerTest, RegisterInstanceExports) {
  auto a = Inst(R"((module (memory (export "mem") 1 3) (global (export "g") (mut i64) (i64.const 7))
                            (data (i32.const 10) "hi")))");
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  linker_.DefineInstance("A", **a);
  auto b = Inst(R"((module (import "A" "mem" (memory 1 3)) (import "A" "g" (global (mut i64)))
                            (data (i32.const 12) "!") (export "m" (memory 0))
                            (export "g" (global 0))))");
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  Memory* mem = (*b)->GetMemory("m");
  EXPECT_EQ(mem, (*a)->GetMemory("mem"));
  EXPECT_EQ(std::memcmp(mem->data() + 10, "hi!", 3), 0);
  EXPECT_EQ((*b)->GetGlobal("g"), (*a)->GetGlobal("g"));
  ASSERT_TRUE((*a)->GetGlobal("g")->Set(Value::I64(9)).ok());
  EXPECT_EQ((*b)->GetGlobal("g")->Get().i64(), 9u);
  // The importer's vmctx points at the exporter's cells and memory.
  EXPECT_EQ((*b)->vmctx()->globals[0], (*a)->GetGlobal("g")->cell());
  EXPECT_EQ((*b)->vmctx()->memories[0], mem->vm());
  EXPECT_EQ((*b)->vmctx()->mem0_base, mem->data());
}

TEST_F(LinkerTest, DataSegmentsApplyInOrderAndEarlierEffectsPersist) {
  Memory* mem = linker_.Lookup("spectest", "memory")->memory();
  Trap trap;
  auto r = Inst(R"((module (import "spectest" "memory" (memory 1))
      (data (i32.const 0) "abc")
      (data (i32.const 65534) "xyz")
      (data (i32.const 3) "def")))",
                &trap);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUninstantiable);
  EXPECT_EQ(r.error().message, "out of bounds memory access");
  EXPECT_EQ(trap.code, TrapCode::kMemoryOutOfBounds);
  EXPECT_EQ(std::memcmp(mem->data(), "abc\0\0\0", 6), 0);
  EXPECT_EQ(mem->data()[65534], 0);  // a failing segment writes nothing
}

TEST_F(LinkerTest, DataSegmentBoundsAreExact) {
  ExpectLinks(R"((module (memory 1) (data (i32.const 65536) "")))");
  ExpectLinks(R"((module (memory 1) (data (i32.const 65535) "x")))");
  ExpectLinks(R"((module (memory 0) (data (i32.const 0) "")))");
  auto r = Inst(R"((module (memory 0) (data (i32.const 1) "")))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUninstantiable);
  r = Inst(R"((module (memory 1) (data (i32.const -1) "")))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "out of bounds memory access");
}

TEST_F(LinkerTest, ElemSegmentsApplyInOrderBeforeData) {
  Table* table = linker_.Lookup("spectest", "table")->table();
  Memory* mem = linker_.Lookup("spectest", "memory")->memory();
  Func* print = linker_.Lookup("spectest", "print")->func();
  Trap trap;
  auto r = Inst(R"((module (import "spectest" "table" (table 10 funcref))
      (import "spectest" "memory" (memory 1))
      (import "spectest" "print" (func $p))
      (elem (i32.const 0) $p $p)
      (elem (i32.const 9) $p $p)
      (data (i32.const 100) "data")))",
                &trap);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUninstantiable);
  EXPECT_EQ(r.error().message, "out of bounds table access");
  EXPECT_EQ(trap.code, TrapCode::kTableOutOfBounds);
  EXPECT_EQ(table->Get(0), std::optional<void*>(print->ref()));
  EXPECT_EQ(table->Get(1), std::optional<void*>(print->ref()));
  EXPECT_EQ(table->Get(9), std::optional<void*>(nullptr));
  EXPECT_EQ(mem->data()[100], 0);  // data segments never ran
}

TEST_F(LinkerTest, SegmentStateAfterInstantiation) {
  auto r = Inst(R"((module (import "spectest" "print" (func $p)) (memory 1) (table 4 funcref)
      (data "passive") (data (i32.const 0) "active")
      (elem func $p) (elem (i32.const 1) func $p) (elem declare func $p)
      (elem funcref (ref.func $p) (ref.null func))))");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  InstanceData& d = (*r)->data();
  ASSERT_EQ(d.datas.size(), 2u);
  EXPECT_EQ(d.datas[0].size(), 7u);
  EXPECT_TRUE(d.datas[1].empty());  // active: dropped
  ASSERT_EQ(d.elems.size(), 4u);
  EXPECT_EQ(d.elems[0].size(), 1u);
  EXPECT_TRUE(d.elems[1].empty());  // active: dropped
  EXPECT_TRUE(d.elems[2].empty());  // declarative: dropped
  ASSERT_EQ(d.elems[3].size(), 2u);
  EXPECT_EQ(d.elems[3][0], d.funcs[0]);
  EXPECT_EQ(d.elems[3][1], nullptr);
  EXPECT_EQ(d.tables[0]->elems[1], d.funcs[0]);
  EXPECT_EQ(std::memcmp(d.memories[0]->base, "active", 6), 0);
}

TEST_F(LinkerTest, VmctxLayout) {
  auto r = Inst(R"((module (import "spectest" "print_i32" (func (param i32)))
      (import "spectest" "global_i32" (global i32)) (global (mut f32) (f32.const 1.5))
      (memory 2) (table 1 externref) (type (func (param i64))) (type (func (param i32)))))");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  Instance& inst = **r;
  VMContext* vm = inst.vmctx();
  EXPECT_EQ(vm->instance, &inst);
  EXPECT_NE(vm->mem0_base, nullptr);
  EXPECT_EQ(vm->memories[0]->size_bytes, 2u * 65536);
  EXPECT_EQ(vm->globals[0]->i32, 666u);
  EXPECT_EQ(vm->globals[1]->f32, 1.5f);
  EXPECT_EQ(vm->tables[0]->size, 1u);
  EXPECT_EQ(vm->funcs[0], linker_.Lookup("spectest", "print_i32")->func()->ref());
  // Canonical type ids: the module's (func (param i32)) types share the host function's id.
  const auto& ids = inst.loaded()->type_ids;
  uint32_t want = InternFuncType(testing::Sig({ValType::I32()}, {}));
  EXPECT_EQ(vm->funcs[0]->type_id, want);
  EXPECT_EQ(vm->type_ids[inst.module().funcs[0].type_index], want);
  EXPECT_EQ(ids.size(), inst.module().types.size());
  EXPECT_EQ(vm->type_ids, ids.data());
}

TEST_F(LinkerTest, FailedInstantiationKeepsObjectsAlive) {
  auto r = Inst(R"((module (memory 1) (data (i32.const 70000) "x")))");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(store_.data().instances.size(), 1u);
}

}  // namespace
}  // namespace wt::runtime
