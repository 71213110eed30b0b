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

TEST_F(SegmenterTest, KeywordsAreContentWordsOnRealLookingPosts) {
  const char* posts[] = {
      "我要投诉！东湖小区已经停水三天了，物业一个电话都没有，到底什么时候恢复供水？就是没人管",
      "真的太气人了，我们小区的垃圾一直没人清理，大家觉得这样下去怎么办啊？知道的说一下",
      "今天去医院排队排了一个上午，挂号还是没有挂上，现在看病怎么这么难，希望有关部门重视",
      "哈哈哈哈笑死我了，这个视频你们一定要看看 网页链接 转发微博",
      "武汉新增3例新冠肺炎确诊病例，累计确诊两例境外输入，卫健委提醒市民做好防护",
      "刚刚看到消息说高速要封路了，是不是真的？有没有人知道什么情况，我要回家过年",
      "地铁2号线今早故障停运一个多小时，上班全迟到了，我们就是想要一个说法而已",
  };
  const std::vector<std::string> function_words = {
      "我要", "一个", "没有", "就是", "什么", "我们", "你们", "大家", "真的", "觉得", "知道", "现在",
      "今天", "已经", "一直", "还是", "这样", "怎么", "到底", "一下", "是不是", "有没有", "希望", "一定",
      "看看", "哈哈哈哈", "视频", "网页", "链接", "转发", "微博", "两例", "3例", "想要", "说法", "而已",
      "刚刚", "没人", "多个", "上午", "时候", "有关",
  };
  bool any = false;
  for (const char* text : posts) {
    std::vector<std::string> w;
    seg_->Cut(text, w);
    auto k = seg_->Keywords(w, 8);
    any = any || !k.empty();
    for (const auto& [word, score] : k) {
      EXPECT_EQ(std::find(function_words.begin(), function_words.end(), word), function_words.end())
          << "function word " << word << " among the keywords of " << text;
      EXPECT_TRUE(seg_->IsContentWord(word)) << word;
    }
  }
  EXPECT_TRUE(any);
  std::vector<std::string> w;
  seg_->Cut("东湖小区已经停水三天了，物业一个电话都没有，到底什么时候恢复供水", w);
  auto k = seg_->Keywords(w, 3);
  std::vector<std::string> top;
  for (auto& [word, score] : k) top.push_back(word);
  EXPECT_NE(std::find(top.begin(), top.end(), "停水"), top.end());
}

TEST_F(SegmenterTest, ContentWordRules) {
  for (const char* word : {"我要", "一个", "没有", "就是", "什么", "我们", "三千名", "两例", "这场", "太好了", "哈哈",
                           "地要", "需再", "例新冠", "12", "2020", "，", "a", "水"})
    EXPECT_FALSE(seg_->IsContentWord(word)) << word;
  for (const char* word : {"自来水", "钟南山", "张文宏", "军运会", "红会", "一线", "一级", "n95", "covid", "两会",
                           "新冠", "口罩", "人脸识别", "停水"})
    EXPECT_TRUE(seg_->IsContentWord(word)) << word;
}

TEST_F(SegmenterTest, ProjectStopWordsAreForKeywordsOnly) {
  // models/stop_words_zh.txt keeps 视频 and 觉得 out of keywords, but SimHash (IsStopWord) sees
  // cppjieba's list alone, so near-duplicate links do not change with it.
  for (const char* word : {"视频", "觉得", "微博"}) {
    EXPECT_FALSE(seg_->IsContentWord(word)) << word;
    EXPECT_FALSE(seg_->IsStopWord(word)) << word;
  }
  EXPECT_TRUE(seg_->IsStopWord("什么"));
}

TEST(SegmenterCreate, MissingExplicitStopWordsFileIsAnError) {
  auto s = Segmenter::Create("", "/nonexistent/stop_words.txt");
  EXPECT_FALSE(s.ok());
}

}  // namespace yuqing::text
