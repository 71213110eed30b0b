// Segmenter builds cppjieba's word graph from its own double-array dictionary index: every cut
// must be exactly cppjieba's own (MixSegment for precise mode, QuerySegment for search mode), on
// hand-picked edge cases, random text and, when the shared data is present, real Weibo posts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "cppjieba/MixSegment.hpp"
#include "cppjieba/QuerySegment.hpp"
#include "text/normalizer.h"
#include "text/segmenter.h"
#include "covid_sample.h"

namespace yuqing::text {
namespace {

bool IsBlank(const std::string& w) { return w.find_first_not_of(" \t\n\r") == std::string::npos; }

class SegmenterJiebaTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = Segmenter::Create();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    seg_ = *s;
    const std::string dir = seg_->dict_dir();
    dict_ = new cppjieba::DictTrie(dir + "/jieba.dict.utf8", dir + "/user.dict.utf8");
    hmm_ = new cppjieba::HMMModel(dir + "/hmm_model.utf8");
    mix_ = new cppjieba::MixSegment(dict_, hmm_);
    query_ = new cppjieba::QuerySegment(dict_, hmm_);
  }
  static void TearDownTestSuite() {
    delete query_;
    delete mix_;
    delete hmm_;
    delete dict_;
  }

  // "offset:word" for each non-blank word, in order.
  static std::vector<std::string> Render(const std::vector<cppjieba::Word>& words) {
    std::vector<std::string> out;
    for (const auto& w : words)
      if (!IsBlank(w.word)) out.push_back(std::to_string(w.offset) + ":" + w.word);
    return out;
  }
  static std::vector<std::string> Render(const std::string& text, const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    for (const auto& t : tokens) out.push_back(std::to_string(t.begin) + ":" + text.substr(t.begin, t.end - t.begin));
    return out;
  }

  // Precise mode: the same words at the same offsets.
  static void ExpectSameCut(const std::string& text) {
    std::vector<cppjieba::Word> ref;
    mix_->Cut(text, ref, true);
    std::vector<Token> tokens;
    seg_->CutOffsets(text, tokens);
    ASSERT_EQ(Render(text, tokens), Render(ref)) << "text: " << text;
  }

  // Search mode: the same set of tokens (we reorder each word's sub-words after it).
  static void ExpectSameSearchCut(const std::string& text) {
    std::vector<cppjieba::Word> ref;
    query_->Cut(text, ref, true);
    std::vector<Token> tokens;
    std::vector<bool> colocated;
    seg_->CutForSearch(text, tokens, colocated);
    auto got = Render(text, tokens), want = Render(ref);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    ASSERT_EQ(got, want) << "text: " << text;
  }

  static inline std::shared_ptr<const Segmenter> seg_;
  static inline cppjieba::DictTrie* dict_ = nullptr;
  static inline cppjieba::HMMModel* hmm_ = nullptr;
  static inline cppjieba::MixSegment* mix_ = nullptr;
  static inline cppjieba::QuerySegment* query_ = nullptr;
};

TEST_F(SegmenterJiebaTest, EdgeCases) {
  std::string long_text;
  for (int i = 0; i < 300; ++i) long_text += "中华人民共和国国务院新闻办公室举行新闻发布会";
  for (const std::string& t : std::vector<std::string>{
           "", " ", "\n", "，。", "东湖自来水公司今日停水检修", "水质 water", "自来水公司的自来水水质问题，自来水公司回应了",
           "南京市长江大桥", "iPhone15 Pro 降价了 2026年3月4日12时前公布", "#武汉加油# @人民日报 😀😀 转发微博",
           "他来到了网易杭研大厦", "小明硕士毕业于中国科学院计算所，后在日本京都大学深造", "這間酒店環境和服務態度亦算不錯",
           "a\tb\nc  d", "\r\n\r\n", "ａｂｃ１２３", "好好好好好好好好好好好好好好", "了了了", "，，，。。。",
           "http://t.cn/abc123 网页链接", "中", "1", "新冠肺炎疫情防控工作领导小组", long_text}) {
    ExpectSameCut(t);
    ExpectSameSearchCut(t);
  }
}

TEST_F(SegmenterJiebaTest, RandomText) {
  // Characters from common words and punctuation, in random order: many unknown runs (the HMM),
  // many overlapping dictionary candidates and ties.
  const std::string pool_text =
      "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
      "民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
      "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
      "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
      "疫情防控武汉加油新冠肺炎病毒口罩医院患者确诊病例隔离 ，。！？、\n\tabc123";
  std::vector<std::string> chars;
  for (size_t i = 0; i < pool_text.size();) {
    unsigned char c = static_cast<unsigned char>(pool_text[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    chars.push_back(pool_text.substr(i, n));
    i += n;
  }
  std::mt19937 rng(42);
  for (int k = 0; k < 3000; ++k) {
    std::string t;
    size_t len = rng() % 60;
    for (size_t i = 0; i < len; ++i) t += chars[rng() % chars.size()];
    ExpectSameCut(t);
    ExpectSameSearchCut(t);
  }
}

TEST_F(SegmenterJiebaTest, RealPosts) {
  auto rows = yuqing::testing::ReadCovidRows(20001);
  if (rows.empty()) GTEST_SKIP() << "real data absent: " << yuqing::testing::kCovidStream;
  auto n = Normalizer::Create();
  ASSERT_TRUE(n.ok());
  for (const auto& r : rows) {
    ExpectSameCut(r.text);  // raw text (the analysis path segments normalised text, the FTS both)
    std::string norm = (*n)->Normalize(r.text);
    ExpectSameCut(norm);
    ExpectSameSearchCut(norm);
    if (HasFatalFailure()) break;
  }
  EXPECT_GT(rows.size(), 10000u);
}

}  // namespace
}  // namespace yuqing::text
