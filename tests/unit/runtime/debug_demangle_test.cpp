// Demangling of name-section names: C++ (libstdc++), Rust legacy and Rust v0.
#include <gtest/gtest.h>

#include "runtime/debug/demangle.h"

namespace wt::runtime::debug {
namespace {

TEST(Demangle, Cxx) {
  EXPECT_EQ(Demangle("_Z6divideii"), "divide(int, int)");
  EXPECT_EQ(Demangle("_ZN3foo3barEv"), "foo::bar()");
  EXPECT_EQ(Demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"),
            "std::vector<int, std::allocator<int> >::push_back(int const&)");
  EXPECT_EQ(DemangleCxx("main"), std::nullopt);
  EXPECT_EQ(DemangleCxx("_Zbogus"), std::nullopt);
}

TEST(Demangle, PlainNamesStayAsTheyAre) {
  EXPECT_EQ(Demangle("main"), "main");
  EXPECT_EQ(Demangle("_start"), "_start");
  EXPECT_EQ(Demangle(""), "");
  EXPECT_EQ(Demangle("_Z"), "_Z");
  EXPECT_EQ(Demangle("_R"), "_R");
}

TEST(Demangle, RustLegacy) {
  EXPECT_EQ(Demangle("_ZN4core9panicking5panic17h0123456789abcdefE"), "core::panicking::panic");
  EXPECT_EQ(Demangle("_ZN66_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..drop..Drop$GT$"
                     "4drop17h0123456789abcdefE"),
            "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop");
  EXPECT_EQ(Demangle("_ZN4main27$u7b$$u7b$closure$u7d$$u7d$17hffffffffffffffffE"),
            "main::{{closure}}");
  EXPECT_EQ(Demangle("_ZN5hello4main17h1a2b3c4d5e6f7a8bE"), "hello::main");
  // Not a Rust hash: left to the C++ demangler.
  EXPECT_EQ(DemangleRustLegacy("_ZN3foo3barE"), std::nullopt);
  EXPECT_EQ(DemangleRustLegacy("_ZN3foo17hxyz4567890abcdefE"), std::nullopt);
  // Truncated / lying lengths.
  EXPECT_EQ(DemangleRustLegacy("_ZN99foo17h0123456789abcdefE"), std::nullopt);
  EXPECT_EQ(DemangleRustLegacy("_ZN3foo17h0123456789abcdef"), std::nullopt);
  EXPECT_EQ(DemangleRustLegacy("_ZN3f$o17h0123456789abcdefE"), std::nullopt);
}

TEST(Demangle, RustV0Paths) {
  EXPECT_EQ(Demangle("_RNvCs15kBYyAo9fc_7mycrate7example"), "mycrate::example");
  EXPECT_EQ(Demangle("_RNvNtCs1234_7mycrate3foo3bar"), "mycrate::foo::bar");
  EXPECT_EQ(Demangle("_RNCNvC7mycrate4main0"), "mycrate::main::{closure#0}");
  EXPECT_EQ(Demangle("_RNCNvC7mycrate4mains_0"), "mycrate::main::{closure#1}");
  EXPECT_EQ(Demangle("_RNvC7mycrate4main.llvm.1234"), "mycrate::main");
  // An encoding version and an instantiating crate are accepted and not printed.
  EXPECT_EQ(Demangle("_R0NvC7mycrate4mainC3std"), "mycrate::main");
}

TEST(Demangle, RustV0Impls) {
  EXPECT_EQ(Demangle("_RNvMNtC7mycrate3fooNtNtC7mycrate3foo3Bar3new"), "<mycrate::foo::Bar>::new");
  // The same with a backref to the impl's module path (offset 3 after "_R").
  EXPECT_EQ(Demangle("_RNvMNtC7mycrate3fooNtB2_3Bar3new"), "<mycrate::foo::Bar>::new");
  EXPECT_EQ(Demangle("_RNvXNtC7mycrate3fooNtB2_3BarNtNtC3std3fmt7Display3fmt"),
            "<mycrate::foo::Bar as std::fmt::Display>::fmt");
}

TEST(Demangle, RustV0Generics) {
  EXPECT_EQ(Demangle("_RINvNtC3std3mem8align_ofdE"), "std::mem::align_of::<f64>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooTlmEE"), "mycrate::foo::<(i32, u32)>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooRShE"), "mycrate::foo::<&[u8]>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooQPuE"), "mycrate::foo::<&mut *const ()>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooKj4_E"), "mycrate::foo::<4>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooKb0_E"), "mycrate::foo::<false>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooAhj10_E"), "mycrate::foo::<[u8; 16]>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooFlmEyE"), "mycrate::foo::<fn(i32, u32) -> u64>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooINtC5alloc3VeclEE"), "mycrate::foo::<alloc::Vec<i32>>");
  EXPECT_EQ(Demangle("_RINvC7mycrate3fooDNtC4core5DebugEL_E"), "mycrate::foo::<dyn core::Debug>");
}

TEST(Demangle, RustV0RejectsBadInput) {
  EXPECT_EQ(DemangleRustV0("_RZZ"), std::nullopt);
  EXPECT_EQ(DemangleRustV0("_RNvC7mycrate"), std::nullopt);        // truncated identifier
  EXPECT_EQ(DemangleRustV0("_RNvC99mycrate4main"), std::nullopt);  // length past the end
  EXPECT_EQ(DemangleRustV0("_RB_"), std::nullopt);                 // backref to itself
  EXPECT_EQ(DemangleRustV0("_RNvB0_4main"), std::nullopt);         // backref loop
  EXPECT_EQ(DemangleRustV0("_RINvC1aE"), std::nullopt);            // missing path ident
  // Deep nesting ends in an error, not a crash.
  std::string deep = "_RINvC1a1b";
  for (int i = 0; i < 10000; ++i) deep += "S";
  EXPECT_EQ(DemangleRustV0(deep), std::nullopt);
  EXPECT_EQ(Demangle(deep), deep);
  // Work that doubles at every level: an impl path is parsed (not printed) inline and then
  // again through a backref as the impl's type. The step budget ends it quickly.
  // (Built with push_back / +=: GCC 12's -Wrestrict misfires on string insert and +.)
  auto base62 = [](uint64_t v) {
    std::string d;
    if (v > 0) {
      for (uint64_t x = v - 1;; x /= 62) {
        d.push_back("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[x % 62]);
        if (x < 62) break;
      }
    }
    std::string out(d.rbegin(), d.rend());
    out.push_back('_');
    return out;
  };
  const int n = 40;
  std::string blowup = "_R";
  blowup.append(n, 'M');
  blowup += "NvC1a1b";
  for (int k = 1; k <= n; ++k) {
    blowup += 'B';
    blowup += base62(static_cast<uint64_t>(n - k + 1));
  }
  EXPECT_EQ(DemangleRustV0(blowup), std::nullopt);
  // The same at a depth the budget allows is printed.
  std::string small = "_RMMMNvC1a1b";
  for (int k = 1; k <= 3; ++k) {
    small += 'B';
    small += base62(static_cast<uint64_t>(3 - k + 1));
  }
  EXPECT_EQ(DemangleRustV0(small), "<<<a::b>>>");
}

}  // namespace
}  // namespace wt::runtime::debug
