#include "warning/signals.h"

#include <gtest/gtest.h>

#include <cmath>

namespace yuqing::warning {
namespace {

Policy Default() { return *ParsePolicy(""); }

// Issue 16: {forecast_exceeds: N, p: x} holds on the forecast's probability, with its numbers in
// the rule text; without a forecast it never holds.
TEST(SignalsTest, ForecastConditionReadsTheProbability) {
  Policy p = *ParsePolicy("levels: {IV: [], III: [{forecast_exceeds: 500, p: 0.6}], II: [], I: []}");
  Signals s;
  EXPECT_EQ(Decide(s, p).severity, 0);
  s.has_forecast = true;
  s.forecast.observed = 120;
  s.forecast.mu = std::log1p(1200.0);
  s.forecast.sigma = 0.4;
  s.forecast.forecast = 1200, s.forecast.low = 800, s.forecast.high = 1900;
  ASSERT_GE(s.forecast.PExceeds(500), 0.6);
  Verdict v = Decide(s, p);
  EXPECT_EQ(v.severity, 2);
  EXPECT_NE(v.rule.find("预计最终 1,200 条（800–1,900），超过 500 条的概率"), std::string::npos) << v.rule;
  EXPECT_EQ(v.numbers["forecast"]["expected"], 1200);
  s.forecast.mu = std::log1p(100.0);  // now unlikely to reach 500
  EXPECT_EQ(Decide(s, p).severity, 0);
}

TEST(SignalsTest, HeatIsBoundedAndShowsItsParts) {
  Policy p = Default();
  Bucket none;
  EXPECT_DOUBLE_EQ(ComputeHeat(none, p).total, 0);
  Bucket huge;
  huge.volume = 1'000'000, huge.negative = 1'000'000, huge.authoritative = 100, huge.interactions = 1LL << 40;
  huge.reach = 1LL << 40;
  Heat h = ComputeHeat(huge, p);
  EXPECT_NEAR(h.total, 100, 1e-9);
  EXPECT_DOUBLE_EQ(h.volume, 1);
  Bucket some;
  some.volume = 100, some.negative = 50;
  Heat s = ComputeHeat(some, p);
  EXPECT_GT(s.total, 0);
  EXPECT_LT(s.total, 60);
  EXPECT_NEAR(s.negative, 0.5, 1e-9);
}

TEST(SignalsTest, GeometricGrowthNeedsEveryRatioAndVolume) {
  Policy p = Default();
  KeySeries s;
  TimeMs t0 = 1'700'000'000'000 - 1'700'000'000'000 % p.window;
  // 2, 4, 8 posts in three successive windows.
  int counts[] = {2, 4, 8};
  for (int w = 0; w < 3; ++w)
    for (int i = 0; i < counts[w]; ++i) s.Add(t0 + w * p.window + i * kSecond, {});
  Signals g = Compute(s, nullptr, t0 + 3 * p.window - 1, p, p.growth_min_volume);
  EXPECT_TRUE(g.growth);
  EXPECT_NEAR(g.growth_ratio, 2.0, 1e-9);
  ASSERT_EQ(g.windows.size(), 3u);
  EXPECT_EQ(g.windows[0], 8);
  // A flat series is not growth.
  KeySeries flat;
  for (int w = 0; w < 3; ++w)
    for (int i = 0; i < 8; ++i) flat.Add(t0 + w * p.window + i * kSecond, {});
  EXPECT_FALSE(Compute(flat, nullptr, t0 + 3 * p.window - 1, p, p.growth_min_volume).growth);
}

TEST(SignalsTest, BurstNeedsWarmBaselineRatioAndMinimumVolume) {
  Policy p = Default();
  KeySeries s;
  Baseline b;
  TimeMs t0 = 1'700'000'000'000 - 1'700'000'000'000 % kDay;
  // Six hours of one post per window.
  for (int w = 0; w < 36; ++w) {
    s.Add(t0 + w * p.window + kMinute, {});
    b.Advance(t0 + w * p.window + kMinute, s, p);
  }
  TimeMs t = t0 + 36 * p.window + 2 * kMinute;  // the window no longer holds the last quiet post
  b.Advance(t, s, p);
  auto e = b.At(t, p);
  EXPECT_TRUE(e.warm);
  EXPECT_NEAR(e.mean, 1.0, 0.05);
  for (int i = 0; i < 4; ++i) s.Add(t + i * kSecond, {});
  EXPECT_FALSE(Compute(s, &b, t + 10 * kSecond, p, 4).burst) << "4 < minimum volume 5";
  for (int i = 0; i < 8; ++i) s.Add(t + kMinute + i * kSecond, {});
  Signals g = Compute(s, &b, t + kMinute + 10 * kSecond, p, 4);
  EXPECT_TRUE(g.burst);
  EXPECT_GT(g.ratio, 3);
  Verdict v = Decide(g, p);
  EXPECT_EQ(v.severity, 2);  // III yellow
  EXPECT_NE(v.rule.find("突增（10 分钟内 12 条"), std::string::npos) << v.rule;
}

TEST(SignalsTest, BaselineDoesNotLearnTheBurst) {
  Policy p = Default();
  KeySeries s;
  Baseline b;
  TimeMs t0 = 1'700'000'000'000 - 1'700'000'000'000 % kDay;
  for (int w = 0; w < 36; ++w) s.Add(t0 + w * p.window + kMinute, {});
  b.Advance(t0 + kMinute, s, p);
  b.Advance(t0 + 36 * p.window, s, p);
  double before = b.At(t0 + 36 * p.window, p).mean;
  for (int i = 0; i < 500; ++i) s.Add(t0 + 36 * p.window + i * 100, {});
  b.Advance(t0 + 37 * p.window, s, p);
  EXPECT_LT(b.At(t0 + 37 * p.window, p).mean, before + 1.0);
}

}  // namespace
}  // namespace yuqing::warning
