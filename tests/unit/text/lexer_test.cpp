#include "text/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wt::text {
namespace {

using K = TokenKind;

std::vector<Token> Lex(std::string_view src) {
  auto r = Tokenize(src, "t.wat");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  if (!r.ok()) return {};
  return std::move(r).value();
}

std::vector<K> Kinds(std::string_view src) {
  std::vector<K> out;
  for (const Token& t : Lex(src)) out.push_back(t.kind);
  return out;
}

K KindOf(std::string_view src) {
  auto toks = Lex(src);
  EXPECT_EQ(toks.size(), 2u) << src;
  return toks.empty() ? K::kEof : toks[0].kind;
}

std::string ErrorOf(std::string_view src) {
  auto r = Tokenize(src, "t.wat");
  EXPECT_FALSE(r.ok()) << src;
  return r.ok() ? "" : r.error().ToString();
}

TEST(LexerTest, BasicTokensAndPositions) {
  auto toks = Lex("(module\n  (func $f (result i32) i32.const 42))");
  ASSERT_EQ(toks.size(), 14u);
  EXPECT_EQ(toks[0].kind, K::kLParen);
  EXPECT_EQ(toks[1].kind, K::kKeyword);
  EXPECT_EQ(toks[1].text, "module");
  EXPECT_EQ(toks[3].text, "func");
  EXPECT_EQ(toks[3].line, 2u);
  EXPECT_EQ(toks[3].column, 4u);
  EXPECT_EQ(toks[4].kind, K::kId);
  EXPECT_EQ(toks[4].text, "$f");
  EXPECT_EQ(toks[9].text, "i32.const");
  EXPECT_EQ(toks[10].kind, K::kNat);
  EXPECT_EQ(toks[10].column, 35u);
  EXPECT_EQ(toks[13].kind, K::kEof);
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(KindOf("0"), K::kNat);
  EXPECT_EQ(KindOf("1_000"), K::kNat);
  EXPECT_EQ(KindOf("0xFF_ff"), K::kNat);
  EXPECT_EQ(KindOf("+1"), K::kInt);
  EXPECT_EQ(KindOf("-0x1"), K::kInt);
  EXPECT_EQ(KindOf("1.5"), K::kFloat);
  EXPECT_EQ(KindOf("1."), K::kFloat);
  EXPECT_EQ(KindOf("1.e5"), K::kFloat);
  EXPECT_EQ(KindOf("1e+5"), K::kFloat);
  EXPECT_EQ(KindOf("1E-5_0"), K::kFloat);
  EXPECT_EQ(KindOf("-0x1.8p3"), K::kFloat);
  EXPECT_EQ(KindOf("0x1P-2"), K::kFloat);
  EXPECT_EQ(KindOf("0x1."), K::kFloat);
  EXPECT_EQ(KindOf("0xa.bp1"), K::kFloat);
  EXPECT_EQ(KindOf("inf"), K::kFloat);
  EXPECT_EQ(KindOf("-inf"), K::kFloat);
  EXPECT_EQ(KindOf("nan"), K::kFloat);
  EXPECT_EQ(KindOf("+nan:0x7f_ffff"), K::kFloat);
  // Not numbers.
  EXPECT_EQ(KindOf("0x"), K::kReserved);
  EXPECT_EQ(KindOf("1_"), K::kReserved);
  EXPECT_EQ(KindOf("1__0"), K::kReserved);
  EXPECT_EQ(KindOf("_1"), K::kReserved);
  EXPECT_EQ(KindOf("1e"), K::kReserved);
  EXPECT_EQ(KindOf("1.e"), K::kReserved);
  EXPECT_EQ(KindOf("1._5"), K::kReserved);
  EXPECT_EQ(KindOf("0x1e+5"), K::kReserved);
  EXPECT_EQ(KindOf("1p5"), K::kReserved);
  EXPECT_EQ(KindOf("0x1p"), K::kReserved);
  EXPECT_EQ(KindOf("+"), K::kReserved);
  EXPECT_EQ(KindOf("-nan:0x"), K::kReserved);
  EXPECT_EQ(KindOf("0drop"), K::kReserved);
  EXPECT_EQ(KindOf("+inf1"), K::kReserved);
  // Keywords.
  EXPECT_EQ(KindOf("nan:canonical"), K::kKeyword);
  EXPECT_EQ(KindOf("infinity"), K::kKeyword);
  EXPECT_EQ(KindOf("offset=0x10"), K::kKeyword);
  EXPECT_EQ(KindOf("i32.const0"), K::kKeyword);
}

TEST(LexerTest, IdsStringsAndReserved) {
  EXPECT_EQ(KindOf("$l$l"), K::kId);
  EXPECT_EQ(KindOf("$!?@#a$%^&*b-+_.:9'`|/\\<=>~"), K::kId);
  EXPECT_EQ(KindOf("$\"a b\""), K::kId);
  EXPECT_EQ(KindOf("\"\""), K::kString);
  EXPECT_EQ(KindOf("\"a\\\"b\""), K::kString);
  EXPECT_EQ(KindOf("$l\"a\""), K::kReserved);
  EXPECT_EQ(KindOf("$\"l\"0"), K::kReserved);
  EXPECT_EQ(KindOf("\"a\"x"), K::kReserved);
  EXPECT_EQ(KindOf("\"a\"\"b\""), K::kReserved);
  EXPECT_EQ(KindOf("0$l"), K::kReserved);
  EXPECT_EQ(KindOf("a,b"), K::kReserved);
  EXPECT_EQ(KindOf("{"), K::kReserved);
  EXPECT_EQ(KindOf(";"), K::kReserved);
  EXPECT_EQ(KindOf("A"), K::kReserved);
  EXPECT_EQ(KindOf("@b"), K::kReserved);
  EXPECT_EQ(Kinds("(data\"a\")"), (std::vector<K>{K::kLParen, K::kReserved, K::kRParen, K::kEof}));
  EXPECT_EQ(Kinds("(func(nop)nop)"),
            (std::vector<K>{K::kLParen, K::kKeyword, K::kLParen, K::kKeyword, K::kRParen,
                            K::kKeyword, K::kRParen, K::kEof}));
  EXPECT_EQ(IdName(Lex("$abc")[0]), "abc");
  EXPECT_EQ(IdName(Lex("$\"a\\62c\"")[0]), "abc");
  EXPECT_EQ(IdName(Lex("$\"\\u{41}\\u{f61a}\"")[0]), "A\xef\x98\x9a");
}

TEST(LexerTest, DecodeString) {
  auto toks = Lex(R"("a\t\n\r\"\'\\\00\ff\u{41}\u{1_F600}")");
  ASSERT_EQ(toks[0].kind, K::kString);
  auto s = DecodeString(toks[0], "t.wat");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, std::string("a\t\n\r\"'\\\0\xff"
                            "A\xf0\x9f\x98\x80",
                            14));
  auto utf8 = Lex("\"Heiße\"");
  EXPECT_EQ(*DecodeString(utf8[0], "t.wat"), "Heiße");
}

TEST(LexerTest, Comments) {
  EXPECT_EQ(Kinds(";;c\n(;a(;b;)c;)x;;\n"), (std::vector<K>{K::kKeyword, K::kEof}));
  EXPECT_EQ(Kinds("nop;;x"), (std::vector<K>{K::kKeyword, K::kEof}));
  EXPECT_EQ(Kinds("a;b"), (std::vector<K>{K::kReserved, K::kEof}));
  EXPECT_EQ(Kinds("(;\x01\x7f;)"), (std::vector<K>{K::kEof}));
  EXPECT_EQ(Kinds("(; ;)"), (std::vector<K>{K::kEof}));
  // A carriage return ends a line comment.
  EXPECT_EQ(Kinds(";; c\rnop"), (std::vector<K>{K::kKeyword, K::kEof}));
  auto toks = Lex("(;\n\n;) x");
  EXPECT_EQ(toks[0].line, 3u);
  EXPECT_EQ(toks[0].column, 4u);
  EXPECT_EQ(ErrorOf("x (; (; ;)"), "t.wat:1:3: unclosed comment");
  EXPECT_NE(ErrorOf(";; \x80").find("malformed UTF-8"), std::string::npos);
  EXPECT_NE(ErrorOf("(; \xc0\x80 ;)").find("malformed UTF-8"), std::string::npos);
}

TEST(LexerTest, Annotations) {
  EXPECT_EQ(Kinds("(@a) (@0) (@\"a\") x"), (std::vector<K>{K::kKeyword, K::kEof}));
  EXPECT_EQ(Kinds("(@a x-y$yz\"aa\"-2 , ; ] [ }} ({) (@) (@ x) \")\" (; ) ;) ;; )\n) y"),
            (std::vector<K>{K::kKeyword, K::kEof}));
  EXPECT_EQ(Kinds("((@a)module(@a))"),
            (std::vector<K>{K::kLParen, K::kKeyword, K::kRParen, K::kEof}));
  EXPECT_EQ(Kinds("( @a)"), (std::vector<K>{K::kLParen, K::kReserved, K::kRParen, K::kEof}));
  EXPECT_EQ(Kinds("(@a $ $\"\")"), (std::vector<K>{K::kEof}));
  EXPECT_NE(ErrorOf("(@)").find("empty annotation id"), std::string::npos);
  EXPECT_NE(ErrorOf("(@ x)").find("empty annotation id"), std::string::npos);
  EXPECT_NE(ErrorOf("(@(@a)x)").find("empty annotation id"), std::string::npos);
  EXPECT_NE(ErrorOf("(@\"\")").find("empty annotation id"), std::string::npos);
  EXPECT_NE(ErrorOf("(@\"\n\")").find("empty annotation id"), std::string::npos);
  EXPECT_NE(ErrorOf("(@\"\\ef\")").find("malformed UTF-8"), std::string::npos);
  EXPECT_EQ(ErrorOf("x\n (@x (y (z))"), "t.wat:2:2: unclosed annotation");
  EXPECT_NE(ErrorOf("(@x \")").find("unclosed string"), std::string::npos);
  EXPECT_NE(ErrorOf("(@a \x01)").find("illegal character"), std::string::npos);
  EXPECT_NE(ErrorOf("(@a \x80)").find("malformed UTF-8 encoding"), std::string::npos);
  EXPECT_NE(ErrorOf("(@a Heiße)").find("illegal character"), std::string::npos);
  // Tabs, newlines and carriage returns are whitespace.
  EXPECT_EQ(Kinds("(@a \t\n\r)"), (std::vector<K>{K::kEof}));
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(ErrorOf("(func $)"), "t.wat:1:7: empty identifier");
  EXPECT_NE(ErrorOf("(func $(@a))").find("empty identifier"), std::string::npos);
  EXPECT_NE(ErrorOf("$\"\"").find("empty identifier"), std::string::npos);
  EXPECT_NE(ErrorOf("$\"a\nb\"").find("empty identifier"), std::string::npos);
  EXPECT_NE(ErrorOf("$\"\\ef\"").find("malformed UTF-8"), std::string::npos);
  EXPECT_NE(ErrorOf("\"abc").find("unclosed string"), std::string::npos);
  EXPECT_NE(ErrorOf("\"a\nb\"").find("unclosed string"), std::string::npos);
  EXPECT_NE(ErrorOf("\"a\tb\"").find("illegal character"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\x\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\u{d800}\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\u{110000}\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\u{}\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\u{1__0}\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\u{ffffffffffff}\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\\f\"").find("illegal escape"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\xed\xa0\x80\"").find("malformed UTF-8"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\xf4\x90\x80\x80\"").find("malformed UTF-8"), std::string::npos);
  EXPECT_NE(ErrorOf("\"\xe0\x80\xaf\"").find("malformed UTF-8"), std::string::npos);
  EXPECT_EQ(ErrorOf("a\n  \x01"), "t.wat:2:3: illegal character");
  EXPECT_NE(ErrorOf("\x7f").find("illegal character"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string_view("a\0b", 3)).find("illegal character"), std::string::npos);
  EXPECT_NE(ErrorOf("\xff").find("malformed UTF-8"), std::string::npos);
}

TEST(LexerTest, EmptyAndEof) {
  auto toks = Lex("");
  ASSERT_EQ(toks.size(), 1u);
  EXPECT_EQ(toks[0].kind, K::kEof);
  toks = Lex("x\n");
  EXPECT_EQ(toks.back().line, 2u);
  EXPECT_EQ(toks.back().column, 1u);
}

}  // namespace
}  // namespace wt::text
