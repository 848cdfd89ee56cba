// The text front end for the threads proposal (shared memories, atomic instructions) and the
// legacy exception instructions: parsed, encoded, then decoded and validated with the default
// (3.0) features.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::text {
namespace {

using wasm::Module;

std::vector<uint8_t> Bytes(std::initializer_list<int> b) {
  std::vector<uint8_t> v;
  for (int x : b) v.push_back(static_cast<uint8_t>(x));
  return v;
}

// Encodes, decodes and validates; fails the test on any error.
Module Load(std::string_view wat) {
  auto bytes = WatToBinary(wat, "threads.wat");
  EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().ToString());
  if (!bytes.ok()) return Module{};
  auto m = wasm::ReadModule(*bytes);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().ToString());
  if (!m.ok()) return Module{};
  Status v = wasm::ValidateModule(*m);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().ToString());
  return std::move(*m);
}

std::vector<uint8_t> Body(const Module& m, size_t code) {
  if (code >= m.codes.size()) return {};  // Load failed (already reported)
  auto s = m.Slice(m.codes[code].body);
  return std::vector<uint8_t>(s.begin(), s.end());
}

TEST(WatThreads, SharedMemoryLimits) {
  Module m = Load("(module (memory 1 2 shared))");
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_TRUE(m.memories[0].type.shared);
  EXPECT_EQ(m.memories[0].type.limits.max, 2u);
  // The encoding: flags 0x03 (max, shared).
  auto bytes = WatToBinary("(module (memory 1 2 shared))", "t.wat");
  ASSERT_TRUE(bytes.ok());
  const std::vector<uint8_t> mem = {0x05, 0x04, 0x01, 0x03, 0x01, 0x02};
  EXPECT_NE(std::search(bytes->begin(), bytes->end(), mem.begin(), mem.end()), bytes->end());
  // Imported shared memory.
  Module imp = Load(R"((module (import "m" "mem" (memory 1 1 shared))))");
  ASSERT_EQ(imp.memories.size(), 1u);
  EXPECT_TRUE(imp.memories[0].type.shared);
  // Without a maximum it encodes but does not validate.
  auto nomax = WatToBinary("(module (memory 1 shared))", "t.wat");
  ASSERT_TRUE(nomax.ok());
  auto nm = wasm::ReadModule(*nomax);
  ASSERT_TRUE(nm.ok());
  Status v = wasm::ValidateModule(*nm);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "shared memory must have maximum");
}

TEST(WatThreads, AtomicInstructionsEncode) {
  Module m = Load(R"((module (memory 1 1 shared)
    (func (param i32 i64) (result i32)
      (drop (i32.atomic.load offset=4 (local.get 0)))
      (i64.atomic.store32 (local.get 0) (local.get 1))
      (drop (i64.atomic.rmw.cmpxchg align=8 (local.get 0) (local.get 1) (local.get 1)))
      (drop (i32.atomic.rmw8.add_u (local.get 0) (i32.const 1)))
      atomic.fence
      (drop (memory.atomic.wait64 (local.get 0) (local.get 1) (i64.const -1)))
      (memory.atomic.notify (local.get 0) (i32.const 1)))))");
  EXPECT_EQ(Body(m, 0),
            Bytes({0x20, 0x00, 0xFE, 0x10, 0x02, 0x04, 0x1A,                          // load
                   0x20, 0x00, 0x20, 0x01, 0xFE, 0x1D, 0x02, 0x00,                    // store32
                   0x20, 0x00, 0x20, 0x01, 0x20, 0x01, 0xFE, 0x49, 0x03, 0x00,        // cmpxchg
                   0x1A, 0x20, 0x00, 0x41, 0x01, 0xFE, 0x20, 0x00, 0x00, 0x1A,        // rmw8.add_u
                   0xFE, 0x03, 0x00,                                                  // fence
                   0x20, 0x00, 0x20, 0x01, 0x42, 0x7F, 0xFE, 0x02, 0x03, 0x00, 0x1A,  // wait64
                   0x20, 0x00, 0x41, 0x01, 0xFE, 0x00, 0x02, 0x00, 0x0B}));           // notify
}

TEST(WatThreads, AtomicAlignmentChecked) {
  auto bytes = WatToBinary(
      "(module (memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0)))))",
      "t.wat");
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  auto m = wasm::ReadModule(*bytes);
  ASSERT_TRUE(m.ok());
  Status v = wasm::ValidateModule(*m);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "alignment must be exactly natural");
}

TEST(WatThreads, OldElemSegmentForm) {
  // Wasm 1.0's (elem tableidx offset funcidx*), used by the threads proposal's tests.
  Module m = Load(R"((module (table 2 funcref)
    (elem 0 (i32.const 1) $f $f)
    (func $f)))");
  ASSERT_EQ(m.elems.size(), 1u);
  EXPECT_EQ(m.elems[0].mode, wasm::SegmentMode::kActive);
  EXPECT_EQ(m.elems[0].table_index, 0u);
  EXPECT_EQ(m.elems[0].func_indices, std::vector<uint32_t>({0, 0}));
}

TEST(WatLegacyExceptions, ValidateWithDefaultFeatures) {
  // Before the legacy opcodes were decoded by default, the reader refused the encoded module
  // with "illegal opcode 06".
  Module m = Load(R"((module (tag $e (param i32))
    (func (result i32)
      (try (result i32)
        (do (throw $e (i32.const 1)))
        (catch $e)
        (catch_all (i32.const 2))))
    (func
      try
        try nop delegate 0
      catch_all
        rethrow 0
      end)))");
  ASSERT_EQ(m.codes.size(), 2u);
  EXPECT_EQ(Body(m, 0),
            Bytes({0x06, 0x7F, 0x41, 0x01, 0x08, 0x00, 0x07, 0x00, 0x19, 0x41, 0x02, 0x0B, 0x0B}));
  EXPECT_EQ(Body(m, 1),
            Bytes({0x06, 0x40, 0x06, 0x40, 0x01, 0x18, 0x00, 0x19, 0x09, 0x00, 0x0B, 0x0B}));
}

}  // namespace
}  // namespace wt::text
