// runtime::LoadModule from bytes skips the reader's syntax walk over the bodies (the validator
// decodes them): malformed code must still be rejected as malformed.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "runtime/runtime.h"

namespace wt::runtime {
namespace {

void Append(std::vector<uint8_t>* m, const std::vector<uint8_t>& more) {
  for (uint8_t b : more) m->push_back(b);
}

std::vector<uint8_t> Module(std::vector<uint8_t> body, bool data_count) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // header
                            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type () -> ()
                            0x03, 0x02, 0x01, 0x00,                          // func 0: type 0
                            0x05, 0x03, 0x01, 0x00, 0x01};                   // memory 1
  if (data_count) Append(&m, {0x0c, 0x01, 0x01});
  std::vector<uint8_t> code = {0x01, static_cast<uint8_t>(body.size() + 1), 0x00};
  Append(&code, body);
  m.push_back(0x0a);
  m.push_back(static_cast<uint8_t>(code.size()));
  Append(&m, code);
  Append(&m, {0x0b, 0x03, 0x01, 0x01, 0x00});  // one passive data segment
  return m;
}

ErrorKind KindOf(std::vector<uint8_t> bytes) {
  auto r = LoadModule(std::move(bytes), wasm::Features::Wasm20());
  return r.ok() ? ErrorKind::kUnsupported : r.error().kind;
}

TEST(LoadModule, ValidBodyLoads) {
  auto r = LoadModule(Module({0xfc, 0x09, 0x00, 0x0b}, true), wasm::Features::Wasm20());
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(LoadModule, DataDropWithoutDataCountIsMalformed) {
  EXPECT_EQ(KindOf(Module({0xfc, 0x09, 0x00, 0x0b}, false)), ErrorKind::kMalformed);
}

TEST(LoadModule, UnknownOpcodeIsMalformed) {
  EXPECT_EQ(KindOf(Module({0xff, 0x0b}, true)), ErrorKind::kMalformed);
}

TEST(LoadModule, MissingEndIsMalformed) {
  EXPECT_EQ(KindOf(Module({0x01}, true)), ErrorKind::kMalformed);
}

TEST(LoadModule, InvalidBodyIsInvalid) {
  EXPECT_EQ(KindOf(Module({0x1a, 0x0b}, true)), ErrorKind::kInvalid);  // drop on empty stack
}

}  // namespace
}  // namespace wt::runtime
