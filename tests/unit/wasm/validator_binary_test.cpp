// ReadModule + ValidateModule over small binary modules assembled by hand.
#include <gtest/gtest.h>

#include "validator_test_util.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using testing::Uleb;

class Binary {
 public:
  Binary() { out_ = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }
  Binary& Section(uint8_t id, const std::vector<uint8_t>& contents) {
    out_.push_back(id);
    Uleb(&out_, contents.size());
    out_.insert(out_.end(), contents.begin(), contents.end());
    return *this;
  }
  // Code section with one body per entry (locals vector included in `body`).
  Binary& Code(const std::vector<std::vector<uint8_t>>& bodies) {
    std::vector<uint8_t> c;
    Uleb(&c, bodies.size());
    for (const auto& b : bodies) {
      Uleb(&c, b.size());
      c.insert(c.end(), b.begin(), b.end());
    }
    return Section(10, c);
  }
  std::string Check(Features f = Features::Wasm20()) const {
    ReadOptions ro;
    ro.features = f;
    auto m = ReadModule(out_, ro);
    if (!m.ok()) return "malformed: " + m.error().message;
    ValidateOptions vo;
    vo.features = f;
    return testing::Outcome(ValidateModule(*m, vo));
  }

 private:
  std::vector<uint8_t> out_;
};

// type 0: [] -> [i32]; one function of type 0.
Binary OneFunc(std::vector<uint8_t> body) {
  Binary b;
  b.Section(1, {1, 0x60, 0, 1, 0x7F}).Section(3, {1, 0});
  b.Code({body});
  return b;
}

TEST(ValidatorBinary, FunctionBodies) {
  EXPECT_EQ(OneFunc({0, 0x41, 42, 0x0B}).Check(), "ok");
  EXPECT_EQ(OneFunc({0, 0x42, 42, 0x0B}).Check().substr(0, 13), "type mismatch");
  // One local i64, then local.get 1 (unknown).
  EXPECT_EQ(OneFunc({1, 1, 0x7E, 0x20, 1, 0x0B}).Check(), "unknown local 1");
  EXPECT_EQ(OneFunc({0, 0x00, 0x0B}).Check(), "ok");
}

TEST(ValidatorBinary, ModuleLevel) {
  // Two memories.
  Binary mems;
  mems.Section(5, {2, 0, 1, 0, 1});
  EXPECT_EQ(mems.Check(), "multiple memories");
  EXPECT_EQ(mems.Check(Features::Wasm30()), "ok");
  // Duplicate export names.
  Binary exports;
  exports.Section(1, {1, 0x60, 0, 1, 0x7F}).Section(3, {1, 0});
  exports.Section(7, {2, 1, 'f', 0, 0, 1, 'f', 0, 0});
  exports.Code({{0, 0x41, 0, 0x0B}});
  EXPECT_EQ(exports.Check(), "duplicate export name");
  // A global initialized from a mutable import.
  Binary g;
  g.Section(2, {1, 1, 'm', 1, 'g', 3, 0x7F, 1});  // import (mut i32)
  g.Section(6, {1, 0x7F, 0, 0x23, 0, 0x0B});      // global i32 (global.get 0)
  EXPECT_EQ(g.Check(), "constant expression required");
  // memory 1 page too many.
  Binary big;
  big.Section(5, {1, 0, 0x81, 0x80, 0x04});  // min 65537
  EXPECT_EQ(big.Check(), "memory size must be at most 65536 pages (4GiB)");
}

}  // namespace
}  // namespace wt::wasm
