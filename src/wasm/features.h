// Wasm feature (proposal) flags, with the presets for the Wasm 2.0 and 3.0 specifications.
#pragma once

#include <cstdint>
#include <string_view>

namespace wt::wasm {

#define WT_FEATURES(X)                      \
  X(kMvp, "mvp")                            \
  X(kSignExt, "sign-extension")             \
  X(kSatConv, "saturating-float-to-int")    \
  X(kMultiValue, "multi-value")             \
  X(kRefTypes, "reference-types")           \
  X(kBulk, "bulk-memory")                   \
  X(kSimd, "simd")                          \
  X(kRelaxedSimd, "relaxed-simd")           \
  X(kTailCall, "tail-call")                 \
  X(kExceptions, "exceptions")              \
  X(kLegacyExceptions, "legacy-exceptions") \
  X(kFuncRefs, "function-references")       \
  X(kGc, "gc")                              \
  X(kMemory64, "memory64")                  \
  X(kMultiMemory, "multi-memory")           \
  X(kExtendedConst, "extended-const")       \
  X(kThreads, "threads")                    \
  X(kCustomPageSizes, "custom-page-sizes")

enum class Feature : uint8_t {
#define WT_FEATURE_ENUM(e, s) e,
  WT_FEATURES(WT_FEATURE_ENUM)
#undef WT_FEATURE_ENUM
      kCount
};

class Features {
 public:
  constexpr Features() = default;
  constexpr explicit Features(uint32_t bits) : bits_(bits) {}
  constexpr bool has(Feature f) const { return (bits_ >> static_cast<unsigned>(f)) & 1u; }
  constexpr Features& set(Feature f, bool on = true) {
    if (on)
      bits_ |= 1u << static_cast<unsigned>(f);
    else
      bits_ &= ~(1u << static_cast<unsigned>(f));
    return *this;
  }
  constexpr uint32_t bits() const { return bits_; }

  // Wasm 2.0: MVP, sign-extension, non-trapping float-to-int, multi-value, reference types,
  // bulk memory, SIMD.
  static constexpr Features Wasm20() {
    Features f;
    f.set(Feature::kMvp).set(Feature::kSignExt).set(Feature::kSatConv).set(Feature::kMultiValue);
    f.set(Feature::kRefTypes).set(Feature::kBulk).set(Feature::kSimd);
    return f;
  }
  // Wasm 3.0: 2.0 plus relaxed SIMD, tail calls, exceptions, typed function references, GC,
  // memory64, multi-memory, extended constant expressions. Also two extensions that toolchains
  // emit today and that no 3.0 module can conflict with: the threads proposal (shared
  // memories, atomics, prefix 0xFE) and the legacy exception opcodes (try/catch/catch_all/
  // delegate/rethrow, which LLVM emits for C++ exceptions and setjmp/longjmp); and the
  // custom-page-sizes proposal (memory limits flag 0x08 + a page size exponent; byte-sized
  // pages). They are decoded and validated; the JIT refuses them ("unsupported feature:
  // threads" / "legacy exceptions" / "custom page sizes").
  static constexpr Features Wasm30() {
    Features f = Wasm20();
    f.set(Feature::kRelaxedSimd).set(Feature::kTailCall).set(Feature::kExceptions);
    f.set(Feature::kFuncRefs).set(Feature::kGc).set(Feature::kMemory64);
    f.set(Feature::kMultiMemory).set(Feature::kExtendedConst);
    f.set(Feature::kThreads).set(Feature::kLegacyExceptions).set(Feature::kCustomPageSizes);
    return f;
  }

 private:
  uint32_t bits_ = 0;
};

const char* FeatureName(Feature f);
// Looks up a feature by its name ("simd", "gc", ...); false if unknown.
bool ParseFeatureName(std::string_view name, Feature* out);

}  // namespace wt::wasm
