#include "incident/time_expr.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace yuqing::incident {
namespace {

constexpr TimeMs kOffset = kDefaultUtcOffsetMinutes * kMinute;

// Howard Hinnant's civil-date algorithms.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Local day number (days since 1970-01-01 in CST) and time of day.
int64_t LocalDay(TimeMs t) { return FloorDiv(t + kOffset, kDay); }
TimeMs AtLocal(int64_t day, int hour, int minute, int second) {
  return day * kDay + hour * kHour + minute * kMinute + second * kSecond - kOffset;
}

int ChineseDigit(wchar_t c) {
  switch (c) {
    case L'零': case L'〇': return 0;
    case L'一': return 1;
    case L'二': case L'两': return 2;
    case L'三': return 3;
    case L'四': return 4;
    case L'五': return 5;
    case L'六': return 6;
    case L'七': return 7;
    case L'八': return 8;
    case L'九': return 9;
    default: return -1;
  }
}

bool IsNumeralChar(wchar_t c) { return (c >= L'0' && c <= L'9') || ChineseDigit(c) >= 0 || c == L'十'; }

enum class Period { kNone, kDawn, kMorning, kForenoon, kNoon, kAfternoon, kDusk, kEvening, kNight };

struct Word {
  std::wstring_view text;
  int value;
};

class Scanner {
 public:
  Scanner(std::wstring_view t, TimeMs at) : t_(t), at_(at) {}

  std::vector<TimeMention> Run() {
    std::vector<TimeMention> out;
    size_t i = 0;
    while (i < t_.size()) {
      if (i > 0 && IsNumeralChar(t_[i - 1]) && IsNumeralChar(t_[i])) {
        ++i;  // never start inside a number
        continue;
      }
      TimeMention m;
      if (Duration(i, m) || Point(i, m)) {
        out.push_back(m);
        i = m.end;
      } else {
        ++i;
      }
    }
    return out;
  }

 private:
  bool At(size_t pos, std::wstring_view w) const { return t_.substr(pos, w.size()) == w; }

  // Reads an ASCII (up to 4 digits) or Chinese (up to 99) number.
  bool Num(size_t& pos, int& v) const {
    size_t p = pos;
    if (p < t_.size() && t_[p] >= L'0' && t_[p] <= L'9') {
      int x = 0, n = 0;
      while (p < t_.size() && t_[p] >= L'0' && t_[p] <= L'9' && n < 4) x = x * 10 + (t_[p++] - L'0'), ++n;
      if (p < t_.size() && t_[p] >= L'0' && t_[p] <= L'9') return false;
      v = x;
      pos = p;
      return true;
    }
    // Chinese: 三, 十, 十二, 二十, 二十四, 三十一, also digit-by-digit 二〇二六.
    int tens = -1, units = -1, digits = 0;
    int seq = 0;
    bool seen_ten = false;
    while (p < t_.size()) {
      wchar_t c = t_[p];
      if (c == L'十') {
        if (seen_ten) break;
        seen_ten = true;
        tens = units < 0 ? 1 : units;
        units = -1;
      } else if (int d = ChineseDigit(c); d >= 0) {
        if (units >= 0 && seen_ten) break;
        if (units >= 0 && !seen_ten) {
          seq = seq * 10 + d;  // digit by digit (years)
          ++digits;
          units = d;
          ++p;
          continue;
        }
        units = d;
        seq = d;
        digits = 1;
      } else {
        break;
      }
      ++p;
    }
    if (p == pos) return false;
    if (seen_ten) v = tens * 10 + (units < 0 ? 0 : units);
    else v = digits > 1 ? seq : units;
    pos = p;
    return true;
  }

  // "N个工作日内", "24小时内", "半小时内", "一周内", "三天后".
  bool Duration(size_t start, TimeMention& m) {
    size_t p = start;
    double n = 0;
    int v = 0;
    if (At(p, L"半")) {
      n = 0.5;
      ++p;
    } else if (Num(p, v)) {
      n = v;
      if (At(p, L"个半")) n += 0.5, p += 2;
      else if (At(p, L"个")) ++p;
      if (At(p, L"多")) ++p;
    } else {
      return false;
    }
    if (At(p, L"个")) ++p;
    enum { uMin, uHour, uDays, uWorkDays, uWeeks, uMonths } unit;
    if (At(p, L"分钟")) unit = uMin, p += 2;
    else if (At(p, L"小时") || At(p, L"钟头")) unit = uHour, p += 2;
    else if (At(p, L"工作日")) unit = uWorkDays, p += 3;
    else if (At(p, L"天") || At(p, L"日")) unit = uDays, p += 1;
    else if (At(p, L"周") || At(p, L"星期")) unit = uWeeks, p += At(p, L"周") ? 1 : 2;
    else if (At(p, L"月")) unit = uMonths, p += 1;
    else return false;
    bool deadline = false;
    if (At(p, L"之内") || At(p, L"以内")) deadline = true, p += 2;
    else if (At(p, L"内")) deadline = true, p += 1;
    else if (At(p, L"后") || At(p, L"以后") || At(p, L"之后")) p += At(p, L"后") ? 1 : 2;
    else return false;
    if (n <= 0 || n > 3660) return false;
    m = {};
    m.start = start;
    m.end = p;
    m.deadline = deadline;
    m.duration = true;
    switch (unit) {
      case uMin: m.when = at_ + static_cast<TimeMs>(n * kMinute); break;
      case uHour: m.when = at_ + static_cast<TimeMs>(n * kHour); break;
      case uDays: m.when = at_ + static_cast<TimeMs>(n * kDay); break;
      case uWeeks: m.when = at_ + static_cast<TimeMs>(n * 7 * kDay); break;
      case uWorkDays: {
        int64_t day = LocalDay(at_);
        int left = static_cast<int>(n + 0.999);
        while (left > 0) {
          ++day;
          int wd = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday
          if (wd <= 5) --left;
        }
        m.when = AtLocal(day, 23, 59, 59);
        break;
      }
      case uMonths: {
        CivilTime c = ToCivil(at_);
        int months = c.month - 1 + static_cast<int>(n);
        int y = c.year + months / 12, mo = months % 12 + 1;
        int d = std::min(c.day, DaysInMonth(y, mo));
        m.when = FromCivil(y, mo, d, c.hour, c.minute, c.second);
        break;
      }
    }
    return true;
  }

  bool Point(size_t start, TimeMention& m) {
    size_t p = start;
    const int64_t today = LocalDay(at_);
    std::optional<int64_t> day;  // local day number
    bool day_invalid = false;
    bool day_only_number = false;
    Period period = Period::kNone;
    enum { kNoEnd, kMonthEnd, kYearEnd } special = kNoEnd;

    // 1. The day.
    {
      size_t q = p;
      int a = 0;
      if (Num(q, a)) {
        int year = -1, month = -1, dd = -1;
        size_t r = q;
        if (At(r, L"年")) {
          year = a;
          ++r;
          int b = 0;
          if (Num(r, b) && At(r, L"月")) {
            month = b;
            ++r;
          } else {
            year = -1;
          }
        } else if (At(r, L"月")) {
          month = a;
          ++r;
        } else if ((At(r, L"日") || At(r, L"号")) && a >= 1 && a <= 31) {
          dd = a;
          ++r;
          day_only_number = true;
        }
        if (month >= 0 && dd < 0) {
          int c = 0;
          size_t s = r;
          if (Num(s, c) && (At(s, L"日") || At(s, L"号"))) {
            dd = c;
            r = s + 1;
          } else if (At(r, L"底") || At(r, L"末")) {
            dd = 99;  // end of month
            ++r;
          } else {
            month = -1;
          }
        }
        if (month >= 1 || dd >= 1) {
          CivilTime now = ToCivil(at_);
          if (year >= 0 && year < 100) year += 2000;
          if (month < 0) {
            month = now.month;
            year = now.year;
            if (dd < now.day) {  // "5日前" said on the 20th means next month
              if (++month > 12) month = 1, ++year;
            }
          }
          bool explicit_year = year >= 0;
          if (!explicit_year) year = now.year;
          if (month < 1 || month > 12) {
            day_invalid = true;
          } else {
            if (dd == 99) dd = DaysInMonth(year, month);
            if (dd < 1 || dd > DaysInMonth(year, month)) {
              day_invalid = true;
            } else {
              int64_t d = DaysFromCivil(year, month, dd);
              if (!explicit_year && d < today - 180) {
                ++year;
                d = dd <= DaysInMonth(year, month) ? DaysFromCivil(year, month, dd) : d;
              }
              day = d;
            }
          }
          p = r;
        }
      }
      if (!day && !day_invalid) {
        static constexpr std::array<Word, 15> kRel = {{
            {L"今天", 0}, {L"今日", 0}, {L"今晚", 0}, {L"今早", 0}, {L"今晨", 0}, {L"今夜", 0},
            {L"当天", 0}, {L"当日", 0}, {L"明天", 1}, {L"明日", 1}, {L"明晚", 1}, {L"明早", 1},
            {L"明晨", 1}, {L"后天", 2}, {L"次日", 1}}};
        for (const Word& w : kRel) {
          if (At(p, w.text)) {
            day = today + w.value;
            wchar_t second = w.text[1];
            if (second == L'晚') period = Period::kEvening;
            if (second == L'夜') period = Period::kNight;
            if (second == L'早' || second == L'晨') period = Period::kMorning;
            p += w.text.size();
            break;
          }
        }
      }
      if (!day && !day_invalid) {
        static constexpr std::array<Word, 9> kWeek = {{{L"本周", 0}, {L"这周", 0}, {L"本星期", 0},
                                                       {L"这星期", 0}, {L"下周", 1}, {L"下星期", 1},
                                                       {L"星期", -1}, {L"礼拜", -1}, {L"周", -1}}};
        for (const Word& w : kWeek) {
          if (!At(p, w.text)) continue;
          size_t q = p + w.text.size();
          if (q >= t_.size()) break;
          wchar_t c = t_[q];
          int wd = c == L'日' || c == L'天' || c == L'末' ? 7 : ChineseDigit(c);
          if (c >= L'1' && c <= L'7') wd = c - L'0';
          if (wd < 1 || wd > 7) {
            if (w.value >= 0 && At(q, L"内")) {  // 本周内
              int today_wd = static_cast<int>(((today % 7) + 7 + 3) % 7) + 1;
              day = today + (7 - today_wd);
              p = q;
            }
            break;
          }
          int today_wd = static_cast<int>(((today % 7) + 7 + 3) % 7) + 1;
          int64_t monday = today - (today_wd - 1);
          if (w.value == 1) day = monday + 7 + (wd - 1);
          else if (w.value == 0) day = monday + (wd - 1);
          else day = wd >= today_wd ? monday + (wd - 1) : monday + 7 + (wd - 1);
          p = q + 1;
          break;
        }
      }
      if (!day && !day_invalid) {
        if (At(p, L"本月底") || At(p, L"本月末")) special = kMonthEnd, p += 3;
        else if (At(p, L"月底") || At(p, L"月末")) special = kMonthEnd, p += 2;
        else if (At(p, L"年底") || At(p, L"年末")) special = kYearEnd, p += 2;
        if (special != kNoEnd) {
          CivilTime now = ToCivil(at_);
          day = special == kMonthEnd ? DaysFromCivil(now.year, now.month, DaysInMonth(now.year, now.month))
                                     : DaysFromCivil(now.year, 12, 31);
        }
      }
    }

    // 2. The part of the day.
    {
      struct P {
        std::wstring_view w;
        Period p;
      };
      static constexpr std::array<P, 13> kPeriods = {{{L"凌晨", Period::kDawn}, {L"早上", Period::kMorning},
                                                      {L"早晨", Period::kMorning}, {L"上午", Period::kForenoon},
                                                      {L"中午", Period::kNoon}, {L"午间", Period::kNoon},
                                                      {L"下午", Period::kAfternoon}, {L"傍晚", Period::kDusk},
                                                      {L"晚上", Period::kEvening}, {L"晚间", Period::kEvening},
                                                      {L"夜间", Period::kNight}, {L"夜里", Period::kNight},
                                                      {L"晚", Period::kEvening}}};
      for (const P& x : kPeriods) {
        if (At(p, x.w) && (x.w.size() > 1 || day)) {  // a bare 晚 only after a day ("3日晚")
          period = x.p;
          p += x.w.size();
          break;
        }
      }
    }

    // 3. The hour.
    int hour = -1, minute = 0;
    {
      size_t q = p;
      int h = 0;
      bool ascii = q < t_.size() && t_[q] >= L'0' && t_[q] <= L'9';
      if (Num(q, h) && h <= 24) {
        if (At(q, L"时") || At(q, L"点")) {
          bool dian = At(q, L"点");
          ++q;
          size_t r = q;
          int mm = 0;
          if (Num(r, mm) && At(r, L"分") && mm < 60) minute = mm, q = r + 1;
          else if (At(q, L"半")) minute = 30, ++q;
          else if (At(q, L"整")) ++q;
          // "一点" is usually "a little" and "第一时间" "at once": a Chinese-numeral hour needs a day,
          // a part of the day or a limit ("十时前") to count.
          const bool word = At(q, L"间") || At(q, L"候") || At(q, L"期") || At(q, L"段") || At(q, L"代") ||
                            (start > 0 && t_[start - 1] == L'第');
          const bool limit = At(q, L"前") || At(q, L"之前") || At(q, L"以前");
          (void)dian;
          if (!word && (ascii || day || period != Period::kNone || limit)) {
            hour = h;
            p = q;
          }
        } else if (ascii && At(q, L":")) {
          size_t r = q + 1;
          if (r + 1 < t_.size() && t_[r] >= L'0' && t_[r] <= L'5' && t_[r + 1] >= L'0' && t_[r + 1] <= L'9' &&
              (r + 2 >= t_.size() || !(t_[r + 2] >= L'0' && t_[r + 2] <= L'9'))) {
            hour = h;
            minute = (t_[r] - L'0') * 10 + (t_[r + 1] - L'0');
            p = r + 2;
          }
        }
      }
    }

    bool has_day = day.has_value() || day_invalid;
    if (!has_day && hour < 0) return false;
    if (day_only_number && hour < 0 && period == Period::kNone) {
      // "5日" alone is often "5 days"; accept only as a limit ("5日前").
      if (!(At(p, L"前") || At(p, L"之前") || At(p, L"以前"))) return false;
    }

    // 4. Suffix.
    m = {};
    if (At(p, L"许") || At(p, L"左右") || At(p, L"前后")) {
      m.approximate = true;
      p += At(p, L"许") ? 1 : 2;
    }
    if (At(p, L"之前") || At(p, L"以前") || At(p, L"之内") || At(p, L"以内")) m.deadline = true, p += 2;
    else if (At(p, L"前") || At(p, L"内")) m.deadline = true, p += 1;
    m.start = start;
    m.end = p;
    m.has_date = has_day;
    if (day_invalid) return true;

    int64_t d = day ? *day : today;
    if (hour >= 0) {
      if (hour < 12 && (period == Period::kAfternoon || period == Period::kDusk || period == Period::kEvening ||
                        (period == Period::kNight && hour >= 6)))
        hour += 12;
      if (period == Period::kNoon && hour < 6) hour += 12;
      if (period == Period::kDawn && hour == 12) hour = 0;
      TimeMs t = hour == 24 ? AtLocal(d + 1, 0, minute, 0) : AtLocal(d, hour, minute, 0);
      if (!day && t < at_) t += kDay;  // "20时前" said at 21:00 means tomorrow
      m.when = t;
      return true;
    }
    int eh = 23, em = 59, es = 59;
    switch (period) {
      case Period::kDawn: eh = 6, em = 0, es = 0; break;
      case Period::kMorning: eh = 9, em = 0, es = 0; break;
      case Period::kForenoon: eh = 12, em = 0, es = 0; break;
      case Period::kNoon: eh = 12, em = 0, es = 0; break;
      case Period::kAfternoon: eh = 18, em = 0, es = 0; break;
      case Period::kDusk: eh = 19, em = 0, es = 0; break;
      default: break;
    }
    m.when = AtLocal(d, eh, em, es);
    return true;
  }

  std::wstring_view t_;
  TimeMs at_;
};

}  // namespace

CivilTime ToCivil(TimeMs t) {
  CivilTime c;
  int64_t day = LocalDay(t);
  CivilFromDays(day, c.year, c.month, c.day);
  TimeMs in_day = t + kOffset - day * kDay;
  c.hour = static_cast<int>(in_day / kHour);
  c.minute = static_cast<int>(in_day % kHour / kMinute);
  c.second = static_cast<int>(in_day % kMinute / kSecond);
  c.weekday = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
  return c;
}

std::optional<TimeMs> FromCivil(int year, int month, int day, int hour, int minute, int second) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59)
    return std::nullopt;
  return AtLocal(DaysFromCivil(year, month, day), hour, minute, second);
}

std::vector<TimeMention> FindTimes(std::wstring_view text, TimeMs at) { return Scanner(text, at).Run(); }

}  // namespace yuqing::incident
