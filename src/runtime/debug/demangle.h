// Demangling of function names found in a module's name section: C++ (Itanium ABI, through
// libstdc++'s abi::__cxa_demangle) and Rust (legacy `_ZN...17h<hash>E` and v0 `_R...`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wt::runtime::debug {

// The demangled name, or `name` unchanged when it is not a mangled name we understand.
std::string Demangle(std::string_view name);

// Rust legacy mangling (`_ZN` ... `17h<16 hex digits>E`), without the hash.
std::optional<std::string> DemangleRustLegacy(std::string_view name);
// Rust v0 mangling (`_R...`), without crate disambiguators.
std::optional<std::string> DemangleRustV0(std::string_view name);
// Itanium C++ mangling (`_Z...`).
std::optional<std::string> DemangleCxx(std::string_view name);

}  // namespace wt::runtime::debug
