// Chinese date and time expressions in statements ("3月4日12时前", "今晚20时", "三个工作日内",
// "明天上午", "24小时内", "下周一", "月底前"), found with character offsets and resolved against a
// reference time (the publication time, or `statement check --at`). Times are read in China
// Standard Time (UTC+8).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace yuqing::incident {

struct TimeMention {
  size_t start = 0;  // character offsets into the searched text
  size_t end = 0;
  bool deadline = false;     // "…前", "…内": a limit, the kind of time a promise carries
  bool duration = false;     // "24小时内", "三个工作日内": relative to the reference time
  bool approximate = false;  // "8时许", "20时左右"
  bool has_date = false;     // names a day (absolute, relative or weekday), not only an hour
  std::optional<TimeMs> when;  // resolved instant; nullopt when the date does not exist (2月30日)
};

// Finds every time expression in `text` (folded: ASCII digits; Chinese numerals are read too).
// Resolution rules, in CST:
//   a day without an hour means the end of that day (23:59:59); a part of the day without an hour
//   means its end (上午 → 12:00, 下午 → 18:00, 晚上 → 23:59:59); an hour without a day is the next
//   such hour at or after `at`; a month and day without a year is the nearest such date that is
//   not more than 180 days before `at`; "N个工作日内" is the end of the N-th Monday–Friday after
//   the day of `at` (public holidays are not known); other durations are added to `at`.
std::vector<TimeMention> FindTimes(std::wstring_view text, TimeMs at);

// Civil-date helpers in CST, exposed for tests and for the plan engine's display.
struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int weekday = 4;  // 1 = Monday … 7 = Sunday
};
CivilTime ToCivil(TimeMs t);
// Returns nullopt when the fields do not name a real date/time.
std::optional<TimeMs> FromCivil(int year, int month, int day, int hour, int minute, int second);

}  // namespace yuqing::incident
