#include "core/time.h"

#include <gtest/gtest.h>

namespace yuqing {

TEST(ParseTime, IsoWithOffset) {
  auto t = ParseTime("2026-05-01T08:00:00+08:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1777593600000LL);
  EXPECT_EQ(*ParseTime("2026-05-01T00:00:00Z"), *t);
}

TEST(ParseTime, NoOffsetMeansChinaTime) {
  EXPECT_EQ(*ParseTime("2026-05-01 08:00:00"), *ParseTime("2026-05-01T00:00:00Z"));
  EXPECT_EQ(*ParseTime("2026-05-01"), *ParseTime("2026-04-30T16:00:00Z"));
  EXPECT_EQ(*ParseTime("2026/05/01 08:00"), *ParseTime("2026-05-01T00:00:00Z"));
}

TEST(ParseTime, UnixSecondsAndMillis) {
  EXPECT_EQ(*ParseTime("1777593600"), 1777593600000LL);
  EXPECT_EQ(*ParseTime("1777593600123"), 1777593600123LL);
}

TEST(ParseTime, FractionalSeconds) {
  EXPECT_EQ(*ParseTime("2026-05-01T00:00:00.250Z") - *ParseTime("2026-05-01T00:00:00Z"), 250);
}

TEST(ParseTime, RejectsGarbageWithReason) {
  for (const char* bad : {"yesterday-ish", "", "2026-13-01", "2026-05-01T25:00", "2026-05-01x",
                          "12345678901234567890"}) {
    auto r = ParseTime(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kInvalid) << bad;
  }
}

TEST(FormatTime, RoundTripsInChinaTime) {
  TimeMs t = *ParseTime("2026-05-01T08:30:05+08:00");
  EXPECT_EQ(FormatTime(t), "2026-05-01T08:30:05+08:00");
  EXPECT_EQ(FormatTime(t, 0), "2026-05-01T00:30:05+00:00");
  EXPECT_EQ(*ParseTime(FormatTime(t)), t);
}

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(*ParseDuration("5m"), 5 * kMinute);
  EXPECT_EQ(*ParseDuration("7d"), 7 * kDay);
  EXPECT_EQ(*ParseDuration("500ms"), 500);
  EXPECT_EQ(*ParseDuration("30"), 30 * kSecond);
  EXPECT_FALSE(ParseDuration("5x").ok());
  EXPECT_FALSE(ParseDuration("m").ok());
  EXPECT_EQ(FormatDuration(2 * kHour), "2h");
}

TEST(Time, DurationsForPeopleInChinese) {
  EXPECT_EQ(FormatDurationZh(30 * kSecond), "30 秒");
  EXPECT_EQ(FormatDurationZh(45 * kMinute), "45 分钟");
  EXPECT_EQ(FormatDurationZh(1603 * kMinute), "1 天 2 小时");
  EXPECT_EQ(FormatDurationZh(26 * kHour + 43 * kMinute - kDay), "2 小时 43 分钟");
  EXPECT_EQ(FormatDurationZh(2 * kHour), "2 小时");
  EXPECT_EQ(FormatDurationZh(3 * kDay), "3 天");
}

TEST(ManualClock, NeverMovesBackwards) {
  ManualClock c(100);
  c.Advance(50);
  EXPECT_EQ(c.Now(), 100);
  c.Advance(200);
  EXPECT_EQ(c.Now(), 200);
}

}  // namespace yuqing
