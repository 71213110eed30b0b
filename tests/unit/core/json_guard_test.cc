#include "core/json_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace yuqing {

std::string Nested(int levels, const std::string& inner = "1") {
  return std::string(levels, '[') + inner + std::string(levels, ']');
}

TEST(JsonGuard, AcceptsUpToTheLimit) {
  auto j = ParseJson(Nested(kMaxJsonDepth));
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(JsonDepthViolation(Nested(kMaxJsonDepth)), -1);
}

TEST(JsonGuard, RefusesOneLevelMoreWithTheByte) {
  auto j = ParseJson(Nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), Code::kInvalid);
  EXPECT_NE(j.status().message().find("byte 64"), std::string::npos) << j.status().message();
}

// Regression (issue 22): ~60,000 levels overflowed the stack in dump(); they are refused before
// anything is built, in objects as in arrays.
TEST(JsonGuard, RefusesTheProbesPoisonRecord) {
  std::string deep;
  for (int i = 0; i < 60000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(60000, '}');
  EXPECT_FALSE(ParseJson(deep).ok());
  EXPECT_FALSE(ParseJson("{\"text\":\"x\",\"extra\":" + Nested(60000) + "}").ok());
}

TEST(JsonGuard, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"t\":\"" + std::string(500, '[') + "\\\"" + std::string(500, '{') + "\"}";
  auto j = ParseJson(s);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["t"].get<std::string>().size(), 1001u);
}

TEST(JsonGuard, SyntaxErrorsNameTheByte) {
  auto j = ParseJson("{\"a\": tru}");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.status().message().find("invalid JSON at byte"), std::string::npos) << j.status().message();
}

}  // namespace yuqing
