#include "wast/json_writer.h"

#include <gtest/gtest.h>

namespace wt::wast {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(JsonWriter, EscapesStrings) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("x\ny\tz"), "\"x\\ny\\tz\"");
  EXPECT_EQ(Json(std::string_view("\x01\x00", 2)), "\"\\u0001\\u0000\"");
  EXPECT_EQ(Json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");             // valid UTF-8 kept
  EXPECT_EQ(Json("\xff"), "\"\\ufffd\"");                        // invalid byte
  EXPECT_EQ(Json("\xc3"), "\"\\ufffd\"");                        // truncated sequence
  EXPECT_EQ(Json("\xc0\x80"), "\"\\ufffd\\ufffd\"");             // overlong
  EXPECT_EQ(Json("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}

TEST(JsonWriter, OneRecordPerLine) {
  FileResult f;
  f.path = "t.wast";
  f.records.push_back({3, "module", Outcome::kPassed, "", "", ""});
  f.records.push_back(
      {7, "assert_invalid", Outcome::kFailed, "module is valid", "type mismatch", ""});
  std::string json = RecordsToJson(std::span<const FileResult>(&f, 1));
  EXPECT_EQ(json,
            "[\n"
            "{\"file\": \"t.wast\", \"line\": 3, \"kind\": \"module\", \"result\": \"passed\", "
            "\"message\": \"\", \"expected\": \"\", \"actual\": \"\"},\n"
            "{\"file\": \"t.wast\", \"line\": 7, \"kind\": \"assert_invalid\", \"result\": "
            "\"failed\", \"message\": \"module is valid\", \"expected\": \"type mismatch\", "
            "\"actual\": \"\"}\n"
            "]\n");
  EXPECT_EQ(RecordsToJson({}), "[]\n");
}

}  // namespace
}  // namespace wt::wast
