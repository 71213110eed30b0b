#include "incident/time_expr.h"

#include <gtest/gtest.h>

#include "incident/wide_text.h"

namespace yuqing::incident {
namespace {

TimeMs T(const char* s) { return ParseTime(s).value(); }

// The first resolved time in `text`, formatted, or "none".
std::string Due(const char* text, const char* at) {
  auto times = FindTimes(Widen(text), T(at));
  for (const auto& t : times)
    if (t.when) return FormatTime(*t.when);
  return times.empty() ? "none" : "invalid";
}

constexpr const char* kTue = "2026-06-02T12:00:00+08:00";  // a Tuesday

TEST(TimeExpr, MonthDayHour) {
  EXPECT_EQ(Due("将于6月3日18时前公布", kTue), "2026-06-03T18:00:00+08:00");
  EXPECT_EQ(Due("3月4日12时前公布初步调查结果", "2026-03-03T09:00:00+08:00"), "2026-03-04T12:00:00+08:00");
  EXPECT_EQ(Due("1月4日12时前", "2026-12-20T09:00:00+08:00"), "2027-01-04T12:00:00+08:00");
  EXPECT_EQ(Due("2026年3月4日12时", kTue), "2026-03-04T12:00:00+08:00");
  EXPECT_EQ(Due("5月30日公布", kTue), "2026-05-30T23:59:59+08:00");  // recent past stays this year
  EXPECT_EQ(Due("六月三日十八时前", kTue), "2026-06-03T18:00:00+08:00");
  EXPECT_EQ(Due("6月3日18:30前", kTue), "2026-06-03T18:30:00+08:00");
  EXPECT_EQ(Due("6月3日下午3点半", kTue), "2026-06-03T15:30:00+08:00");
}

TEST(TimeExpr, RelativeDays) {
  EXPECT_EQ(Due("今晚20时通报", kTue), "2026-06-02T20:00:00+08:00");
  EXPECT_EQ(Due("今晚8点通报", kTue), "2026-06-02T20:00:00+08:00");
  EXPECT_EQ(Due("今晚通报", kTue), "2026-06-02T23:59:59+08:00");
  EXPECT_EQ(Due("今天14时前恢复", "2026-06-05T09:00:00+08:00"), "2026-06-05T14:00:00+08:00");
  EXPECT_EQ(Due("明天上午公布", kTue), "2026-06-03T12:00:00+08:00");
  EXPECT_EQ(Due("明天下午", kTue), "2026-06-03T18:00:00+08:00");
  EXPECT_EQ(Due("后天中午12时", kTue), "2026-06-04T12:00:00+08:00");
  EXPECT_EQ(Due("明晚9点", kTue), "2026-06-03T21:00:00+08:00");
}

TEST(TimeExpr, Durations) {
  EXPECT_EQ(Due("24小时内", kTue), "2026-06-03T12:00:00+08:00");
  EXPECT_EQ(Due("半小时内", kTue), "2026-06-02T12:30:00+08:00");
  EXPECT_EQ(Due("三个工作日内答复", kTue), "2026-06-05T23:59:59+08:00");
  EXPECT_EQ(Due("3个工作日内", "2026-06-05T10:00:00+08:00"), "2026-06-10T23:59:59+08:00");  // Fri → Wed
  EXPECT_EQ(Due("7天内", kTue), "2026-06-09T12:00:00+08:00");
  EXPECT_EQ(Due("两周内", kTue), "2026-06-16T12:00:00+08:00");
  EXPECT_EQ(Due("一个月内", kTue), "2026-07-02T12:00:00+08:00");
}

TEST(TimeExpr, WeekdaysAndPeriodEnds) {
  EXPECT_EQ(Due("本周五前", kTue), "2026-06-05T23:59:59+08:00");
  EXPECT_EQ(Due("下周一", kTue), "2026-06-08T23:59:59+08:00");
  EXPECT_EQ(Due("周一前", kTue), "2026-06-08T23:59:59+08:00");  // Monday already passed this week
  EXPECT_EQ(Due("月底前", kTue), "2026-06-30T23:59:59+08:00");
  EXPECT_EQ(Due("年底前", kTue), "2026-12-31T23:59:59+08:00");
}

TEST(TimeExpr, HourOnlyRollsForward) {
  EXPECT_EQ(Due("20时前", kTue), "2026-06-02T20:00:00+08:00");
  EXPECT_EQ(Due("10时前", kTue), "2026-06-03T10:00:00+08:00");
}

TEST(TimeExpr, FlagsAndOffsets) {
  auto t = FindTimes(Widen("今天8时许，管道爆裂，预计今天14时前恢复"), T(kTue));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_TRUE(t[0].approximate);
  EXPECT_FALSE(t[0].deadline);
  EXPECT_EQ(t[0].start, 0u);
  EXPECT_EQ(t[0].end, 5u);
  EXPECT_TRUE(t[1].deadline);
  EXPECT_EQ(t[1].start, 13u);
}

TEST(TimeExpr, NotTimes) {
  EXPECT_EQ(Due("快一点处理", kTue), "none");
  EXPECT_EQ(Due("共有12名学生", kTue), "none");
  EXPECT_EQ(Due("第3日", kTue), "none");
  EXPECT_EQ(Due("我们将第一时间通知", kTue), "none");
  EXPECT_EQ(Due("一时难以判断", kTue), "none");
  EXPECT_EQ(Due("十时前", kTue), "2026-06-03T10:00:00+08:00");
  EXPECT_EQ(Due("2月30日", kTue), "invalid");
}

TEST(TimeExpr, Civil) {
  CivilTime c = ToCivil(T("2026-06-07T23:30:00+08:00"));
  EXPECT_EQ(c.day, 7);
  EXPECT_EQ(c.weekday, 7);
  EXPECT_FALSE(FromCivil(2026, 2, 29, 0, 0, 0).has_value());
  EXPECT_TRUE(FromCivil(2028, 2, 29, 0, 0, 0).has_value());
}

}  // namespace
}  // namespace yuqing::incident
