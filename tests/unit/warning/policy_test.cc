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

}  // namespace
}  // namespace yuqing::warning
