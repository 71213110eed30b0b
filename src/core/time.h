// Time: one representation (milliseconds since the Unix epoch, UTC) and one Clock interface, so
// that `serve` runs on the wall clock and `replay`/drills run on the stream's clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing {

using TimeMs = int64_t;  // milliseconds since 1970-01-01T00:00:00Z

constexpr TimeMs kSecond = 1000;
constexpr TimeMs kMinute = 60 * kSecond;
constexpr TimeMs kHour = 60 * kMinute;
constexpr TimeMs kDay = 24 * kHour;
// The last millisecond of year 9999: no parsed time may lie beyond it (or before the epoch's
// negative mirror), so that arithmetic on times (offsets, buckets, * 1000) cannot overflow.
constexpr TimeMs kLatestTime = 253402300799999;
constexpr TimeMs kEarliestTime = -62167219200000;  // 0000-01-01T00:00:00Z, as far back as ISO 8601 reaches

// The zone used when a timestamp carries no offset, and for display: China Standard Time.
constexpr int kDefaultUtcOffsetMinutes = 8 * 60;

// Parses ISO 8601 ("2026-05-01T08:00:00+08:00", "...Z", "2026-05-01 08:00", "2026-05-01",
// fractional seconds allowed) or Unix time as digits (10 digits: seconds, 13: milliseconds).
// A time without an offset is read in China Standard Time (UTC+8).
Result<TimeMs> ParseTime(std::string_view text);

// A Unix time given as a number (JSON): under 12 digits seconds, else milliseconds; fractional
// seconds allowed. Times outside [kEarliestTime, kLatestTime] are refused, and so are non-finite
// and (as before) negative fractional values.
Result<TimeMs> TimeFromUnixNumber(double value);
Result<TimeMs> TimeFromUnixNumber(int64_t value);

// Formats as ISO 8601 with an explicit offset, e.g. "2026-05-01T08:00:00+08:00".
std::string FormatTime(TimeMs t, int utc_offset_minutes = kDefaultUtcOffsetMinutes);

// Parses a duration such as "90s", "5m", "2h", "7d", "1w" (also "500ms").
Result<TimeMs> ParseDuration(std::string_view text);
std::string FormatDuration(TimeMs d);
// The same for people, in Chinese, to the minute: "26 小时 43 分钟", "3 天 2 小时", "45 分钟" ("30 秒"
// under a minute). Alert notes and pushes use it.
std::string FormatDurationZh(TimeMs d);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs Now() const override;
};

// A clock moved by its owner (replay sets it to each post's timestamp; tests set it by hand).
// It never moves backwards: Advance() to an earlier time is ignored.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start = 0) : now_(start) {}
  TimeMs Now() const override { return now_.load(std::memory_order_acquire); }
  void Set(TimeMs t) { now_.store(t, std::memory_order_release); }
  void Advance(TimeMs t);

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace yuqing
