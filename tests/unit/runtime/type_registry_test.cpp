// [wasm3] R: iso-recursive canonical type ids across modules, canonical value subtyping, and
// the linker's import subtyping (globals, functions, tables).
#include "runtime/type_registry.h"

#include <gtest/gtest.h>

#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "runtime_test_util.h"

namespace wt::runtime {
namespace {

using testing::Load;
using wasm::HeapKind;
using wasm::HeapType;
using wasm::ValType;

const wasm::Features kWasm3 = wasm::Features::Wasm30();

std::vector<uint32_t> Ids(std::string_view wat) {
  auto loaded = Load(wat, kWasm3);
  return loaded ? loaded->type_ids : std::vector<uint32_t>{};
}

TEST(TypeRegistry, IsomorphicRecGroupsShareIds) {
  const char* a = R"((module
    (rec (type $t0 (func (param i32 (ref $t1)))) (type $t1 (func (param i32 (ref $t0)))))))";
  const char* b = R"((module
    (type (func (param f64)))
    (rec (type $u0 (func (param i32 (ref $u1)))) (type $u1 (func (param i32 (ref $u0)))))))";
  std::vector<uint32_t> x = Ids(a), y = Ids(b);
  ASSERT_EQ(x.size(), 2u);
  ASSERT_EQ(y.size(), 3u);
  EXPECT_EQ(x[0], y[1]);
  EXPECT_EQ(x[1], y[2]);
  EXPECT_NE(x[0], x[1]);  // the two types of a group are distinct
  EXPECT_NE(x[0], 0u);
}

TEST(TypeRegistry, GroupsDifferingInStructureOrSizeDiffer) {
  // Same shapes but the references cross differently: not iso-recursively equal.
  std::vector<uint32_t> crossed = Ids(R"((module
    (rec (type $a (func (param (ref $b)))) (type $b (func (param (ref $a)))))))");
  std::vector<uint32_t> self = Ids(R"((module
    (rec (type $a (func (param (ref $a)))) (type $b (func (param (ref $b)))))))");
  ASSERT_EQ(crossed.size(), 2u);
  ASSERT_EQ(self.size(), 2u);
  EXPECT_NE(crossed[0], self[0]);
  EXPECT_NE(crossed[1], self[1]);
  // A type alone in its group is not the same type as one of a larger group.
  std::vector<uint32_t> alone = Ids(R"((module (type $a (func (param (ref $a))))))");
  std::vector<uint32_t> pair = Ids(R"((module
    (rec (type $a (func (param (ref $a)))) (type $b (func)))))");
  ASSERT_EQ(alone.size(), 1u);
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_NE(alone[0], pair[0]);
}

TEST(TypeRegistry, ReferencesToEarlierGroupsCompareByCanonicalId) {
  std::vector<uint32_t> a = Ids(R"((module
    (type $p (func (param i32))) (type $q (func (param (ref $p))))))");
  std::vector<uint32_t> b = Ids(R"((module
    (type $x (func)) (type $p (func (param i32))) (type $q (func (param (ref $p))))))");
  std::vector<uint32_t> c = Ids(R"((module
    (type $p (func (param i64))) (type $q (func (param (ref $p))))))");
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 3u);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(a[1], b[2]);
  EXPECT_NE(a[1], c[1]);  // refers to a different type
}

TEST(TypeRegistry, HostFunctionTypesMatchModuleTypes) {
  std::vector<uint32_t> ids = Ids(R"((module (type (func (param i32 f64) (result i64)))))");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(InternFuncType(testing::Sig({ValType::I32(), ValType::F64()}, {ValType::I64()})),
            ids[0]);
  EXPECT_NE(InternFuncType(testing::Sig({ValType::I32()}, {ValType::I64()})), ids[0]);
  EXPECT_EQ(FuncTypeOf(ids[0]).params.size(), 2u);
}

TEST(TypeRegistry, CanonicalValTypeMatching) {
  ValType func = ValType::FuncRef();
  ValType func_nn = ValType::Ref(HeapType::Abstract(HeapKind::kFunc), false);
  ValType nofunc = ValType::Ref(HeapType::Abstract(HeapKind::kNoFunc), true);
  ValType ext = ValType::ExternRef();
  std::vector<uint32_t> ids = Ids(R"((module (type (func)) (type (func (param i32)))))");
  ASSERT_EQ(ids.size(), 2u);
  ValType t0 = ValType::Ref(HeapType::Index(ids[0]), false);
  ValType t0_null = ValType::Ref(HeapType::Index(ids[0]), true);
  ValType t1 = ValType::Ref(HeapType::Index(ids[1]), false);

  EXPECT_TRUE(CanonicalValTypeMatches(func_nn, func));
  EXPECT_FALSE(CanonicalValTypeMatches(func, func_nn));
  EXPECT_TRUE(CanonicalValTypeMatches(t0, func));
  EXPECT_TRUE(CanonicalValTypeMatches(t0, t0_null));
  EXPECT_FALSE(CanonicalValTypeMatches(t0_null, t0));
  EXPECT_FALSE(CanonicalValTypeMatches(func, t0_null));
  EXPECT_FALSE(CanonicalValTypeMatches(t0, t1));
  EXPECT_TRUE(CanonicalValTypeMatches(nofunc, t0_null));
  EXPECT_FALSE(CanonicalValTypeMatches(nofunc, ext));
  EXPECT_FALSE(CanonicalValTypeMatches(ext, func));
  EXPECT_FALSE(CanonicalValTypeMatches(ValType::I32(), ValType::I64()));
  EXPECT_TRUE(CanonicalValTypeMatches(ValType::F64(), ValType::F64()));
  // A module's (ref $i) maps to the canonical id.
  EXPECT_EQ(CanonicalValType(ids, ValType::Ref(HeapType::Index(1), true)).heap.index, ids[1]);
  EXPECT_EQ(CanonicalValType(ids, func), func);
}

class TypedLinkTest : public ::testing::Test {
 protected:
  Result<Instance*> Inst(std::string_view wat) {
    auto loaded = Load(wat, kWasm3);
    if (!loaded) return MakeError(ErrorKind::kMalformed, "load failed");
    return linker_.Instantiate(store_, loaded);
  }
  void Register(std::string_view name, std::string_view wat) {
    auto inst = Inst(wat);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    linker_.DefineInstance(name, **inst);
  }
  void ExpectLinks(std::string_view wat) {
    auto r = Inst(wat);
    EXPECT_TRUE(r.ok()) << wat << ": " << r.error().ToString();
  }
  void ExpectUnlinkable(std::string_view wat, std::string_view why) {
    auto r = Inst(wat);
    ASSERT_FALSE(r.ok()) << wat;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnlinkable) << r.error().ToString();
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  }

  Store store_;
  Linker linker_;
};

TEST_F(TypedLinkTest, ImmutableGlobalsLinkBySubtyping) {
  Register("M", R"((module
    (type $t (func))
    (func $f (type $t))
    (global (export "nn") (ref func) (ref.func $f))
    (global (export "typed") (ref $t) (ref.func $f))
    (global (export "null") funcref (ref.null func))
    (global (export "mut") (mut funcref) (ref.null func))
    (elem declare func $f)))");
  ExpectLinks(R"((module (import "M" "nn" (global funcref))))");
  ExpectLinks(R"((module (import "M" "nn" (global (ref func)))))");
  ExpectLinks(R"((module (import "M" "typed" (global funcref))))");
  ExpectLinks(R"((module (type $u (func)) (import "M" "typed" (global (ref null $u)))))");
  ExpectUnlinkable(R"((module (import "M" "null" (global (ref func)))))", "value type mismatch");
  ExpectUnlinkable(R"((module (type $u (func (param i32)))
                       (import "M" "typed" (global (ref null $u)))))",
                   "value type mismatch");
  ExpectUnlinkable(R"((module (import "M" "nn" (global externref))))", "value type mismatch");
  // Mutable globals need the same type.
  ExpectLinks(R"((module (import "M" "mut" (global (mut funcref)))))");
  ExpectUnlinkable(R"((module (import "M" "mut" (global (mut (ref null nofunc))))))",
                   "value type mismatch");
}

TEST_F(TypedLinkTest, FunctionsAndTablesOfIsomorphicTypesLink) {
  Register("R", R"((module
    (rec (type $a (func (param (ref null $b)))) (type $b (func (param (ref null $a)))))
    (func (export "f") (type $a))
    (table (export "t") 1 (ref null $b))))");
  ExpectLinks(R"((module
    (rec (type $x (func (param (ref null $y)))) (type $y (func (param (ref null $x)))))
    (import "R" "f" (func (type $x)))
    (import "R" "t" (table 1 (ref null $y)))))");
  ExpectUnlinkable(R"((module
    (rec (type $x (func (param (ref null $y)))) (type $y (func (param (ref null $x)))))
    (import "R" "f" (func (type $y)))))",
                   "function type mismatch");
  ExpectUnlinkable(R"((module
    (rec (type $x (func (param (ref null $y)))) (type $y (func (param (ref null $x)))))
    (import "R" "t" (table 1 (ref null $x)))))",
                   "element type mismatch");
  ExpectUnlinkable(R"((module (import "R" "t" (table 1 funcref))))", "element type mismatch");
}

}  // namespace
}  // namespace wt::runtime
