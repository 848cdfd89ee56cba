// The fused walk (CompileOptions::validate_bodies): the compiler validates every instruction it
// decodes before compiling it. Loading an invalid or malformed module through it must report
// exactly what wasm::ValidateModule reports (kind, message, offset), whatever the chunking and
// thread count, and an invalid body wins over an unsupported feature anywhere in the module.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jit/compiler.h"
#include "runtime/runtime.h"
#include "text/wat.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::jit {
namespace {

struct Outcome {
  bool ok = true;
  ErrorKind kind = ErrorKind::kMalformed;
  std::string message;
  size_t offset = SIZE_MAX;
};

template <typename R>
Outcome OutcomeOf(const R& r) {
  Outcome o;
  if (r.ok()) return o;
  o.ok = false;
  o.kind = r.error().kind;
  o.message = r.error().message;
  o.offset = r.error().offset;
  return o;
}

std::string Describe(const Outcome& o) {
  if (o.ok) return "ok";
  return std::string(ErrorKindName(o.kind)) + ": " + o.message + " @" + std::to_string(o.offset);
}

wasm::Module Read(std::vector<uint8_t> bytes, const wasm::Features& f) {
  wasm::ReadOptions ro;
  ro.features = f;
  ro.check_code_syntax = false;  // as the run path reads
  auto m = wasm::ReadModule(std::move(bytes), ro);
  EXPECT_TRUE(m.ok()) << m.error().message;
  return std::move(*m);
}

// What a separate validation pass says.
Outcome Validate(const std::vector<uint8_t>& bytes, const wasm::Features& f) {
  wasm::Module m = Read(bytes, f);
  wasm::ValidateOptions vo;
  vo.features = f;
  return OutcomeOf(wasm::ValidateModule(m, vo));
}

// The fused walk through CompileModule.
Outcome CompileFused(const std::vector<uint8_t>& bytes, const wasm::Features& f, uint32_t jobs,
                     uint32_t chunk_bytes) {
  wasm::Module m = Read(bytes, f);
  wasm::ValidateOptions vo;
  vo.features = f;
  wasm::TypeContext types;
  Status decls = wasm::ValidateModuleDecls(m, vo, &types);
  if (!decls.ok()) return OutcomeOf(decls);
  CompileOptions co;
  co.features = f;
  co.jobs = jobs;
  co.chunk_bytes = chunk_bytes;
  co.validate_bodies = &types;
  return OutcomeOf(CompileModule(m, co));
}

std::vector<uint8_t> Wat(const std::string& text) {
  auto b = text::WatToBinary(text, "fused.wat");
  EXPECT_TRUE(b.ok()) << b.error().message;
  return b.ok() ? *b : std::vector<uint8_t>{};
}

// Loads `bytes` every way the run path can and expects `want` each time.
void ExpectAllPaths(const std::vector<uint8_t>& bytes, const Outcome& want,
                    const wasm::Features& f = wasm::Features::Wasm20()) {
  Outcome load = OutcomeOf(runtime::LoadModule(bytes, f));
  EXPECT_EQ(Describe(load), Describe(want)) << "runtime::LoadModule";
  for (uint32_t jobs : {1u, 2u}) {
    for (uint32_t chunk : {0u, 1u, 64u}) {
      Outcome c = CompileFused(bytes, f, jobs, chunk);
      EXPECT_EQ(Describe(c), Describe(want)) << "jobs " << jobs << ", chunk_bytes " << chunk;
    }
  }
}

// An invalid module: every path reports ValidateModule's error.
void ExpectSameAsValidator(const std::vector<uint8_t>& bytes, ErrorKind kind,
                           const wasm::Features& f = wasm::Features::Wasm20()) {
  Outcome want = Validate(bytes, f);
  ASSERT_FALSE(want.ok);
  EXPECT_EQ(want.kind, kind) << Describe(want);
  ExpectAllPaths(bytes, want, f);
}

TEST(FusedValidation, ValidModuleLoads) {
  ExpectAllPaths(Wat(R"((module
    (func (export "f") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (i32.lt_s (local.get 1) (i32.const 100))))
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (local.get 1))))))"),
                 Outcome{});
}

TEST(FusedValidation, InvalidInstructionInDeadCode) {
  // Type mismatch after `unreachable` (the compiler skips dead code but validates it).
  ExpectSameAsValidator(Wat("(module (func unreachable i64.const 0 i32.eqz drop))"),
                        ErrorKind::kInvalid);
  // Unknown label and unknown local in a dead nested block.
  ExpectSameAsValidator(Wat("(module (func (result i32) (return (i32.const 1)) (block br 3)))"),
                        ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func br 0 (block (local.get 7) drop)))"),
                        ErrorKind::kInvalid);
}

TEST(FusedValidation, InvalidBranchFusedWithCompare) {
  // The br_if / if read ahead to fuse with the comparison is validated before any code.
  ExpectSameAsValidator(
      Wat("(module (func (param i32) (block (br_if 5 (i32.lt_s (local.get 0) (i32.const 3))))))"),
      ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat(R"((module (func (param i32) (result i64)
      (block (result i64)
        (br_if 0 (i32.const 1) (i32.eqz (local.get 0))) drop (i64.const 0)))))"),
                        ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func (param i32) local.get 0 i32.eqz if (type 9) end))"),
                        ErrorKind::kInvalid);
}

TEST(FusedValidation, TypeErrorsAtEnd) {
  ExpectSameAsValidator(Wat("(module (func (result i32) i64.const 0))"), ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func (block (result i32))))"), ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func (result i32) (i32.const 1) (i32.const 2)))"),
                        ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func (i32.const 1)))"), ErrorKind::kInvalid);
}

TEST(FusedValidation, LoopLookAheadOverInvalidBody) {
  // The loop look-ahead reads bytes not validated yet (unknown locals, malformed code).
  ExpectSameAsValidator(Wat("(module (func (local i32) (loop (local.set 900 (local.get 0)))))"),
                        ErrorKind::kInvalid);
  ExpectSameAsValidator(Wat("(module (func (local i32) (loop (local.get 70000) drop)))"),
                        ErrorKind::kInvalid);
}

TEST(FusedValidation, InvalidBodyBeforeUnsupportedFeature) {
  // Function 0 uses an atomic instruction (valid in 3.0, unsupported by the JIT; tail calls and
  // GC instructions played this part until compiled); the last one is invalid: with a chunk per
  // function
  // the invalid body is in a later chunk, and still the error.
  const wasm::Features f = wasm::Features::Wasm30();
  std::string wat = "(module (memory 1) (func $t (drop (i32.atomic.load (i32.const 0))))\n";
  for (int i = 0; i < 6; ++i) wat += "(func (drop (i32.add (i32.const 1) (i32.const 2))))\n";
  std::string valid = wat + ")";
  std::string invalid = wat + "(func (drop (i32.add (i32.const 1) (i64.const 2)))))";
  ExpectSameAsValidator(Wat(invalid), ErrorKind::kInvalid, f);
  // Without the invalid body: the unsupported feature.
  Outcome unsupported = OutcomeOf(runtime::LoadModule(Wat(valid), f));
  ASSERT_FALSE(unsupported.ok);
  EXPECT_EQ(unsupported.kind, ErrorKind::kUnsupported);
  ExpectAllPaths(Wat(valid), unsupported, f);
  // The unsupported instruction and an invalid one later in the same body.
  ExpectSameAsValidator(
      Wat("(module (memory 1) (func $t (drop (i32.atomic.load (i32.const 0))) (drop (i32.eqz "
          "(i64.const 1)))))"),
      ErrorKind::kInvalid, f);
}

TEST(FusedValidation, LowestInvalidFunctionAcrossChunks) {
  std::string wat = "(module\n";
  for (int i = 0; i < 8; ++i) {
    if (i == 3 || i == 6)
      wat += "(func (drop (i32.eqz (f32.const " + std::to_string(i) + "))))\n";
    else
      wat += "(func (drop (i32.eqz (i32.const " + std::to_string(i) + "))))\n";
  }
  ExpectSameAsValidator(Wat(wat + ")"), ErrorKind::kInvalid);
}

// Hand-made bytes: one function () -> () with `body` (without the locals vector).
std::vector<uint8_t> OneFunc(const std::vector<uint8_t>& body) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // header
                            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type () -> ()
                            0x03, 0x02, 0x01, 0x00};                         // func 0: type 0
  std::vector<uint8_t> code = {0x01, static_cast<uint8_t>(body.size() + 1), 0x00};
  code.insert(code.end(), body.begin(), body.end());
  m.push_back(0x0a);
  m.push_back(static_cast<uint8_t>(code.size()));
  m.insert(m.end(), code.begin(), code.end());
  return m;
}

TEST(FusedValidation, MalformedBodies) {
  ExpectSameAsValidator(OneFunc({0x02, 0x40, 0x0b}), ErrorKind::kMalformed);  // ends early
  ExpectSameAsValidator(OneFunc({0x01}), ErrorKind::kMalformed);              // no end at all
  ExpectSameAsValidator(OneFunc({0x0b, 0x01}), ErrorKind::kMalformed);        // code after the end
  ExpectSameAsValidator(OneFunc({0x00, 0xff, 0x0b}), ErrorKind::kMalformed);  // dead, bad op
  ExpectSameAsValidator(OneFunc({0x41, 0x80}), ErrorKind::kMalformed);        // truncated LEB128
  // Overlong zero byte of memory.size without multi-memory (the compiler's own reader would
  // accept it with 3.0 features): malformed under 2.0.
  std::vector<uint8_t> m = OneFunc({0x3f, 0x80, 0x00, 0x1a, 0x0b});
  ExpectSameAsValidator(m, ErrorKind::kMalformed);
}

}  // namespace
}  // namespace wt::jit
