#include "analysis/opinion_types.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/model_paths.h"

namespace yuqing::analysis {

namespace {
const TypeHit* Find(const std::vector<TypeHit>& hits, const std::string& type) {
  for (const auto& h : hits)
    if (h.type == type) return &h;
  return nullptr;
}
}  // namespace

class OpinionTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = OpinionClassifier::Load(ResolveModelsDir() + "/opinion_lexicon.tsv", "");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    c_ = std::move(c).value();
  }
  std::vector<TypeHit> Run(const std::string& text) {
    std::vector<TypeHit> out;
    c_->Classify(text, "", out);
    return out;
  }
  std::unique_ptr<OpinionClassifier> c_;
};

TEST_F(OpinionTypesTest, ComplaintWithEvidence) {
  auto hits = Run("东湖自来水公司服务太差了,停水三天没人管,我要投诉!");
  const TypeHit* c = Find(hits, "complaint");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(std::find(c->evidence.begin(), c->evidence.end(), "投诉"), c->evidence.end());
}

TEST_F(OpinionTypesTest, PraiseAccidentGroupEvent) {
  EXPECT_NE(Find(Run("感谢师傅连夜抢修,点赞!"), "praise"), nullptr);
  EXPECT_NE(Find(Run("今天上午发生一起交通事故,造成两人受伤"), "accident"), nullptr);
  EXPECT_NE(Find(Run("数百名工人聚集在厂门口拉横幅讨薪"), "group_event"), nullptr);
}

TEST_F(OpinionTypesTest, WeakWordsAloneDoNotFire) {
  EXPECT_EQ(Find(Run("我们应该早点出门"), "suggestion"), nullptr);
  EXPECT_EQ(Run("今天天气不错").size(), 0u);
}

TEST_F(OpinionTypesTest, AsciiPhrasesNeedWordBoundaries) {
  EXPECT_EQ(Find(Run("usb接口坏了"), "attack"), nullptr);
  EXPECT_NE(Find(Run("你就是个sb"), "attack"), nullptr);
}

TEST(OpinionParseTest, RejectsUnknownTypes) {
  EXPECT_FALSE(OpinionClassifier::Parse("gossip\t1\t八卦\n").ok());
  EXPECT_TRUE(OpinionClassifier::Parse("# c\ncomplaint\t1\t投诉\n").ok());
}

TEST(OpinionLoadTest, TypesModelMustHaveANoneLabel) {
  std::string dir = ResolveModelsDir();
  if (!std::filesystem::exists(dir + "/news.ftz")) GTEST_SKIP() << "models/news.ftz absent";
  auto c = OpinionClassifier::Load(dir + "/opinion_lexicon.tsv", "", {}, "", dir + "/news.ftz");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("none"), std::string::npos) << c.status().message();
  EXPECT_FALSE(OpinionClassifier::Load(dir + "/opinion_lexicon.tsv", "", {}, "", dir + "/no-such.ftz").ok());
}

}  // namespace yuqing::analysis
