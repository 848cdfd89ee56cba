// `--invoke NAME`: command-line arguments parsed by the export's parameter types, results
// printed one per line, the way `wasmtime run --invoke` does.
#pragma once

#include <string>
#include <string_view>

#include "runtime/runtime.h"
#include "util/result.h"
#include "wasm/types.h"

namespace wt::cli {

// Parses one argument for a parameter of type `type`:
// - i32 / i64: decimal or 0x-hex, optionally signed ("-5", "0xff", "-0x10"); any value that
//   fits the width as signed or unsigned ("4294967295" is i32 -1);
// - f32 / f64: a decimal or 0x-hex float, "nan", "inf", "infinity" (any case, optional
//   sign), "-0";
// - v128: an unsigned 128-bit integer, decimal or 0x-hex (up to 32 digits), lane 0 in the
//   least significant bits: the form v128 results are printed in, so a result can be passed
//   back. (wasmtime's `--invoke` prints v128 results as this u128 decimal but refuses v128
//   arguments with "unsupported argument type V128"; wtrun accepts them in the same form);
// - references: "null"; [wasmgc] for anyref, eqref and i31ref (nullable or not) also an
//   integer from -2^30 to 2^31-1, passed as the i31 reference `ref.i31` makes of it.
// Errors are kUsage: "invalid i32 argument 'x'" and the like.
Result<runtime::Value> ParseInvokeArg(std::string_view text, const wasm::ValType& type);

// A result as `wasmtime --invoke` prints it: integers as signed decimal, floats as the
// shortest decimal that reads back exactly, without an exponent ("1.5", "-0", "inf", "NaN",
// "100000000000000000000"), v128 as an unsigned 128-bit decimal, references as
// "<null funcref>", "<funcref>", "<externref>", ...; [wasmgc] in the any hierarchy by what
// they hold: "<i31ref 5>" (the value as i31.get_s reads it), "<structref>", "<arrayref>",
// "<anyref>" (a host value), "<null anyref>".
std::string FormatInvokeResult(const runtime::Value& value);

// The float formats on their own (for tests).
std::string FormatF32(float value);
std::string FormatF64(double value);

}  // namespace wt::cli
