#include "core/time.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace yuqing {
namespace {

bool ReadInt(std::string_view s, size_t& pos, int digits, int& out) {
  if (pos + digits > s.size()) return false;
  int v = 0;
  for (int i = 0; i < digits; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += digits;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<TimeMs> ParseTime(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return Status::Invalid("empty time");
  bool all_digits = true;
  for (char c : s) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    if (s.size() > 13) return Status::Invalid("unix time out of range: " + std::string(s));
    int64_t v = std::stoll(std::string(s));
    return s.size() >= 12 ? v : v * 1000;
  }
  size_t pos = 0;
  int year, mon, day, hour = 0, min = 0, sec = 0;
  auto bad = [&](const char* what) {
    return Status::Invalid("bad time '" + std::string(s) + "': " + what);
  };
  if (!ReadInt(s, pos, 4, year) || pos >= s.size() || (s[pos] != '-' && s[pos] != '/'))
    return bad("expected YYYY-MM-DD");
  char sep = s[pos++];
  if (!ReadInt(s, pos, 2, mon) || pos >= s.size() || s[pos++] != sep || !ReadInt(s, pos, 2, day))
    return bad("expected YYYY-MM-DD");
  if (mon < 1 || mon > 12 || day < 1 || day > 31) return bad("month or day out of range");
  int millis = 0;
  int offset_min = kDefaultUtcOffsetMinutes;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    if (!ReadInt(s, pos, 2, hour) || pos >= s.size() || s[pos++] != ':' || !ReadInt(s, pos, 2, min))
      return bad("expected hh:mm");
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadInt(s, pos, 2, sec)) return bad("expected seconds");
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          millis += (s[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
      }
    }
    if (hour > 23 || min > 59 || sec > 60) return bad("time of day out of range");
  }
  if (pos < s.size()) {
    char c = s[pos];
    if (c == 'Z' || c == 'z') {
      offset_min = 0;
      ++pos;
    } else if (c == '+' || c == '-') {
      ++pos;
      int oh, om = 0;
      if (!ReadInt(s, pos, 2, oh)) return bad("expected offset hh:mm");
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (pos < s.size() && !ReadInt(s, pos, 2, om)) return bad("expected offset minutes");
      offset_min = (c == '+' ? 1 : -1) * (oh * 60 + om);
    }
  }
  if (pos != s.size()) return bad("unexpected trailing characters");
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  time_t secs = timegm(&tm);
  return static_cast<TimeMs>(secs) * 1000 + millis - static_cast<TimeMs>(offset_min) * kMinute;
}

Result<TimeMs> TimeFromUnixNumber(int64_t value) {
  if (value > kLatestTime || value < kEarliestTime / 1000)
    return Status::Invalid("unix time out of range: " + std::to_string(value));
  return value >= 100000000000LL ? value : value * 1000;  // 12+ digits: milliseconds
}

Result<TimeMs> TimeFromUnixNumber(double value) {
  // Compared as doubles before any conversion: casting an out-of-range double is undefined.
  if (!std::isfinite(value) || value < 0 || value > static_cast<double>(kLatestTime))
    return Status::Invalid("unix time out of range: " + std::to_string(value));
  return static_cast<TimeMs>(value >= 1e11 ? value : value * 1000);
}

std::string FormatTime(TimeMs t, int utc_offset_minutes) {
  TimeMs local = t + static_cast<TimeMs>(utc_offset_minutes) * kMinute;
  time_t secs = static_cast<time_t>(local >= 0 ? local / 1000 : (local - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

Result<TimeMs> ParseDuration(std::string_view text) {
  std::string_view s = Trim(text);
  size_t i = 0;
  int64_t n = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    n = n * 10 + (s[i] - '0');
    if (n > 1000000000) return Status::Invalid("duration too large: " + std::string(s));
    ++i;
  }
  if (i == 0) return Status::Invalid("bad duration '" + std::string(s) + "': expected e.g. 30s, 5m, 2h, 7d");
  std::string_view unit = s.substr(i);
  if (unit == "ms") return n;
  if (unit == "s" || unit.empty()) return n * kSecond;
  if (unit == "m" || unit == "min") return n * kMinute;
  if (unit == "h") return n * kHour;
  if (unit == "d") return n * kDay;
  if (unit == "w") return n * 7 * kDay;
  return Status::Invalid("bad duration unit '" + std::string(unit) + "': use ms, s, m, h, d or w");
}

std::string FormatDuration(TimeMs d) {
  char buf[32];
  if (d % kDay == 0 && d >= kDay) std::snprintf(buf, sizeof buf, "%lldd", (long long)(d / kDay));
  else if (d % kHour == 0 && d >= kHour) std::snprintf(buf, sizeof buf, "%lldh", (long long)(d / kHour));
  else if (d % kMinute == 0 && d >= kMinute) std::snprintf(buf, sizeof buf, "%lldm", (long long)(d / kMinute));
  else if (d % kSecond == 0) std::snprintf(buf, sizeof buf, "%llds", (long long)(d / kSecond));
  else std::snprintf(buf, sizeof buf, "%lldms", (long long)d);
  return buf;
}

std::string FormatDurationZh(TimeMs d) {
  if (d < kMinute) return std::to_string(std::max<TimeMs>(d, 0) / kSecond) + " 秒";
  const TimeMs days = d / kDay, hours = d % kDay / kHour, minutes = d % kHour / kMinute;
  std::string s;
  auto part = [&s](TimeMs n, const char* unit) {
    if (n == 0) return;
    if (!s.empty()) s += " ";
    s += std::to_string(n) + " " + unit;
  };
  part(days, "天");
  part(hours, "小时");
  if (days == 0) part(minutes, "分钟");  // past a day, minutes are noise
  return s;
}

TimeMs SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void ManualClock::Advance(TimeMs t) {
  TimeMs cur = now_.load(std::memory_order_acquire);
  while (t > cur && !now_.compare_exchange_weak(cur, t, std::memory_order_acq_rel)) {
  }
}

}  // namespace yuqing
