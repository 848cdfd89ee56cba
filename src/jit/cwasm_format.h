// The .cwasm artifact (`wtrun compile -o`): a module's eagerly compiled code and its tables,
// laid out so that a loader maps the code from the file and uses the tables in place
// (docs/cwasm.md). All integers little-endian; the header fills page 0; every section starts
// on a 4 KiB boundary; offsets are from the start of the file.
//
//   page 0     CwasmHeader (below), zero-padded to 4 KiB
//   sections   kWasm       the original module bytes (decoded again at load; bodies unused)
//              kCode       code bytes [0, builtin_table_offset): position-independent, builtins
//                          called through the table at builtin_table_offset (filled at load)
//              kFuncCode   u32 code offset per defined function
//              kTypeStubs  per module type: u32 entry trampoline, u32 host stub (kNoStub: none)
//              kFuncRanges jit::FuncRange[] sorted by begin
//              kTrapSites  jit::TrapSite[] sorted by code_offset
//              kCallSites  jit::CallSite[] sorted by return_offset (unique)
//              kStackMaps  int32[] (jit::CodeObject::stack_maps)
//
// Hashes (SHA-256): `module_sha256` (the original module bytes, the cache key's input);
// `tables_sha256` (the header with its hash fields zeroed, then kFuncCode and kTypeStubs) and
// `decls_sha256` (each of the module's sections but custom, code and data: id, size and
// contents), both checked at every load; `content_sha256` covers everything after page 0
// (runtime::VerifyPrecompiledContent). The code and the site tables (ranges, traps, call sites,
// stack maps: 60+ MB for a large module) are not read at load from a file: the lookups check
// what they return instead (docs/cwasm.md, trust model).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "jit/compiler.h"

namespace wt::jit::cwasm {

inline constexpr char kMagic[8] = {'\0', 'w', 't', 'c', 'w', 'a', 's', 'm'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kPageSize = 4096;  // section alignment (and the header's size)
inline constexpr uint32_t kNoStub = UINT32_MAX;

// The only target written today; aarch64-linux will be the next (the loader compares strings).
// (The target names: jit::kHostTarget, jit/host_isa.h: "x86_64-linux", "aarch64-linux".)

enum class Section : uint32_t {
  kWasm,
  kCode,
  kFuncCode,
  kTypeStubs,
  kFuncRanges,
  kTrapSites,
  kCallSites,
  kStackMaps,
  kCount
};

struct SectionEntry {
  uint64_t offset;  // from the start of the file, a multiple of kPageSize (0 when size is 0)
  uint64_t size;    // bytes
};

// CPU feature bits (x64::CpuFeatures the code was compiled for: the host's after the
// --simd-isa cap). A loader refuses a file whose bits are not all present on its CPU.
enum CpuBit : uint32_t {
  kCpuSse41 = 1u << 0,
  kCpuPopcnt = 1u << 1,
  kCpuLzcnt = 1u << 2,
  kCpuBmi1 = 1u << 3,
  kCpuSsse3 = 1u << 4,
  kCpuSse42 = 1u << 5,
  kCpuAvx = 1u << 6,
  kCpuAvx2 = 1u << 7,
  kCpuFma = 1u << 8,
};
inline constexpr uint32_t kNumCpuBits = 9;
// "sse4.1", "popcnt", ... for bit i (i < kNumCpuBits).
inline constexpr std::string_view kCpuBitNames[kNumCpuBits] = {
    "sse4.1", "popcnt", "lzcnt", "bmi1", "ssse3", "sse4.2", "avx", "avx2", "fma"};

struct CwasmHeader {
  char magic[8];                  // kMagic
  uint32_t format_version;        // kFormatVersion
  uint32_t header_size;           // sizeof(CwasmHeader)
  char wtrun_version[64];         // NUL-padded: "0.1.0+<build id>" (runtime/cwasm.h)
  char target[32];                // NUL-padded: "x86_64-linux"
  uint32_t cpu_features;          // CpuBit set
  uint32_t wasm_features;         // wasm::Features::bits() the module was validated with
  uint8_t consume_fuel;           // CompileOptions::consume_fuel (0/1)
  uint8_t epoch_interruption;     // CompileOptions::epoch_interruption (0/1)
  uint8_t simd_isa;               // CompileOptions::simd_isa as given (SimdIsa)
  uint8_t reserved0[5];           // zero
  uint64_t file_size;             // the whole file
  uint32_t num_types;             // module.types.size() (kTypeStubs has num_types pairs)
  uint32_t num_defined_funcs;     // kFuncCode has that many u32
  uint32_t code_size;             // CodeObject::size(): the code (trampolines included)
  uint32_t builtin_table_offset;  // code_size rounded up to kPageSize: kCode's size; the table
                                  // (filled at load) is mapped there
  uint8_t module_sha256[32];
  uint8_t content_sha256[32];  // of bytes [kPageSize, file_size)
  uint8_t tables_sha256[32];   // see above
  uint8_t decls_sha256[32];    // the module's sections but custom, code and data (see above)
  uint32_t num_sections;       // Section::kCount
  uint32_t reserved1;          // zero
  SectionEntry sections[static_cast<size_t>(Section::kCount)];
};
static_assert(sizeof(CwasmHeader) <= kPageSize);
static_assert(offsetof(CwasmHeader, sections) % 8 == 0);

// The tables are used in place: the file's records have the structs' layout (x86_64 and
// aarch64 alike: little-endian, natural alignment). Padding bytes are written as zero.
static_assert(sizeof(FuncRange) == 12 && offsetof(FuncRange, begin) == 0 &&
              offsetof(FuncRange, end) == 4 && offsetof(FuncRange, func_index) == 8);
static_assert(sizeof(TrapSite) == 12 && offsetof(TrapSite, code_offset) == 0 &&
              offsetof(TrapSite, code) == 4 && offsetof(TrapSite, wasm_offset) == 8);
static_assert(sizeof(runtime::TrapCode) == 1);
static_assert(sizeof(CallSite) == 12 && offsetof(CallSite, return_offset) == 0 &&
              offsetof(CallSite, wasm_offset) == 4 && offsetof(CallSite, stack_map) == 8);

inline bool HasMagic(const uint8_t* data, size_t size) {
  return size >= sizeof(kMagic) && std::memcmp(data, kMagic, sizeof(kMagic)) == 0;
}

}  // namespace wt::jit::cwasm
