#include "analysis/gazetteer.h"

#include <gtest/gtest.h>

#include "analysis/model_paths.h"

namespace yuqing::analysis {

class GazetteerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Gazetteer::Load(ResolveModelsDir() + "/gazetteer.tsv");
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    g_ = std::move(g).value();
  }
  std::unique_ptr<Gazetteer> g_;
};

TEST_F(GazetteerTest, CoversProvincesAndPrefectures) {
  EXPECT_EQ(g_->provinces(), 34u);
  EXPECT_GT(g_->cities(), 330u);
}

TEST_F(GazetteerTest, CityResolvesToItsProvince) {
  Region r = g_->Resolve("浙江省宁波市海曙区今天上午发生一起交通事故", "");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
  r = g_->Resolve("宁波的停水问题", "");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
}

TEST_F(GazetteerTest, MunicipalityAndAutonomousPrefecture) {
  EXPECT_EQ(g_->Resolve("北京市朝阳区", "").city, "北京");
  Region r = g_->Resolve("恩施土家族苗族自治州暴雨", "");
  EXPECT_EQ(r.province, "湖北");
  EXPECT_EQ(r.city, "恩施州");
}

TEST_F(GazetteerTest, AmbiguousShortNamesNeedTheSuffix) {
  EXPECT_EQ(g_->Resolve("快递到了我就开封检查", "").city, "");
  EXPECT_EQ(g_->Resolve("开封市", "").province, "河南");
  Region r = g_->Resolve("吉林省长春市", "");
  EXPECT_EQ(r.province, "吉林");
  EXPECT_EQ(r.city, "长春");
  EXPECT_EQ(g_->Resolve("海南藏族自治州", "").province, "青海");
}

TEST_F(GazetteerTest, AuthorLocationFillsWhatTheTextLeavesOpen) {
  Region r = g_->Resolve("停水三天没人管", "浙江 宁波");
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "宁波");
  r = g_->Resolve("浙江的水", "浙江 杭州");
  EXPECT_EQ(r.city, "杭州");
  r = g_->Resolve("浙江的水", "广东 深圳");  // inconsistent: the text's province wins, no city
  EXPECT_EQ(r.province, "浙江");
  EXPECT_EQ(r.city, "");
}

TEST(GazetteerParseTest, RejectsMalformedLines) {
  EXPECT_FALSE(Gazetteer::Parse("浙江\t浙江省\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("# only comments\n").ok());
}

}  // namespace yuqing::analysis
