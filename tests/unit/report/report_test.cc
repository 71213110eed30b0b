// The periods of the briefs: a day and an ISO week in the display zone (+08:00).
#include "report/report.h"

#include <gtest/gtest.h>

namespace yuqing::report {
namespace {

TEST(DayPeriod, IsTheDayInBeijingTime) {
  auto p = DayPeriod("2026-06-02");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(FormatTime(p->from), "2026-06-02T00:00:00+08:00");
  EXPECT_EQ(FormatTime(p->to), "2026-06-03T00:00:00+08:00");
  auto leap = DayPeriod("2028-02-29");
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(FormatTime(leap->to), "2028-03-01T00:00:00+08:00");
}

TEST(DayPeriod, RejectsDaysThatDoNotExist) {
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-00-10", "2027-02-29", "2026-6-2", "yesterday", "",
                          "2026-06-02T00:00", "2026-06-31"}) {
    auto p = DayPeriod(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), Code::kInvalid);
    EXPECT_NE(p.status().message().find("--date"), std::string::npos) << p.status().message();
  }
}

TEST(WeekPeriod, IsTheIsoWeekFromMonday) {
  auto w = WeekPeriod("2026-W49");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(FormatTime(w->from), "2026-11-30T00:00:00+08:00");
  EXPECT_EQ(FormatTime(w->to), "2026-12-07T00:00:00+08:00");
  auto first = WeekPeriod("2026-W01");  // 2026-01-01 is a Thursday: week 1 starts in 2025
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(FormatTime(first->from), "2025-12-29T00:00:00+08:00");
  auto w53 = WeekPeriod("2026-W53");  // 2026 has 53 ISO weeks (it starts on a Thursday)
  ASSERT_TRUE(w53.ok());
  EXPECT_EQ(FormatTime(w53->from), "2026-12-28T00:00:00+08:00");
}

TEST(WeekPeriod, RejectsWeeksThatDoNotExist) {
  for (const char* bad : {"2025-W53", "2026-W00", "2026-W54", "2026-49", "2026W49", "W49", ""}) {
    auto w = WeekPeriod(bad);
    ASSERT_FALSE(w.ok()) << bad;
    EXPECT_NE(w.status().message().find("--week"), std::string::npos);
  }
}

TEST(BuildReport, NeedsAStore) {
  Inputs in;
  auto r = BuildReport(in, Request{});
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace yuqing::report

#include "report/schedule.h"

namespace yuqing::report {
namespace {

TimeMs At(const char* t) { return *ParseTime(t); }

TEST(Schedule, DailyBriefOfYesterdayAtItsTime) {
  Schedule s;
  s.kind = "daily";
  s.at_minutes = *ParseClock("08:00");
  s.created_at = At("2026-06-01T00:00:00+08:00");
  auto due = LatestDue(s, At("2026-06-03T07:59:59+08:00"));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->name, "2026-06-01");  // today's 08:00 has not come: yesterday's delivery
  due = LatestDue(s, At("2026-06-03T08:00:00+08:00"));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->name, "2026-06-02");
  EXPECT_EQ(FormatTime(due->period.from), "2026-06-02T00:00:00+08:00");
  EXPECT_EQ(FormatTime(due->send_at), "2026-06-03T08:00:00+08:00");
  s.created_at = At("2026-06-03T09:00:00+08:00");  // nothing due before the schedule existed
  EXPECT_FALSE(LatestDue(s, At("2026-06-03T12:00:00+08:00")).has_value());
}

TEST(Schedule, WeeklyBriefOnMonday) {
  Schedule s;
  s.kind = "weekly";
  s.at_minutes = *ParseClock("09:30");
  s.created_at = 0;
  auto due = LatestDue(s, At("2026-06-08T09:30:00+08:00"));  // Monday
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->name, "2026-W23");
  EXPECT_EQ(FormatTime(due->period.from), "2026-06-01T00:00:00+08:00");
  due = LatestDue(s, At("2026-06-08T09:29:00+08:00"));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->name, "2026-W22");
  due = LatestDue(s, At("2026-01-05T10:00:00+08:00"));  // the week before is 2026's week 1
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->name, "2026-W01");
}

TEST(Schedule, ParseClockRejectsBadTimes) {
  EXPECT_EQ(*ParseClock("00:00"), 0);
  EXPECT_EQ(*ParseClock("23:59"), 23 * 60 + 59);
  for (const char* bad : {"24:00", "8:00", "08:60", "0800", "", "ab:cd"}) {
    auto r = ParseClock(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--at"), std::string::npos);
  }
}

}  // namespace
}  // namespace yuqing::report
