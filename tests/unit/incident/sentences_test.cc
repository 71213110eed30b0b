#include "incident/sentences.h"

#include <gtest/gtest.h>

#include "incident/wide_text.h"

namespace yuqing::incident {
namespace {

std::vector<std::string> Split(const char* s) {
  std::wstring w = Widen(s);
  std::vector<std::string> out;
  for (const auto& sp : SplitSentences(w)) out.push_back(Narrow(w.substr(sp.start, sp.end - sp.start)));
  return out;
}

TEST(Sentences, ChinesePunctuation) {
  auto s = Split("第一句。第二句！第三句？“引号里。”第五句");
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0], "第一句。");
  EXPECT_EQ(s[3], "“引号里。”");
  EXPECT_EQ(s[4], "第五句");
}

TEST(Sentences, KeepsDecimalsAndUrls) {
  auto s = Split("余氯为0.5毫克每升。详见www.example.cn. Next sentence.");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "余氯为0.5毫克每升。");
}

TEST(Sentences, OffsetsAreCharacters) {
  std::wstring w = Widen("  甲乙。\n丙丁！！");
  auto sp = SplitSentences(w);
  ASSERT_EQ(sp.size(), 2u);
  EXPECT_EQ(sp[0].start, 2u);
  EXPECT_EQ(sp[0].end, 5u);
  EXPECT_EQ(sp[1].start, 6u);
  EXPECT_EQ(sp[1].end, 10u);
}

TEST(Sentences, BlankAndRunOn) {
  EXPECT_TRUE(Split(" \n \n").empty());
  std::string long_text;
  for (int i = 0; i < 300; ++i) long_text += "很长，";
  auto sp = SplitSentences(Widen(long_text), 100);
  EXPECT_GT(sp.size(), 5u);
  for (const auto& x : sp) EXPECT_LE(x.end - x.start, 201u);
}

}  // namespace
}  // namespace yuqing::incident
