#include "warning/signals.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/alert.h"
#include "store/alert_store.h"

namespace yuqing::warning {
namespace {

double LogPart(double x, double ref) { return std::clamp(std::log1p(std::max(0.0, x)) / std::log1p(ref), 0.0, 1.0); }

std::string Fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// 1234 → "1,234" (as pushes show counts).
std::string Count(double v) {
  std::string d = std::to_string(static_cast<int64_t>(std::llround(v)));
  for (int i = static_cast<int>(d.size()) - 3; i > 0; i -= 3) d.insert(static_cast<size_t>(i), ",");
  return d;
}

std::string Minutes(TimeMs w) { return std::to_string(w / kMinute) + " 分钟"; }

// Whether condition c holds, and its description with the numbers.
bool Holds(const Condition& c, const Signals& s, const Policy& p, std::string& text) {
  const std::string& k = c.signal;
  if (k == "burst") {
    text = "突增（" + Minutes(p.window) + "内 " + std::to_string(s.volume) + " 条，为基线 " + Fmt("%.2f", s.expected) +
           " 的 " + Fmt("%.1f", s.ratio) + " 倍，z " + Fmt("%.1f", s.z) + "）";
    return s.burst && s.volume >= static_cast<int64_t>(c.min);
  }
  if (k == "growth") {
    std::string w;
    for (size_t i = s.windows.size(); i-- > 0;) w += std::to_string(s.windows[i]) + (i ? "→" : "");
    text = "持续增长（每窗口 ×" + Fmt("%.1f", s.growth_ratio) + "，每 " + Minutes(p.window) + " " + w + " 条）";
    return s.growth;
  }
  if (k == "heat") {
    text = "热度 " + Fmt("%.0f", s.heat.total) + " ≥ " + Fmt("%.0f", c.min);
    return s.heat.total >= c.min;
  }
  if (k == "volume") {
    text = Minutes(p.window) + "内 " + std::to_string(s.volume) + " 条 ≥ " + Fmt("%.0f", c.min);
    return s.volume >= c.min;
  }
  if (k == "negative_share") {
    text = "负面占比 " + Fmt("%.0f", s.negative_share * 100) + "% ≥ " + Fmt("%.0f", c.min * 100) + "%";
    return s.heat_window.volume >= p.burst_min_volume && s.negative_share >= c.min;
  }
  if (k == "sensitive_negative") {
    text = "敏感负面信息 " + std::to_string(s.heat_window.sensitive) + " 条";
    return s.heat_window.sensitive >= std::max<int64_t>(1, static_cast<int64_t>(c.min));
  }
  if (k == "authority") {
    text = "权威来源发布 " + std::to_string(s.heat_window.authoritative) + " 条";
    return s.heat_window.authoritative >= std::max<int64_t>(1, static_cast<int64_t>(c.min));
  }
  if (k == "sensitive_spreading") {
    text = "群体性事件/伤亡信息 " + std::to_string(s.heat_window.spreading) + " 条且在扩散";
    return s.spreading;
  }
  if (k == "forecast_exceeds") {
    if (!s.has_forecast) return false;
    double pe = s.forecast.PExceeds(c.min);
    text = "预计最终 " + Count(s.forecast.forecast) + " 条（" + Count(s.forecast.low) + "–" + Count(s.forecast.high) +
           "），超过 " + Count(c.min) + " 条的概率 " + Fmt("%.2f", pe);
    return pe >= c.p;
  }
  if (k == "burst_ratio") {
    text = "声量为基线的 " + Fmt("%.1f", s.ratio) + " 倍";
    return s.burst && s.ratio >= c.min;
  }
  if (k == "growth_ratio") {
    text = "增长 ×" + Fmt("%.1f", s.growth_ratio);
    return s.growth && s.growth_ratio >= c.min;
  }
  return false;
}

}  // namespace

Heat ComputeHeat(const Bucket& b, const Policy& p) {
  Heat h;
  double n = static_cast<double>(b.volume);
  h.volume = LogPart(n, p.volume_ref);
  h.interactions = LogPart(static_cast<double>(b.interactions), p.interactions_ref);
  h.reach = LogPart(static_cast<double>(b.reach), p.reach_ref);
  h.negative = n > 0 ? (b.negative / n) * std::min(1.0, n / std::max<double>(1, p.burst_min_volume)) : 0;
  h.authority = std::min(1.0, b.authoritative / p.authority_ref);
  h.total = 100 * (p.w_volume * h.volume + p.w_interactions * h.interactions + p.w_reach * h.reach +
                   p.w_negative * h.negative + p.w_authority * h.authority);
  return h;
}

Signals Compute(const KeySeries& s, const Baseline* baseline, TimeMs t, const Policy& p, int64_t min_volume) {
  Signals g;
  g.at = t;
  const TimeMs end = t - ((t % kMinute) + kMinute) % kMinute + kMinute;  // end of t's minute
  const int n = p.growth_windows + 1;
  for (int i = 0; i < n; ++i) g.windows.push_back(s.Sum(end - (i + 1) * p.window, end - i * p.window).volume);
  g.volume = g.windows[0];
  if (baseline) {
    auto e = baseline->At(t, p);
    g.has_baseline = true;
    g.expected = e.mean;
    g.sd = e.sd;
    g.basis = e.basis;
    g.warm = e.warm;
    g.ratio = g.volume / e.mean;
    g.z = (g.volume - e.mean) / std::max(e.sd, 1e-9);
    g.burst = e.warm && g.volume >= p.burst_min_volume && g.ratio >= p.burst_ratio && g.z >= p.burst_z;
  }
  // Geometric growth: every successive ratio over the last growth_windows windows >= factor, the
  // older window non-empty (from nothing, any count is "infinite growth").
  g.growth = g.volume >= std::max(p.growth_min_volume, min_volume);
  double min_ratio = 1e9;
  for (int i = 0; i + 1 < n; ++i) {
    int64_t newer = g.windows[i], older = g.windows[i + 1];
    double r = older > 0 ? static_cast<double>(newer) / older : 0;
    if (older <= 0 || r < p.growth_factor) g.growth = false;
    min_ratio = std::min(min_ratio, older > 0 ? r : 0.0);
  }
  g.growth_ratio = min_ratio >= 1e9 ? 0 : min_ratio;
  g.heat_window = s.Sum(end - p.heat_window, end);
  g.heat = ComputeHeat(g.heat_window, p);
  g.negative_share = g.heat_window.volume ? static_cast<double>(g.heat_window.negative) / g.heat_window.volume : 0;
  double last_ratio = g.windows.size() > 1 && g.windows[1] > 0 ? static_cast<double>(g.windows[0]) / g.windows[1]
                                                                : (g.windows[0] > 0 ? 1e9 : 0);
  g.spreading = g.heat_window.spreading >= p.spreading_min && (g.growth || last_ratio >= p.spreading_growth);
  return g;
}

Verdict Decide(const Signals& s, const Policy& p) {
  Verdict v;
  for (int sev = 4; sev >= 1 && v.severity == 0; --sev) {
    std::vector<std::string> texts;
    for (const auto& c : p.levels[sev]) {
      std::string text;
      if (Holds(c, s, p, text)) {
        v.fired.push_back(c.signal);
        texts.push_back(text);
      }
    }
    if (texts.empty()) continue;
    v.severity = sev;
    v.rule = std::string(LevelName(sev)) + ": ";
    for (size_t i = 0; i < texts.size(); ++i) v.rule += (i ? "；" : "") + texts[i];
  }
  v.numbers = {{"window_minutes", p.window / kMinute},
               {"volume", s.volume},
               {"windows", s.windows},
               {"growth_ratio", s.growth_ratio},
               {"growth", s.growth},
               {"heat", std::round(s.heat.total * 10) / 10},
               {"heat_parts",
                {{"volume", s.heat.volume},
                 {"interactions", s.heat.interactions},
                 {"reach", s.heat.reach},
                 {"negative", s.heat.negative},
                 {"authority", s.heat.authority}}},
               {"heat_window_minutes", p.heat_window / kMinute},
               {"heat_window_volume", s.heat_window.volume},
               {"negative", s.heat_window.negative},
               {"negative_share", s.negative_share},
               {"sensitive", s.heat_window.sensitive},
               {"authoritative", s.heat_window.authoritative},
               {"interactions", s.heat_window.interactions},
               {"fired", v.fired}};
  if (s.has_forecast) {
    v.numbers["forecast"] = {{"observed", s.forecast.observed}, {"expected", std::round(s.forecast.forecast)},
                             {"low", std::round(s.forecast.low)}, {"high", std::round(s.forecast.high)},
                             {"method", s.forecast.method}};
  }
  if (s.has_baseline) {
    v.numbers["baseline"] = s.expected;
    v.numbers["baseline_sd"] = s.sd;
    v.numbers["baseline_basis"] = s.basis;
    v.numbers["baseline_warm"] = s.warm;
    v.numbers["ratio"] = s.ratio;
    v.numbers["z"] = s.z;
    v.numbers["burst"] = s.burst;
  }
  if (v.severity) {
    v.message = std::string(LevelName(v.severity)) + "级(" + LevelNameZh(v.severity) + ")预警: " +
                std::to_string(p.window / kMinute) + "分钟内 " + std::to_string(s.volume) + " 条";
    if (s.has_baseline) v.message += "，为基线 " + Fmt("%.1f", s.ratio) + " 倍";
    if (s.growth_ratio > 0) v.message += "，每窗口增长 ×" + Fmt("%.1f", s.growth_ratio);
    v.message += "，热度 " + Fmt("%.0f", s.heat.total) + "，负面 " + std::to_string(s.heat_window.negative) + " 条";
    if (s.heat_window.sensitive) v.message += "，敏感 " + std::to_string(s.heat_window.sensitive) + " 条";
    if (s.heat_window.authoritative) v.message += "，权威来源 " + std::to_string(s.heat_window.authoritative) + " 条";
  }
  return v;
}

}  // namespace yuqing::warning
