// wasm::ValidateBodies (parallel validation of every body) against the serial loop: for
// generated modules with invalid or malformed bodies at various indices (none, first, last,
// several, in the same chunk or not), the result must be exactly the serial loop's error
// (kind, message, offset) for every thread count.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "validator_test_util.h"
#include "wasm/func_validator.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::wasm {
namespace {

using testing::Uleb;

enum class Body { kValid, kBigValid, kLeftover, kUnknownLocal, kBadOpcode, kNoEnd, kPopEmpty };

// The body's bytes (locals vector included).
std::vector<uint8_t> MakeBody(Body kind, uint32_t salt) {
  std::vector<uint8_t> b;
  switch (kind) {
    case Body::kValid:
      // (local i32 x (salt % 3)) i32.const salt; drop
      b = {0x01, static_cast<uint8_t>(salt % 3), 0x7F, 0x41};
      Uleb(&b, salt % 64);
      b.insert(b.end(), {0x1A, 0x0B});
      break;
    case Body::kBigValid:
      b = {0x00};
      for (uint32_t i = 0; i < 2000 + salt % 100; ++i) b.insert(b.end(), {0x41, 0x01, 0x1A});
      b.push_back(0x0B);
      break;
    case Body::kLeftover:  // type mismatch at the end
      b = {0x00, 0x41, 0x07, 0x0B};
      break;
    case Body::kUnknownLocal:
      b = {0x00, 0x20, 0x05, 0x1A, 0x0B};
      break;
    case Body::kBadOpcode:  // malformed, found by the validation walk (no syntax walk at decode)
      b = {0x00, 0x01, 0xFF, 0x0B};
      break;
    case Body::kNoEnd:  // malformed: the body ends before its final end
      b = {0x00, 0x02, 0x40, 0x0B};
      break;
    case Body::kPopEmpty:
      b = {0x00, 0x1A, 0x0B};
      break;
  }
  return b;
}

std::vector<uint8_t> MakeModule(const std::vector<Body>& bodies) {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  testing::Section(&out, 1, {0x01, 0x60, 0x00, 0x00});  // type 0: [] -> []
  std::vector<uint8_t> funcs;
  Uleb(&funcs, bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) funcs.push_back(0x00);
  testing::Section(&out, 3, funcs);
  std::vector<uint8_t> code;
  Uleb(&code, bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    std::vector<uint8_t> b = MakeBody(bodies[i], static_cast<uint32_t>(i));
    Uleb(&code, b.size());
    code.insert(code.end(), b.begin(), b.end());
  }
  testing::Section(&out, 10, code);
  return out;
}

std::string Describe(const Status& s) {
  if (s.ok()) return "ok";
  return fmt::format("kind {} offset {} message {}", static_cast<int>(s.error().kind),
                     s.error().offset, s.error().message);
}

// Serial reference vs ValidateBodies for jobs 1, 2, 3, 8 (and 0); returns the serial outcome.
std::string CheckParity(const std::vector<Body>& bodies) {
  std::vector<uint8_t> bytes = MakeModule(bodies);
  ReadOptions ro;
  ro.features = Features::Wasm20();
  ro.check_code_syntax = false;  // as the run path: malformed bodies surface in validation
  auto m = ReadModule(bytes, ro);
  EXPECT_TRUE(m.ok()) << m.error().message;
  if (!m.ok()) return "unreadable";
  ValidateOptions vo;
  vo.features = ro.features;
  TypeContext types;
  Status decls = ValidateModuleDecls(*m, vo, &types);
  EXPECT_TRUE(decls.ok());
  if (!decls.ok()) return "bad decls";
  FuncValidator v(types, vo.features);
  Status serial = Ok();
  for (uint32_t i = 0; i < m->codes.size() && serial.ok(); ++i) serial = ValidateFunctionBody(v, i);
  const std::string want = Describe(serial);
  for (uint32_t jobs : {1u, 2u, 3u, 8u, 0u}) {
    for (int rep = 0; rep < 3; ++rep) {
      Status par = ValidateBodies(*m, types, vo.features, jobs);
      EXPECT_EQ(Describe(par), want) << "jobs " << jobs << " rep " << rep;
    }
  }
  return want;
}

std::vector<Body> Valid(size_t n) {
  std::vector<Body> b(n, Body::kValid);
  for (size_t i = 0; i < n; i += 37) b[i] = Body::kBigValid;  // chunks by bytes too
  return b;
}

TEST(ValidateBodies, AllValid) {
  for (size_t n : {0u, 1u, 2u, 255u, 256u, 257u, 3000u}) EXPECT_EQ(CheckParity(Valid(n)), "ok");
}

TEST(ValidateBodies, OneInvalidAtVariousIndices) {
  const size_t n = 3000;
  for (size_t at : {size_t{0}, size_t{1}, size_t{255}, size_t{256}, size_t{1500}, n - 1}) {
    for (Body kind :
         {Body::kLeftover, Body::kUnknownLocal, Body::kBadOpcode, Body::kNoEnd, Body::kPopEmpty}) {
      std::vector<Body> b = Valid(n);
      b[at] = kind;
      std::string got = CheckParity(b);
      EXPECT_NE(got, "ok") << "at " << at;
    }
  }
}

TEST(ValidateBodies, SeveralInvalidFirstWins) {
  const size_t n = 3000;
  std::vector<Body> b = Valid(n);
  b[2999] = Body::kLeftover;
  b[700] = Body::kBadOpcode;
  b[701] = Body::kUnknownLocal;
  b[1200] = Body::kPopEmpty;
  std::string got = CheckParity(b);
  EXPECT_NE(got.find("kind 0"), std::string::npos) << got;  // malformed (body 700) wins
  b[5] = Body::kUnknownLocal;
  got = CheckParity(b);
  EXPECT_NE(got.find("unknown local"), std::string::npos) << got;
}

TEST(ValidateBodies, RandomSets) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 20; ++round) {
    size_t n = 1 + rng() % 4000;
    std::vector<Body> b = Valid(n);
    uint32_t bad = rng() % 6;
    for (uint32_t k = 0; k < bad; ++k)
      b[rng() % n] = static_cast<Body>(2 + rng() % 5);  // one of the invalid kinds
    std::string got = CheckParity(b);
    EXPECT_EQ(got == "ok", bad == 0) << "round " << round << ": " << got;
  }
}

}  // namespace
}  // namespace wt::wasm
