// The fuzz targets of wtrun (docs/fuzzing.md). Each takes one input and returns 0; a crash, a
// sanitizer report or a disagreement (Fail) is a finding. The same functions back the libFuzzer
// binaries (entry.cpp) and the replay test (replay.cpp) of the normal build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wt::fuzz {

// Binary decode + validate with the Wasm 2.0 and 3.0 presets; the decoder's code-syntax pass
// on and off must agree on whether the module is valid.
int FuzzDecode(const uint8_t* data, size_t size);
// Text: the input as a .wast script (every module encoded, decoded, re-encoded identically,
// and round-tripped through `(module binary ...)`) and as a .wat file.
int FuzzText(const uint8_t* data, size_t size);
// Run: decode, validate, compile (with fuel), instantiate with stand-in imports, invoke every
// exported function with zero arguments under a fuel budget and a wasm stack limit.
int FuzzRun(const uint8_t* data, size_t size);
// Wast: the input as a script run by `wtrun wast`'s runner (fuel per command, the same limits).
int FuzzWast(const uint8_t* data, size_t size);
// SIMD ISA: the module compiled with the vector ISA capped at SSE4.1 and at auto, every export
// called with zero arguments (and edge values) under fuel on both: results, traps, globals and
// memory must agree (modules with relaxed madd/nmadd, fused only with FMA, run unchecked).
int FuzzSimdIsa(const uint8_t* data, size_t size);
// Cwasm: the .cwasm loader's checks on damaged artifacts (or on the artifact of a wasm module,
// damaged outside its code); refusals must be one line, nothing may crash (cwasm_target.cpp).
int FuzzCwasm(const uint8_t* data, size_t size);

// A disagreement: prints "fuzz TARGET: disagreement: WHAT" and aborts, unless it is one of the
// open findings (tests/fuzz/findings/open/, listed in fail.cpp) and the environment has
// WTRUN_FUZZ_TOLERATE_OPEN=1 (scripts/fuzz.sh sets it, so that a run looks for new findings;
// the replay test does not, so it fails on them until they are fixed). Returns if tolerated.
void Fail(std::string_view target, std::string_view what);

}  // namespace wt::fuzz
