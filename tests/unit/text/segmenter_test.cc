#include "text/segmenter.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace yuqing::text {

class SegmenterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = Segmenter::Create();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    seg_ = *s;
  }
  static inline std::shared_ptr<const Segmenter> seg_;
};

TEST_F(SegmenterTest, CutsChineseWords) {
  std::vector<std::string> w;
  seg_->Cut("东湖自来水公司今日停水检修", w);
  EXPECT_NE(std::find(w.begin(), w.end(), "自来水"), w.end());
  EXPECT_NE(std::find(w.begin(), w.end(), "停水"), w.end());
}

TEST_F(SegmenterTest, OffsetsAreBytes) {
  std::string s = "水质 water";
  std::vector<Token> t;
  seg_->CutOffsets(s, t);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(s.substr(t[1].begin, t[1].end - t[1].begin), "water");
}

TEST_F(SegmenterTest, SearchModePutsFullWordFirst) {
  std::string s = "自来水公司";
  std::vector<Token> t;
  std::vector<bool> co;
  seg_->CutForSearch(s, t, co);
  ASSERT_FALSE(t.empty());
  EXPECT_FALSE(co[0]);
  EXPECT_EQ(s.substr(t[0].begin, t[0].end - t[0].begin), "自来水");
  bool has_sub = false;
  for (size_t i = 0; i < t.size(); ++i)
    if (co[i] && s.substr(t[i].begin, t[i].end - t[i].begin) == "自来") has_sub = true;
  EXPECT_TRUE(has_sub);
}

TEST_F(SegmenterTest, KeywordsSkipStopWordsAndSingleChars) {
  std::vector<std::string> w;
  seg_->Cut("自来水公司的自来水水质问题，自来水公司回应了", w);
  auto k = seg_->Keywords(w, 3);
  ASSERT_FALSE(k.empty());
  EXPECT_EQ(k[0].first, "自来水");
  for (auto& [word, score] : k) EXPECT_NE(word, "的");
}

TEST(SegmenterCreate, MissingDictionaryIsAnErrorNotAnAbort) {
  auto s = Segmenter::Create("/nonexistent/dict");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("jieba.dict.utf8"), std::string::npos);
}

}  // namespace yuqing::text
