#include "analysis/corpus.h"

#include <gtest/gtest.h>

namespace yuqing::analysis {

TEST(CorpusTest, CsvQuotedFieldsWithCommasQuotesAndNewlines) {
  auto rows = ParseCsv("\xEF\xBB\xBFlabel,review\n1,\"好,吃\"\n0,\"说\"\"不\"\"\n行\"\n1,plain");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][0], "label");
  EXPECT_EQ(rows[1][1], "好,吃");
  EXPECT_EQ(rows[2][1], "说\"不\"\n行");
  EXPECT_EQ(rows[3][1], "plain");
}

TEST(CorpusTest, CanonicalSentimentLabels) {
  EXPECT_EQ(CanonicalSentiment("负面"), "negative");
  EXPECT_EQ(CanonicalSentiment("1"), "positive");
  EXPECT_EQ(CanonicalSentiment("neu"), "neutral");
  EXPECT_EQ(CanonicalSentiment("angry"), "");
}

TEST(CorpusTest, FoldsAreStableAndRoughlyEven) {
  EXPECT_EQ(FoldOf("abc"), FoldOf("abc"));
  int counts[5] = {};
  for (int i = 0; i < 5000; ++i) ++counts[FoldOf("id" + std::to_string(i))];
  for (int c : counts) EXPECT_NEAR(c, 1000, 150);
}

}  // namespace yuqing::analysis
