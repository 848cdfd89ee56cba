// The .wast script format: an AST of commands and its parser.
//
// A script is tokenized once; text modules keep the token range of their fields, so the
// runner encodes them later (EncodeModuleFields in text/wat.h) through ModuleBinary below.
// Values are kept as exact bit patterns, ready to be compared with what an engine returns.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/lexer.h"
#include "text/wat.h"
#include "util/result.h"
#include "wasm/types.h"

namespace wt::text {

// ---------------------------------------------------------------------------------------------
// Values

enum class ValueKind : uint8_t { kI32, kI64, kF32, kF64, kV128, kRef };

// The lane interpretation a v128.const was written with.
enum class V128Shape : uint8_t { kI8x16, kI16x8, kI32x4, kI64x2, kF32x4, kF64x2 };

// A concrete reference written in a script.
enum class RefKind : uint8_t {
  kNull,    // (ref.null ht)
  kExtern,  // (ref.extern N): an externref wrapping host value N
  kHost,    // (ref.host N): the host value N itself (an anyref in Wasm 3.0)
};

// A constant: an argument of invoke, or the exact part of an expected result.
struct Value {
  ValueKind kind = ValueKind::kI32;
  // kI32: zero-extended bits; kI64: bits; kF32/kF64: IEEE bits (NaN payloads exact);
  // kRef with kExtern/kHost: N.
  uint64_t bits = 0;
  std::array<uint8_t, 16> v128{};       // kV128: little-endian bytes (lane 0 first)
  V128Shape shape = V128Shape::kI32x4;  // kV128: as written (for messages)
  RefKind ref = RefKind::kNull;         // kRef
  wasm::HeapType heap{};                // kRef with kNull: the abstract heap type

  uint32_t i32() const { return static_cast<uint32_t>(bits); }
  uint64_t i64() const { return bits; }
  friend bool operator==(const Value&, const Value&) = default;
};

enum class NanPattern : uint8_t { kNone, kCanonical, kArithmetic };

enum class ExpectedKind : uint8_t {
  kExact,       // `value`, compared bit for bit (incl. v128 bytes and exact NaN payloads)
  kNan,         // f32/f64 (value.kind) NaN matching `nan` (canonical / arithmetic)
  kV128Lanes,   // f32x4/f64x2 v128 where some lane is a NaN pattern: lane i matches
                // lane_nan[i] if that is not kNone, else the exact lane bits in value.v128
  kRefNull,     // any null reference (`(ref.null)`), or of heap type `heap` when has_heap
  kRefNonNull,  // any non-null reference of abstract heap type `heap`: (ref.func),
                // (ref.extern), (ref.any), (ref.eq), (ref.i31), (ref.struct), (ref.array),
                // (ref.exn)
  kEither,      // any one of `either` (each a single-value pattern)
};

struct ExpectedValue {
  ExpectedKind kind = ExpectedKind::kExact;
  Value value;
  NanPattern nan = NanPattern::kNone;          // kNan
  std::array<NanPattern, 4> lane_nan{};        // kV128Lanes (4 lanes for f32x4, 2 for f64x2)
  wasm::HeapKind heap = wasm::HeapKind::kAny;  // kRefNull (if has_heap), kRefNonNull
  bool has_heap = false;                       // kRefNull
  std::vector<ExpectedValue> either;           // kEither
};

// "i32:42", "f32:0x7fc00000 (nan)", "v128 i32x4:1 2 3 4", "ref.extern 1", ...
std::string FormatValue(const Value& value);
std::string FormatExpected(const ExpectedValue& expected);

// ---------------------------------------------------------------------------------------------
// Modules, actions, commands

enum class ModuleForm : uint8_t {
  kText,    // (module $id? field*)   -> fields_begin/fields_end
  kBinary,  // (module $id? binary string*)  -> bytes
  kQuote,   // (module $id? quote string*)   -> quote (the concatenated text)
};

struct ScriptModule {
  ModuleForm form = ModuleForm::kText;
  bool definition = false;   // (module definition ...): define, do not instantiate
  std::string id;            // decoded name without '$' ("" when absent)
  std::string_view id_text;  // the id token as written ("$m", "$\"m\""), or empty
  // kText: the field tokens are Script::tokens[fields_begin, fields_end).
  uint32_t fields_begin = 0;
  uint32_t fields_end = 0;
  std::vector<uint8_t> bytes;  // kBinary
  std::string quote;           // kQuote
  uint32_t line = 0;           // of "(module"
  uint32_t column = 0;
};

enum class ActionKind : uint8_t { kInvoke, kGet };

struct Action {
  ActionKind kind = ActionKind::kInvoke;
  std::string module_id;  // decoded, without '$'; "" means the most recent module
  std::string name;       // export name (bytes of the decoded string)
  std::vector<Value> args;
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class CommandKind : uint8_t {
  kModule,                // module (may be a definition)
  kModuleInstance,        // (module instance $id? $def?)
  kRegister,              // (register "name" $id?)
  kAction,                // a bare (invoke ...) / (get ...)
  kAssertReturn,          // action + expected
  kAssertTrap,            // action or module + text
  kAssertExhaustion,      // action + text
  kAssertException,       // action
  kAssertMalformed,       // module + text
  kAssertInvalid,         // module + text
  kAssertUnlinkable,      // module + text
  kAssertUninstantiable,  // module + text
  kThread,                // (thread $id ...) (threads proposal; not run)
  kWait,                  // (wait $id) (threads proposal; not run)
};

// "module", "assert_return", ... (static storage).
const char* CommandKindName(CommandKind kind);

struct Command {
  CommandKind kind = CommandKind::kModule;
  uint32_t line = 0;  // of the command's "("
  uint32_t column = 0;
  std::optional<ScriptModule> module;   // kModule, assert_trap on a module, kAssertMalformed,
                                        // kAssertInvalid, kAssertUnlinkable, kAssertUninstantiable
  std::optional<Action> action;         // kAction, kAssertReturn, kAssertTrap on an action,
                                        // kAssertExhaustion, kAssertException
  std::vector<ExpectedValue> expected;  // kAssertReturn
  std::string text;                     // assertion message; kRegister: the name to register as
  std::string id;          // kRegister: module id (or ""); kModuleInstance: instance id (or "");
                           // kThread / kWait: thread id
  std::string definition;  // kModuleInstance: definition id (or "": the last definition)
};

struct Script {
  std::string filename;
  std::unique_ptr<const std::string> source;  // owns the text the tokens point into
  std::vector<Token> tokens;
  std::vector<Command> commands;

  std::span<const Token> ModuleFields(const ScriptModule& m) const {
    return std::span<const Token>(tokens).subspan(m.fields_begin, m.fields_end - m.fields_begin);
  }
};

// Tokenizes and parses a whole script. Errors are kMalformed with "file:line:column".
Result<Script> ParseScript(std::string source, std::string_view filename);

// The binary of a script module: the bytes of a binary module, WatToBinary of a quoted one,
// EncodeModuleFields of a text one. (Defined in wast_module.cpp, which needs text/wat.cpp.)
Result<std::vector<uint8_t>> ModuleBinary(const Script& script, const ScriptModule& module,
                                          const WatOptions& options = {});

}  // namespace wt::text
