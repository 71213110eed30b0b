#include "warning/policy.h"

#include <gtest/gtest.h>

namespace yuqing::warning {
namespace {

TEST(PolicyTest, DefaultHasFourLevels) {
  auto p = ParsePolicy("");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->window, 10 * kMinute);
  for (int s = 1; s <= 4; ++s) EXPECT_FALSE(p->levels[s].empty()) << s;
  EXPECT_EQ(p->levels[3][0].signal, "heat");
  EXPECT_DOUBLE_EQ(p->levels[3][0].min, 60);
  EXPECT_EQ(p->ack_deadline[4], 15 * kMinute);
}

TEST(PolicyTest, YamlAndJsonOverrideParts) {
  auto y = ParsePolicy("burst: {min_volume: 20}\nlevels:\n  I: [{heat: 90}]\n");
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  EXPECT_EQ(y->burst_min_volume, 20);
  EXPECT_DOUBLE_EQ(y->burst_ratio, 3.0);  // untouched
  ASSERT_EQ(y->levels[4].size(), 1u);
  EXPECT_DOUBLE_EQ(y->levels[4][0].min, 90);
  auto j = ParsePolicy(R"({"window": "5m", "quiet_period": "30m", "ack_deadline": {"II": "10m"}})");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j->window, 5 * kMinute);
  EXPECT_EQ(j->quiet_period, 30 * kMinute);
  EXPECT_EQ(j->ack_deadline[3], 10 * kMinute);
}

TEST(PolicyTest, TyposAndBadValuesAreInvalid) {
  for (const char* bad : {"brust: {min_volume: 3}", "burst: {min_volume: lots}", "window: soon",
                          "levels: {V: [burst]}", "levels: {I: [explosion]}", "growth: {factor: 0.5}", "[1, 2",
                          "- a\n- b"}) {
    auto p = ParsePolicy(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), Code::kInvalid) << bad;
    }
  }
}

// Issue 16: a level may fire on the cascade forecast.
TEST(PolicyTest, ForecastConditionParsesAndIsChecked) {
  auto p = ParsePolicy("levels:\n  III: [burst, {forecast_exceeds: 500, p: 0.6}]\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->levels[2].size(), 2u);
  EXPECT_EQ(p->levels[2][1].signal, "forecast_exceeds");
  EXPECT_DOUBLE_EQ(p->levels[2][1].min, 500);
  EXPECT_DOUBLE_EQ(p->levels[2][1].p, 0.6);
  EXPECT_TRUE(UsesForecast(*p));
  auto defaults_p = ParsePolicy(R"({"levels": {"II": [{"forecast_exceeds": 2000}]}})");
  ASSERT_TRUE(defaults_p.ok()) << defaults_p.status().ToString();
  EXPECT_DOUBLE_EQ(defaults_p->levels[3][0].p, 0.5);
  for (const char* bad : {"levels: {III: [{forecast_exceeds: 500, p: 1.5}]}",
                          "levels: {III: [{forecast_exceeds: 0}]}",
                          "levels: {III: [{forecast_exceeds: 500, p: 0.6, q: 1}]}",
                          "levels: {III: [{forecast_exceeds: many}]}"}) {
    auto b = ParsePolicy(bad);
    EXPECT_FALSE(b.ok()) << bad;
  }
}

}  // namespace
}  // namespace yuqing::warning
