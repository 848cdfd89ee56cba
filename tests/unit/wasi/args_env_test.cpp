// args_get / args_sizes_get / environ_get / environ_sizes_get: sizes and layout.
#include <gtest/gtest.h>

#include "wasi_test_util.h"

namespace wt::wasi {
namespace {

using testing::Guest;

TEST(WasiArgsTest, SizesAndLayout) {
  WasiConfig c;
  c.args = {"prog.wasm", "first", "the \"second\" arg", ""};
  Guest g(c);
  ASSERT_TRUE(g.Call("args_sizes_get", {0x100, 0x104}).ok());
  EXPECT_EQ(g.U32(0x100), 4u);
  EXPECT_EQ(g.U32(0x104), 10u + 6u + 17u + 1u);
  ASSERT_TRUE(g.Call("args_get", {0x200, 0x300}).ok());
  EXPECT_EQ(g.U32(0x200), 0x300u);
  EXPECT_EQ(g.U32(0x204), 0x300u + 10);
  EXPECT_EQ(g.U32(0x208), 0x300u + 16);
  EXPECT_EQ(g.U32(0x20C), 0x300u + 33);
  EXPECT_EQ(g.Get(0x300, 34), std::string("prog.wasm\0first\0the \"second\" arg\0\0", 34));
  EXPECT_EQ(g.mem()[0x300 + 34], 0);  // nothing written past the strings
}

TEST(WasiArgsTest, NoArguments) {
  Guest g;
  ASSERT_TRUE(g.Call("args_sizes_get", {0x100, 0x104}).ok());
  EXPECT_EQ(g.U32(0x100), 0u);
  EXPECT_EQ(g.U32(0x104), 0u);
  // Zero-sized areas anywhere in memory are fine.
  EXPECT_TRUE(g.Call("args_get", {g.mem_size(), g.mem_size()}).ok());
}

TEST(WasiArgsTest, BuffersTooSmallForTheMemoryFail) {
  WasiConfig c;
  c.args = {"a", "bb"};
  Guest g(c);
  EXPECT_EQ(g.Call("args_get", {0x100, g.mem_size() - 4}), Errno::kFault);  // needs 5 bytes
  EXPECT_EQ(g.Call("args_get", {g.mem_size() - 4, 0x100}), Errno::kFault);  // needs 8 bytes
  EXPECT_EQ(g.Call("args_get", {0x102, 0x100}), Errno::kInval);             // misaligned array
  EXPECT_EQ(g.U32(0x100), 0u);                                              // nothing written
}

TEST(WasiEnvTest, SizesAndLayout) {
  WasiConfig c;
  c.env = {{"a", "text"}, {"b", "escap \" ing"}, {"c", "new\nline"}, {"EMPTY", ""}};
  Guest g(c);
  ASSERT_TRUE(g.Call("environ_sizes_get", {0x100, 0x104}).ok());
  EXPECT_EQ(g.U32(0x100), 4u);
  uint32_t total = 7 + 14 + 11 + 7;
  EXPECT_EQ(g.U32(0x104), total);
  ASSERT_TRUE(g.Call("environ_get", {0x200, 0x400}).ok());
  EXPECT_EQ(g.U32(0x200), 0x400u);
  EXPECT_EQ(g.U32(0x204), 0x407u);
  EXPECT_EQ(g.U32(0x208), 0x415u);
  EXPECT_EQ(g.U32(0x20C), 0x420u);
  EXPECT_EQ(g.Get(0x400, total),
            std::string("a=text\0b=escap \" ing\0c=new\nline\0EMPTY=\0", total));
}

TEST(WasiEnvTest, NoVariables) {
  Guest g;
  ASSERT_TRUE(g.Call("environ_sizes_get", {0x100, 0x104}).ok());
  EXPECT_EQ(g.U32(0x100), 0u);
  EXPECT_EQ(g.U32(0x104), 0u);
}

}  // namespace
}  // namespace wt::wasi
