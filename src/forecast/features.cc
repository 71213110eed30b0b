#include "forecast/features.h"

#include <algorithm>
#include <cmath>

namespace yuqing::forecast {

namespace {

constexpr double kTwoPi = 6.283185307179586;

double Seconds(TimeMs dt) { return std::max<TimeMs>(dt, 0) / 1000.0; }

bool Within(const Repost& r, TimeMs root, TimeMs at) { return r.t_ms - root <= at; }

double Followers(int64_t f, const SeismicParams& p) { return f >= 0 ? static_cast<double>(f) : p.default_followers; }

bool ContainsAny(const std::string& text, const std::vector<std::string>& cues) {
  for (const auto& c : cues)
    if (text.find(c) != std::string::npos) return true;
  return false;
}

// Word groups that reposts use around rumours (people deny, doubt, warn, are outraged) and around
// ordinary posts (good-night wishes, praise): chosen from the words whose share differs most
// between rumour and non-rumour cascades in the training folds' first hour (never the held-out
// fold). Plain substrings: the texts are short and the cues unambiguous enough at this grain.
const std::vector<std::vector<std::string>>& CueGroups() {
  static const std::vector<std::vector<std::string>> groups = {
      {"辟谣", "谣言", "造谣", "传谣", "假的", "是假", "不实", "假消息", "假新闻", "骗子", "骗人", "谣"},
      {"求证", "真的吗", "真的假的", "是真的", "真假", "靠谱吗", "真相", "不会吧", "不是真", "这是真", "真的？", "？", "?"},
      {"扩散", "转起", "求转", "速转", "帮转", "紧急", "互相转告", "注意", "小心", "当心", "提醒"},
      {"官方", "警方", "回应", "通报", "证实", "澄清", "公安"},
      {"畜生", "人渣", "天理", "愤怒", "严惩", "恐怖", "举报", "祈福", "一路走好", "可怜"},
      {"晚安", "[月亮]", "生日快乐", "很美", "好帅", "怀念", "很棒", "幸福", "爱你", "愛", "早安", "加油", "喜欢",
       "哈哈", "[花]", "[心]", "[爱你]", "赞"}};
  return groups;
}

bool EmptyText(const std::string& t) { return t.empty() || t == "转发微博" || t == "轉發微博" || t == "Repost"; }

}  // namespace

double KernelCdf(double s, const SeismicParams& p) {
  // phi(s) = c on [0, s0], c (s/s0)^-(1+theta) after; c makes the whole integral 1.
  const double c = 1.0 / (p.s0_seconds * (1.0 + 1.0 / p.theta));
  if (s <= 0) return 0;
  if (s <= p.s0_seconds) return c * s;
  return c * p.s0_seconds + c * p.s0_seconds / p.theta * (1.0 - std::pow(s / p.s0_seconds, -p.theta));
}

double SeismicFinal(const Observation& obs, TimeMs at, const SeismicParams& p) {
  const double t = Seconds(at);
  // The root and every repost so far expose their followers; N_t weighs each exposure by how
  // much of its reaction the kernel expects by t, Rest by how much is still to come.
  double exposed = Followers(obs.root_followers, p) * KernelCdf(t, p);
  double rest = Followers(obs.root_followers, p) * (1 - KernelCdf(t, p));
  double seen = 0;
  for (const auto& r : obs.reposts) {
    if (!Within(r, obs.root_time_ms, at)) continue;
    const double age = t - Seconds(r.t_ms - obs.root_time_ms);
    exposed += Followers(r.followers, p) * KernelCdf(age, p);
    rest += Followers(r.followers, p) * (1 - KernelCdf(age, p));
    seen += 1;
  }
  if (seen == 0 || exposed <= 0) return 0;
  const double infectious = seen / exposed;
  const double branching = std::min(infectious * p.default_followers, p.max_branching);
  return seen + infectious * rest / (1 - branching);
}

size_t ObservedWithin(const Observation& obs, TimeMs at) {
  return static_cast<size_t>(std::count_if(obs.reposts.begin(), obs.reposts.end(),
                                           [&](const Repost& r) { return Within(r, obs.root_time_ms, at); }));
}

const std::vector<std::string>& SizeFeatureNames() {
  static const std::vector<std::string> names = {
      "log_observed",      "log_observed_sq",   "log_seismic",     "log_last_quarter", "log_first_half",
      "log_root_followers", "root_verified",    "log_max_depth",   "deep_share",       "log_first_delay_min",
      "verified_share",    "empty_text_share",  "text_rumor_p",    "log_bin_1_8",      "log_bin_2_8",
      "log_bin_3_8",       "log_bin_4_8",       "hour_sin",        "hour_cos"};
  return names;
}

std::vector<double> SizeFeatures(const Observation& obs, TimeMs at, const SeismicParams& p) {
  double n = 0, last_quarter = 0, first_half = 0, deep = 0, verified = 0, empty = 0;
  double bins[4] = {0, 0, 0, 0};  // (0, at/8], (at/8, at/4], (at/4, at/2], (at/2, at]: the curve's shape
  int max_depth = 0;
  TimeMs first = at;
  for (const auto& r : obs.reposts) {
    if (!Within(r, obs.root_time_ms, at)) continue;
    const TimeMs dt = std::max<TimeMs>(r.t_ms - obs.root_time_ms, 0);
    n += 1;
    last_quarter += dt > at - at / 4;
    first_half += dt <= at / 2;
    bins[dt <= at / 8 ? 0 : dt <= at / 4 ? 1 : dt <= at / 2 ? 2 : 3] += 1;
    deep += r.depth >= 2;
    verified += r.verified;
    empty += EmptyText(r.text);
    max_depth = std::max(max_depth, r.depth);
    first = std::min(first, dt);
  }
  const double share = n > 0 ? 1.0 / n : 0.0;
  // Beijing hour of the root: a post at 3 a.m. meets fewer readers in its first hour.
  const double hour = static_cast<double>(((obs.root_time_ms + 8 * kHour) % kDay + kDay) % kDay) / kHour;
  const double lo = std::log1p(n);
  return {lo,
          lo * lo,
          std::log1p(SeismicFinal(obs, at, p)),
          std::log1p(last_quarter),
          std::log1p(first_half),
          std::log1p(static_cast<double>(std::max<int64_t>(obs.root_followers, 0))),
          obs.root_verified ? 1.0 : 0.0,
          std::log1p(max_depth),
          deep * share,
          std::log1p(first / static_cast<double>(kMinute)),
          verified * share,
          empty * share,
          obs.text_rumor_p >= 0 ? obs.text_rumor_p : 0.5,
          std::log1p(bins[0]),
          std::log1p(bins[1]),
          std::log1p(bins[2]),
          std::log1p(bins[3]),
          std::sin(hour * kTwoPi / 24),
          std::cos(hour * kTwoPi / 24)};
}

const std::vector<std::string>& RumorFeatureNames() {
  static const std::vector<std::string> names = {
      "deny_share",  "log_deny",  "doubt_share", "log_doubt",  "spread_share", "log_spread",
      "official_share", "log_official", "outrage_share", "log_outrage", "warm_share", "log_warm", "log_observed",
      "log_root_followers", "root_verified", "log_max_depth", "empty_text_share"};
  return names;
}

std::vector<double> RumorFeatures(const Observation& obs, TimeMs at) {
  const auto& groups = CueGroups();
  std::vector<double> hits(groups.size(), 0);
  double n = 0, empty = 0;
  int max_depth = 0;
  for (const auto& r : obs.reposts) {
    if (!Within(r, obs.root_time_ms, at)) continue;
    n += 1;
    empty += EmptyText(r.text);
    max_depth = std::max(max_depth, r.depth);
    for (size_t g = 0; g < groups.size(); ++g) hits[g] += ContainsAny(r.text, groups[g]);
  }
  std::vector<double> x;
  for (double h : hits) {
    x.push_back(n > 0 ? h / n : 0.0);
    x.push_back(std::log1p(h));
  }
  x.push_back(std::log1p(n));
  x.push_back(std::log1p(static_cast<double>(std::max<int64_t>(obs.root_followers, 0))));
  x.push_back(obs.root_verified ? 1.0 : 0.0);
  x.push_back(std::log1p(max_depth));
  x.push_back(n > 0 ? empty / n : 0.0);
  return x;
}

}  // namespace yuqing::forecast
