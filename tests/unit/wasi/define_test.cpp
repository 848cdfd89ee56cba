// The import tables: every preview 1 function, with the specification's types, in both
// modules; DefineWasi.
#include <gtest/gtest.h>

#include <set>

#include "runtime/runtime.h"
#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

std::string TypeString(const wasm::FuncType& t) {
  std::string s;
  for (const auto& p : t.params) s += p.kind == wasm::ValKind::kI32 ? 'i' : 'I';
  s += "->";
  for (const auto& r : t.results) s += r.kind == wasm::ValKind::kI32 ? 'i' : 'I';
  return s;
}

// name -> params/results (i = i32, I = i64), from the preview 1 witx.
const std::pair<const char*, const char*> kPreview1[] = {
    {"args_get", "ii->i"},
    {"args_sizes_get", "ii->i"},
    {"environ_get", "ii->i"},
    {"environ_sizes_get", "ii->i"},
    {"clock_res_get", "ii->i"},
    {"clock_time_get", "iIi->i"},
    {"fd_advise", "iIIi->i"},
    {"fd_allocate", "iII->i"},
    {"fd_close", "i->i"},
    {"fd_datasync", "i->i"},
    {"fd_fdstat_get", "ii->i"},
    {"fd_fdstat_set_flags", "ii->i"},
    {"fd_fdstat_set_rights", "iII->i"},
    {"fd_filestat_get", "ii->i"},
    {"fd_filestat_set_size", "iI->i"},
    {"fd_filestat_set_times", "iIIi->i"},
    {"fd_pread", "iiiIi->i"},
    {"fd_prestat_get", "ii->i"},
    {"fd_prestat_dir_name", "iii->i"},
    {"fd_pwrite", "iiiIi->i"},
    {"fd_read", "iiii->i"},
    {"fd_readdir", "iiiIi->i"},
    {"fd_renumber", "ii->i"},
    {"fd_seek", "iIii->i"},
    {"fd_sync", "i->i"},
    {"fd_tell", "ii->i"},
    {"fd_write", "iiii->i"},
    {"path_create_directory", "iii->i"},
    {"path_filestat_get", "iiiii->i"},
    {"path_filestat_set_times", "iiiiIIi->i"},
    {"path_link", "iiiiiii->i"},
    {"path_open", "iiiiiIIii->i"},
    {"path_readlink", "iiiiii->i"},
    {"path_remove_directory", "iii->i"},
    {"path_rename", "iiiiii->i"},
    {"path_symlink", "iiiii->i"},
    {"path_unlink_file", "iii->i"},
    {"poll_oneoff", "iiii->i"},
    {"proc_exit", "i->"},
    {"proc_raise", "i->i"},
    {"sched_yield", "->i"},
    {"random_get", "ii->i"},
    {"sock_accept", "iii->i"},
    {"sock_recv", "iiiiii->i"},
    {"sock_send", "iiiii->i"},
    {"sock_shutdown", "ii->i"},
};

TEST(WasiDefineTest, EveryPreview1FunctionWithItsType) {
  std::set<std::string_view> seen;
  for (const auto& [name, type] : kPreview1) {
    const WasiFunction* f = FindWasiFunction(kPreview1Module, name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(TypeString(f->type), type) << name;
    seen.insert(name);
  }
  size_t count = 0;
  for (const WasiFunction& f : WasiFunctions()) count += f.module == kPreview1Module;
  EXPECT_EQ(count, seen.size());  // nothing extra
  EXPECT_EQ(count, 46u);
}

TEST(WasiDefineTest, UnstableHasTheSameSignaturesButNoSockAccept) {
  for (const auto& [name, type] : kPreview1) {
    const WasiFunction* f = FindWasiFunction(kUnstableModule, name);
    if (std::string_view(name) == "sock_accept") {
      EXPECT_EQ(f, nullptr);
      continue;
    }
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(TypeString(f->type), type) << name;
  }
  EXPECT_EQ(FindWasiFunction(kPreview1Module, "nope"), nullptr);
}

TEST(WasiDefineTest, DefineWasiFillsTheLinker) {
  runtime::Store store;
  runtime::Linker linker;
  auto ctx = WasiCtx::Create({});
  ASSERT_TRUE(ctx.ok());
  ASSERT_TRUE(DefineWasi(linker, store, **ctx).ok());
  for (const WasiFunction& f : WasiFunctions()) {
    auto e = linker.Lookup(f.module, f.name);
    ASSERT_TRUE(e.has_value()) << f.name;
    ASSERT_NE(e->func(), nullptr);
    EXPECT_EQ(e->func()->type(), f.type) << f.name;
  }
}

TEST(WasiDefineTest, CreateFailsOnAMissingPreopen) {
  WasiConfig c;
  c.preopens.push_back({"/nonexistent/wtrun-wasi-test", "/"});
  auto ctx = WasiCtx::Create(std::move(c));
  ASSERT_FALSE(ctx.ok());
  EXPECT_NE(ctx.error().message.find("/nonexistent/wtrun-wasi-test"), std::string::npos);
}

}  // namespace
}  // namespace wt::wasi
