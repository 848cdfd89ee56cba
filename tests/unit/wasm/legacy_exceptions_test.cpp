// The legacy exception opcodes in the binary reader and the validator: try (0x06), catch
// (0x07), catch_all (0x19), delegate (0x18), rethrow (0x09), enabled by the
// "legacy-exceptions" feature (part of the 3.0 preset); and the 3.0 exception opcodes next to
// them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "validator_test_util.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using Bytes = std::vector<uint8_t>;
using testing::Check;
using testing::OneBodyCodeSection;
using testing::Section;

// Types: 0 = [] -> [], 1 = [i32] -> []; tag 0 of type 1; one function of type 0 whose body is
// `code` (no locals; the final end added).
Bytes WithTag(const Bytes& code) {
  Bytes m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  Section(&m, 1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00});
  Section(&m, 3, {0x01, 0x00});
  Section(&m, 13, {0x01, 0x00, 0x01});
  OneBodyCodeSection(&m, code);
  return m;
}

TEST(LegacyExceptions, PresetHasThem) {
  EXPECT_TRUE(Features::Wasm30().has(Feature::kLegacyExceptions));
  EXPECT_FALSE(Features::Wasm20().has(Feature::kLegacyExceptions));
}

TEST(LegacyExceptions, TryCatchDecodesAndValidates) {
  // Before they were decoded, this was "illegal opcode 06".
  // try; nop; catch 0; drop; catch_all; end
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x01, 0x07, 0x00, 0x1A, 0x19, 0x0B})), "ok");
  // try (result i32); i32.const 1; catch 0 (binds the tag's i32); end; drop
  EXPECT_EQ(Check(WithTag({0x06, 0x7F, 0x41, 0x01, 0x07, 0x00, 0x0B, 0x1A})), "ok");
  // try; catch_all; end (no catch clause needed), and try; end.
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x0B})), "ok");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x0B})), "ok");
  // A branch to the try label carries its results: try (result i32) i32.const 1 br 0 end drop
  EXPECT_EQ(Check(WithTag({0x06, 0x7F, 0x41, 0x01, 0x0C, 0x00, 0x0B, 0x1A})), "ok");
}

TEST(LegacyExceptions, CatchTyping) {
  // try (result i64); i64.const 1; catch 0 leaves an i32 where an i64 is required.
  std::string r = Check(WithTag({0x06, 0x7E, 0x42, 0x01, 0x07, 0x00, 0x0B, 0x1A}));
  EXPECT_EQ(r.substr(0, 22), "invalid: type mismatch") << r;
  // The try body's results are checked at catch.
  r = Check(WithTag({0x06, 0x40, 0x41, 0x01, 0x19, 0x0B}));
  EXPECT_EQ(r.substr(0, 22), "invalid: type mismatch") << r;
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x07, 0x05, 0x0B})), "invalid: unknown tag 5");
}

TEST(LegacyExceptions, Rethrow) {
  // try; catch 0; drop; rethrow 0; end
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x07, 0x00, 0x1A, 0x09, 0x00, 0x0B})), "ok");
  // From a block inside catch_all: rethrow 1.
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x02, 0x40, 0x09, 0x01, 0x0B, 0x0B})), "ok");
  // The label must be a catch or catch_all, not the try body or a block.
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x09, 0x00, 0x0B})), "invalid: invalid rethrow label");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x02, 0x40, 0x09, 0x00, 0x0B, 0x0B})),
            "invalid: invalid rethrow label");
  EXPECT_EQ(Check(WithTag({0x09, 0x00})), "invalid: invalid rethrow label");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x09, 0x05, 0x0B})), "invalid: unknown label 5");
}

TEST(LegacyExceptions, Delegate) {
  // try; delegate 0 (the function's label, outside the try).
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x18, 0x00})), "ok");
  // Nested: block; try; delegate 1; end
  EXPECT_EQ(Check(WithTag({0x02, 0x40, 0x06, 0x40, 0x18, 0x01, 0x0B})), "ok");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x18, 0x01})), "invalid: unknown label 1");
  // try (result i32); i32.const 1; delegate 0; drop: the try's results stay on the stack.
  EXPECT_EQ(Check(WithTag({0x06, 0x7F, 0x41, 0x01, 0x18, 0x00, 0x1A})), "ok");
}

TEST(LegacyExceptions, Structure) {
  // catch outside a try, catch after catch_all, delegate after catch: malformed.
  EXPECT_EQ(Check(WithTag({0x07, 0x00})).substr(0, 10), "malformed:");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x07, 0x00, 0x1A, 0x0B})).substr(0, 10), "malformed:");
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x19, 0x18, 0x00})).substr(0, 10), "malformed:");
  // Without the feature, the opcodes are illegal.
  Features off = Features::Wasm30();
  off.set(Feature::kLegacyExceptions, false);
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x0B}), off), "malformed: illegal opcode 06");
}

TEST(LegacyExceptions, NewExceptionOpcodesStillValidate) {
  // try_table (catch_all 0); i32.const 1; throw 0; end
  EXPECT_EQ(Check(WithTag({0x1F, 0x40, 0x01, 0x02, 0x00, 0x41, 0x01, 0x08, 0x00, 0x0B})), "ok");
  // block (result exnref); try_table (catch_all_ref 0); i32.const 1; throw 0; end;
  // unreachable; end; throw_ref
  EXPECT_EQ(Check(WithTag({0x02, 0x69, 0x1F, 0x40, 0x01, 0x03, 0x00, 0x41, 0x01, 0x08, 0x00, 0x0B,
                           0x00, 0x0B, 0x0A})),
            "ok");
  // throw with the wrong operand type.
  std::string r = Check(WithTag({0x42, 0x01, 0x08, 0x00}));
  EXPECT_EQ(r.substr(0, 22), "invalid: type mismatch") << r;
  // try_table inside a legacy try, and a legacy try inside try_table.
  EXPECT_EQ(Check(WithTag({0x06, 0x40, 0x1F, 0x40, 0x00, 0x0B, 0x19, 0x0B})), "ok");
  EXPECT_EQ(Check(WithTag({0x1F, 0x40, 0x00, 0x06, 0x40, 0x19, 0x0B, 0x0B})), "ok");
}

}  // namespace
}  // namespace wt::wasm
