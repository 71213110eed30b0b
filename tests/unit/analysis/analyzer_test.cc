#include "analysis/analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/event_tracker.h"
#include "analysis/model_paths.h"

namespace yuqing::analysis {

class AnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(ResolveModelsDir() + "/sentiment.ftz")) return;
    auto n = text::Normalizer::Create();
    auto s = text::Segmenter::Create();
    if (!n.ok() || !s.ok()) return;
    auto a = Analyzer::Create({}, *n, *s);
    if (a.ok()) analyzer_ = std::move(a).value().release();
  }
  static void TearDownTestSuite() {
    delete analyzer_;
    analyzer_ = nullptr;
  }
  void SetUp() override {
    if (!analyzer_) GTEST_SKIP() << "models/sentiment.ftz or the dictionaries are missing";
  }
  ProcessedPost Run(const std::string& text, const std::string& location = "") {
    ProcessedPost p;
    p.post.text = text;
    p.post.author.location = location;
    analyzer_->Prepare(p);
    analyzer_->Analyze(p);
    return p;
  }
  static Analyzer* analyzer_;
};
Analyzer* AnalyzerTest::analyzer_ = nullptr;

TEST_F(AnalyzerTest, ComplaintIsNegativeThanksArePositive) {
  auto c = Run("东湖自来水公司服务太差了，停水三天没人管，我要投诉！");
  EXPECT_EQ(c.analysis.sentiment_label, "negative");
  EXPECT_LT(c.analysis.sentiment_score, 0);
  ASSERT_FALSE(c.analysis.types.empty());
  EXPECT_EQ(c.analysis.types[0].type, "complaint");
  EXPECT_FALSE(c.analysis.keywords.empty());
  EXPECT_NE(c.analysis.simhash, 0u);
  auto p = Run("感谢东湖自来水公司的师傅连夜抢修，点赞！");
  EXPECT_EQ(p.analysis.sentiment_label, "positive");
}

TEST_F(AnalyzerTest, EmptyRepostsAndShareLinesAreExactlyNeutralWithNoClaim) {
  for (const char* text : {"转发微博", "轉發微博", "//@人民日报: 转发微博", "分享图片 http://t.cn/zYxPq8A", "Repost", "@张三 @李四"}) {
    auto p = Run(text);
    EXPECT_EQ(p.analysis.sentiment_label, "neutral") << text;
    EXPECT_EQ(p.analysis.sentiment_score, 0) << text;
    EXPECT_EQ(p.analysis.rumor, 0) << text;
    EXPECT_TRUE(p.analysis.types.empty()) << text;
  }
  // An emoticon is the author's own: [怒] on a repost is an attitude.
  EXPECT_NE(Run("[怒][怒]转发微博").analysis.sentiment_label, "neutral");
}

TEST_F(AnalyzerTest, NewsTitlesAreNeutralNewsWithARumourProbability) {
  auto p = Run("国家统计局发布11月份居民消费价格数据");
  EXPECT_EQ(p.analysis.sentiment_label, "neutral");
  EXPECT_GE(p.analysis.rumor, 0.0);
  EXPECT_LE(p.analysis.rumor, 1.0);
  auto r = Run("紧急扩散！网传明天起全市停水三天，大家赶紧储水，转给身边的人！");
  EXPECT_GT(r.analysis.rumor, p.analysis.rumor);
}

TEST_F(AnalyzerTest, RegionSaysWhetherTheTextOrTheAuthorNamedIt) {
  auto t = Run("今天在广州塔下面拍了好多照片", "浙江 杭州");
  EXPECT_EQ(t.analysis.province, "广东");
  EXPECT_EQ(t.analysis.region_source, "text");
  auto a = Run("停水了", "湖北 武汉");
  EXPECT_EQ(a.analysis.province, "湖北");
  EXPECT_EQ(a.analysis.region_source, "author");
  EXPECT_EQ(Run("停水了").analysis.region_source, "");
}

TEST_F(AnalyzerTest, TraditionalChineseIsNormalisedFirst) {
  auto t = Run("這家酒店服務態度太差了，房間又髒又吵，再也不會來了");
  EXPECT_EQ(t.analysis.sentiment_label, "negative");
}

TEST_F(AnalyzerTest, EnglishUsesTheLexicon) {
  EXPECT_EQ(Run("The service was terrible and nobody answered the phone.").analysis.sentiment_label, "negative");
  EXPECT_EQ(Run("Great job, thanks to the repair team!").analysis.sentiment_label, "positive");
  EXPECT_EQ(Run("The service was not good").analysis.sentiment_label, "negative");
}

TEST_F(AnalyzerTest, RegionFromTextAndLocation) {
  auto r = Run("浙江省宁波市海曙区今天上午发生一起交通事故，造成两人受伤");
  EXPECT_EQ(r.analysis.province, "浙江");
  EXPECT_EQ(r.analysis.city, "宁波");
  bool accident = false;
  for (const auto& t : r.analysis.types) accident |= t.type == "accident";
  EXPECT_TRUE(accident);
  EXPECT_EQ(Run("停水了", "湖北 武汉").analysis.city, "武汉");
}

TEST_F(AnalyzerTest, CopiesOfAPostAreLinked) {
  EventTracker t;
  auto a = Run("东湖自来水公司停水三天没人管，居民生活受到严重影响，希望有关部门尽快解决供水问题");
  a.post.id = "a";
  auto b = Run("东湖自来水公司停水三天没人管，居民生活受到严重影响，希望有关部门尽快解决供水问题！！！");
  b.post.id = "b";
  t.Assign(a);
  t.Assign(b);
  EXPECT_EQ(b.analysis.dup_of, "a");
  EXPECT_EQ(b.analysis.event_id, a.analysis.event_id);
}

namespace {
bool HasType(const ProcessedPost& p, const std::string& type) {
  for (const auto& t : p.analysis.types)
    if (t.type == type) return true;
  return false;
}
}  // namespace

// models/types.ftz vetoes a cue word that means something else here (a sports injury, a raid
// in a game, thanks between friends) but leaves real accidents, protests and complaints alone.
TEST_F(AnalyzerTest, TypesContextModelVetoesCueWordsUsedOtherwise) {
  if (!std::filesystem::exists(ResolveModelsDir() + "/types.ftz")) GTEST_SKIP() << "models/types.ftz absent";
  EXPECT_FALSE(HasType(Run("国足队长梅西在比赛中受伤，将缺席下一场联赛"), "accident"));
  EXPECT_FALSE(HasType(Run("《魔兽世界》新副本开放，玩家组队围攻最终首领"), "group_event"));
  EXPECT_FALSE(HasType(Run("谢谢你陪我走过这一年，我们的青春不散场"), "praise"));
  EXPECT_TRUE(HasType(Run("今天上午发生一起交通事故,造成两人受伤"), "accident"));
  EXPECT_TRUE(HasType(Run("感谢师傅连夜抢修,点赞!"), "praise"));
  EXPECT_TRUE(HasType(Run("东湖自来水公司服务太差了,停水三天没人管,我要投诉!"), "complaint"));
  // Cue phrases weighing 2 or more stand whatever the model says.
  EXPECT_TRUE(HasType(Run("数百名工人聚集在厂门口拉横幅讨薪"), "group_event"));
}

}  // namespace yuqing::analysis
