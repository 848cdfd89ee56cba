#include "text/literals.h"

#include <gtest/gtest.h>

#include <optional>

namespace wt::text {
namespace {

TEST(LiteralsTest, Integers) {
  EXPECT_EQ(ParseI32("0"), 0u);
  EXPECT_EQ(ParseI32("1_000_000"), 1000000u);
  EXPECT_EQ(ParseI32("0xffff_ffff"), 0xffffffffu);
  EXPECT_EQ(ParseI32("4294967295"), 0xffffffffu);
  EXPECT_EQ(ParseI32("-1"), 0xffffffffu);
  EXPECT_EQ(ParseI32("+7"), 7u);
  EXPECT_EQ(ParseI32("-2147483648"), 0x80000000u);
  EXPECT_EQ(ParseI32("-0x8000_0000"), 0x80000000u);
  EXPECT_EQ(ParseI32("0xABCdef"), 0xabcdefu);
  EXPECT_EQ(ParseI32("4294967296"), std::nullopt);
  EXPECT_EQ(ParseI32("0x1_0000_0000"), std::nullopt);
  EXPECT_EQ(ParseI32("-2147483649"), std::nullopt);
  EXPECT_EQ(ParseI32("-0x80000001"), std::nullopt);
  EXPECT_EQ(ParseI32("99999999999999999999999"), std::nullopt);
  for (const char* bad : {"", "-", "+", "0x", "1_", "_1", "1__2", "0x_1", "1x", "0xg", "1.0", "--1",
                          "+-1", "0X1", " 1"}) {
    EXPECT_EQ(ParseI32(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseI64("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseI64("-9223372036854775808"), 0x8000000000000000u);
  EXPECT_EQ(ParseI64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseI64("-9223372036854775809"), std::nullopt);
  EXPECT_EQ(ParseI64("0x1_0000_0000_0000_0000"), std::nullopt);
  EXPECT_EQ(ParseU32("4294967295"), 0xffffffffu);
  EXPECT_EQ(ParseU32("0x10"), 16u);
  EXPECT_EQ(ParseU32("-1"), std::nullopt);
  EXPECT_EQ(ParseU32("+1"), std::nullopt);
  EXPECT_EQ(ParseU32("4294967296"), std::nullopt);
  EXPECT_EQ(ParseU64("0xffffffffffffffff"), UINT64_MAX);
  EXPECT_EQ(ParseI8("255"), 255u);
  EXPECT_EQ(ParseI8("-128"), 0x80u);
  EXPECT_EQ(ParseI8("256"), std::nullopt);
  EXPECT_EQ(ParseI8("-129"), std::nullopt);
  EXPECT_EQ(ParseI16("-0x8000"), 0x8000u);
  EXPECT_EQ(ParseI16("0xffff"), 0xffffu);
  EXPECT_EQ(ParseI16("65536"), std::nullopt);
}

TEST(LiteralsTest, FloatSpecials) {
  EXPECT_EQ(ParseF32Bits("inf"), 0x7f800000u);
  EXPECT_EQ(ParseF32Bits("-inf"), 0xff800000u);
  EXPECT_EQ(ParseF32Bits("+inf"), 0x7f800000u);
  EXPECT_EQ(ParseF32Bits("nan"), 0x7fc00000u);
  EXPECT_EQ(ParseF32Bits("-nan"), 0xffc00000u);
  EXPECT_EQ(ParseF32Bits("nan:0x1"), 0x7f800001u);
  EXPECT_EQ(ParseF32Bits("-nan:0x7f_ffff"), 0xffffffffu);
  EXPECT_EQ(ParseF32Bits("nan:0x800000"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("nan:0x0"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("nan:0x"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("nan:1"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("nan"), 0x7ff8000000000000u);
  EXPECT_EQ(ParseF64Bits("-inf"), 0xfff0000000000000u);
  EXPECT_EQ(ParseF64Bits("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffu);
  EXPECT_EQ(ParseF64Bits("nan:0x10000000000000"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("+nan:0x4"), 0x7ff0000000000004u);
  EXPECT_EQ(ParseF32Bits("infinity"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("nan:canonical"), std::nullopt);
}

TEST(LiteralsTest, FloatDecimal) {
  EXPECT_EQ(ParseF32Bits("0"), 0u);
  EXPECT_EQ(ParseF32Bits("-0.0"), 0x80000000u);
  EXPECT_EQ(ParseF32Bits("1"), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("1."), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("-1.5e0"), 0xbfc00000u);
  EXPECT_EQ(ParseF32Bits("0.1"), 0x3dcccccdu);
  EXPECT_EQ(ParseF32Bits("1_0.0_0e0_1"), 0x42c80000u);  // 100
  EXPECT_EQ(ParseF32Bits("3.4028234663852886e38"), 0x7f7fffffu);
  EXPECT_EQ(ParseF32Bits("3.4028235677973366e38"), 0x7f7fffffu);   // just below the halfway
  EXPECT_EQ(ParseF32Bits("3.4028235677973367e38"), std::nullopt);  // rounds to infinity
  EXPECT_EQ(ParseF32Bits("1e39"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("-1e39"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("1e-45"), 1u);
  EXPECT_EQ(ParseF32Bits("1e-46"), 0u);
  EXPECT_EQ(ParseF32Bits("-1e-46"), 0x80000000u);
  EXPECT_EQ(ParseF32Bits("0.000000000000000000000000000000000000000000001"), 1u);
  EXPECT_EQ(ParseF64Bits("0.1"), 0x3fb999999999999au);
  EXPECT_EQ(ParseF64Bits("1e308"), 0x7fe1ccf385ebc8a0u);
  EXPECT_EQ(ParseF64Bits("1e309"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("4.9406564584124654e-324"), 1u);
  EXPECT_EQ(ParseF64Bits("2.4703282292062328e-324"), 1u);  // just above half the min subnormal
  EXPECT_EQ(ParseF64Bits("2.4703282292062327e-324"), 0u);
  EXPECT_EQ(ParseF64Bits("1e-1000000000"), 0u);
  EXPECT_EQ(ParseF64Bits("1e1000000000"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("0e1000000000"), 0u);
  EXPECT_EQ(ParseF64Bits("1e99999999999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("0.00000000000000000000000000000000000000001e41"), 0x3ff0000000000000u);
  EXPECT_EQ(ParseF64Bits("10000000000000000000000000000000000000000e-40"), 0x3ff0000000000000u);
  // Ties in decimal: 2^53 + 1 is halfway between 2^53 and 2^53 + 2 -> even.
  EXPECT_EQ(ParseF64Bits("9007199254740993"), 0x4340000000000000u);
  EXPECT_EQ(ParseF64Bits("9007199254740993.000000000000000000000000001"), 0x4340000000000001u);
  for (const char* bad : {".0", ".0e0", "0e", "0e+", "0.0e", "0.0e-", "1x", "1e_1", "1_.0", "1._0",
                          "e1", "1.0.0", "- 1", "1f"}) {
    EXPECT_EQ(ParseF32Bits(bad), std::nullopt) << bad;
    EXPECT_EQ(ParseF64Bits(bad), std::nullopt) << bad;
  }
}

TEST(LiteralsTest, FloatHex) {
  EXPECT_EQ(ParseF32Bits("0x1p0"), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("0x1"), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("0x1.8"), 0x3fc00000u);
  EXPECT_EQ(ParseF32Bits("-0x1P-1"), 0xbf000000u);
  EXPECT_EQ(ParseF32Bits("0x.8p1"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("0x1.fffffep127"), 0x7f7fffffu);
  EXPECT_EQ(ParseF32Bits("0x1.fffffefffffffffffp127"), 0x7f7fffffu);
  EXPECT_EQ(ParseF32Bits("0x1.ffffffp127"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("0x1p128"), std::nullopt);
  EXPECT_EQ(ParseF32Bits("0x1p-149"), 1u);
  EXPECT_EQ(ParseF32Bits("0x1p-150"), 0u);                  // tie -> even (0)
  EXPECT_EQ(ParseF32Bits("0x1.000001p-150"), 1u);           // above the tie
  EXPECT_EQ(ParseF32Bits("0x1.8p-149"), 2u);                // tie -> even (2)
  EXPECT_EQ(ParseF32Bits("0x1.fffffcp-127"), 0x007fffffu);  // largest subnormal
  EXPECT_EQ(ParseF32Bits("0x1.fffffep-127"), 0x00800000u);  // rounds up to min normal
  // Rounding at the 24th bit: ties to even, any later bit breaks the tie.
  EXPECT_EQ(ParseF32Bits("0x1.000001p0"), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("0x1.000003p0"), 0x3f800002u);
  EXPECT_EQ(ParseF32Bits("0x1.00000100000000000000000000000000001p0"), 0x3f800001u);
  EXPECT_EQ(ParseF32Bits("0x1_0000_0000_0000_0000_0000_0000_0001p-112"), 0x3f800000u);
  EXPECT_EQ(ParseF32Bits("0x8000_0100_0000_0000_0000_0000_0000_0001p-127"), 0x3f800001u);
  EXPECT_EQ(ParseF32Bits("0x0.0000000000000000000000000001p112"), 0x3f800000u);
  EXPECT_EQ(ParseF64Bits("0x1.fffffffffffffp1023"), 0x7fefffffffffffffu);
  EXPECT_EQ(ParseF64Bits("0x1.fffffffffffff8p1023"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("0x1p-1074"), 1u);
  EXPECT_EQ(ParseF64Bits("0x1p-1075"), 0u);
  EXPECT_EQ(ParseF64Bits("0x1.0000000000000000001p-1075"), 1u);
  EXPECT_EQ(ParseF64Bits("0x1.00000000000008p0"), 0x3ff0000000000000u);
  EXPECT_EQ(ParseF64Bits("0x1.00000000000018p0"), 0x3ff0000000000002u);
  // Exponents far outside int.
  EXPECT_EQ(ParseF64Bits("0x1p+2147483648"), std::nullopt);
  EXPECT_EQ(ParseF64Bits("0x1p-2147483649"), 0u);
  EXPECT_EQ(ParseF64Bits("-0x1p-99999999999999999999999"), 0x8000000000000000u);
  EXPECT_EQ(ParseF64Bits("0x0p99999999999999999999999"), 0u);
  for (const char* bad : {"0x", "0x.", "0x0.g", "0x0p", "0x0p+", "0x0p-", "0x0.0p", "0x0pA",
                          "0x1e+1", "0x1p1.5", "0x1p0x1", "0x_1p0"}) {
    EXPECT_EQ(ParseF32Bits(bad), std::nullopt) << bad;
    EXPECT_EQ(ParseF64Bits(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace wt::text
