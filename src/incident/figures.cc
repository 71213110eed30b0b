#include "incident/figures.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "store/alert_store.h"
#include "warning/policy.h"
#include "warning/signals.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

bool ParseId(const std::string& s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && *out > 0;
}

Result<bool> HasPosts(store::Database& db) {
  return db.HasComponent("posts");
}

json TimeOrNull(TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); }

json Share(int64_t part, int64_t whole) { return whole > 0 ? json(static_cast<double>(part) / whole) : json(nullptr); }

// Heat index of the window's average hour, by the warning engine's formula and default policy.
double HeatOf(const store::PostWindow& w, TimeMs window) {
  static const warning::Policy policy = [] {
    auto p = warning::ParsePolicy("");
    return p.ok() ? *p : warning::Policy{};
  }();
  const double per = static_cast<double>(policy.heat_window) / static_cast<double>(std::max<TimeMs>(window, 1));
  warning::Bucket b;
  b.volume = static_cast<int64_t>(w.volume * per + 0.5);
  b.negative = static_cast<int64_t>(w.negative * per + 0.5);
  b.interactions = static_cast<int64_t>(w.interactions * per + 0.5);
  b.reach = static_cast<int64_t>(w.reach * per + 0.5);
  b.authoritative = static_cast<int64_t>(w.authoritative * per + 0.5);
  return std::round(warning::ComputeHeat(b, policy).total * 10) / 10;
}

json WindowJson(const store::PostWindow& w, TimeMs window) {
  return {{"volume", w.volume},         {"negative", w.negative},
          {"negative_share", Share(w.negative, w.volume)},
          {"interactions", w.interactions}, {"reach", w.reach},
          {"authoritative", w.authoritative}, {"heat", HeatOf(w, window)}};
}

json Change(const json& before, const json& after, const char* key) {
  if (before[key].is_null() || after[key].is_null()) return nullptr;
  double b = before[key].get<double>(), a = after[key].get<double>();
  return a - b;
}

json Points(const std::vector<store::CurvePoint>& pts) {
  json a = json::array();
  for (const auto& p : pts)
    a.push_back({{"at", FormatTime(p.at)}, {"at_ms", p.at}, {"volume", p.volume}, {"negative", p.negative}});
  return a;
}

}  // namespace

Result<store::PostScope> ScopeOf(store::IncidentStore& store, const store::IncidentRow& inc, const FigureOptions& o) {
  store::PostScope scope;
  YQ_ASSIGN_OR_RETURN(auto links, store.Links(inc.id));
  for (const auto& l : links) {
    int64_t id = 0;
    if (l.kind == "event" && ParseId(l.ref, &id)) scope.event_ids.push_back(id);
    else if (l.kind == "scheme" && ParseId(l.ref, &id)) scope.scheme_ids.push_back(id);
    else if (l.kind == "post") scope.post_ids.push_back(l.ref);
  }
  if (scope.event_ids.empty() && !scope.scheme_ids.empty()) scope.from = inc.detected_at - o.lookback;
  return scope;
}

TimeMs CurveBucket(TimeMs from, TimeMs to) {
  const TimeMs span = std::max<TimeMs>(to - from, 1);
  for (TimeMs b : {kMinute, 5 * kMinute, 10 * kMinute, 30 * kMinute, kHour, 3 * kHour, 6 * kHour, 12 * kHour})
    if (span / b <= 240) return b;
  return kDay;
}

Result<json> DetectionFigures(store::IncidentStore& store, const store::IncidentRow& inc,
                              const store::PostScope& scope, const FigureOptions& o) {
  TimeMs first_alert = 0;
  YQ_ASSIGN_OR_RETURN(auto links, store.Links(inc.id));
  std::unique_ptr<store::AlertStore> alerts;
  for (const auto& l : links) {
    int64_t id = 0;
    if (l.kind != "alert" || !ParseId(l.ref, &id)) continue;
    if (!alerts) {
      YQ_ASSIGN_OR_RETURN(alerts, store::AlertStore::Open(store.db()));
    }
    YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(id));
    // Alerts raised by the response itself (overdue promises) come later; they do not detect.
    if (a && a->event_id >= 0 && (first_alert == 0 || a->created_at < first_alert)) first_alert = a->created_at;
  }
  const TimeMs detected = first_alert > 0 ? first_alert : inc.detected_at;
  TimeMs event_first = 0, episode_first = 0;
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store.db()));
  if (has_posts && !scope.empty()) {
    store::IncidentPosts posts(store.db());
    YQ_ASSIGN_OR_RETURN(auto w, posts.Span(scope, 0, 0));
    event_first = w.first;
    // Walk back from detection until a gap longer than episode_gap.
    YQ_ASSIGN_OR_RETURN(auto times, posts.TimesDescending(scope, detected - o.lookback, detected + 1, 200000));
    TimeMs prev = detected;
    for (TimeMs t : times) {
      if (prev - t > o.episode_gap) break;
      episode_first = t;
      prev = t;
    }
    if (episode_first == 0) episode_first = event_first;  // every post came after the alert
  }
  json minutes = nullptr;
  if (episode_first > 0 && detected > 0)
    minutes = static_cast<double>(std::max<TimeMs>(0, detected - episode_first)) / static_cast<double>(kMinute);
  return json{{"first_post_at", TimeOrNull(episode_first)},
              {"event_first_post_at", TimeOrNull(event_first)},
              {"first_alert_at", TimeOrNull(first_alert)},
              {"detected_by", first_alert > 0 ? "alert" : "incident"},
              {"episode_gap_minutes", o.episode_gap / kMinute},
              {"minutes_to_detect", minutes}};
}

Result<json> AroundStatements(store::IncidentStore& store, const store::PostScope& scope,
                              const std::vector<store::StatementRow>& statements, TimeMs now, const FigureOptions& o) {
  json out = json::array();
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store.db()));
  std::vector<const store::StatementRow*> published;
  for (const auto& s : statements)
    if (s.published_at > 0) published.push_back(&s);
  std::sort(published.begin(), published.end(),
            [](auto* a, auto* b) { return a->published_at < b->published_at; });
  const TimeMs bucket = CurveBucket(0, 2 * o.window);
  for (const auto* s : published) {
    const TimeMs t = s->published_at;
    store::PostWindow before, after;
    std::vector<store::CurvePoint> curve;
    if (has_posts && !scope.empty()) {
      // Opened only where there are posts: their tables are SQLite's alone so far, and an
      // incident on PostgreSQL has none to count.
      store::IncidentPosts posts(store.db());
      YQ_ASSIGN_OR_RETURN(before, posts.Window(scope, t - o.window, t));
      YQ_ASSIGN_OR_RETURN(after, posts.Window(scope, t, t + o.window));
      YQ_ASSIGN_OR_RETURN(curve, posts.Curve(scope, t - o.window, t + o.window, bucket, t));
    }
    json b = WindowJson(before, o.window), a = WindowJson(after, o.window);
    out.push_back({{"statement_id", s->id},
                   {"kind", s->kind},
                   {"published_at", FormatTime(t)},
                   {"window_minutes", o.window / kMinute},
                   {"complete", now >= t + o.window},
                   {"before", b},
                   {"after", a},
                   {"change",
                    {{"volume", after.volume - before.volume},
                     {"volume_ratio", before.volume > 0 ? json(static_cast<double>(after.volume) / before.volume)
                                                        : json(nullptr)},
                     {"negative_share", Change(b, a, "negative_share")},
                     {"heat", Change(b, a, "heat")}}},
                   {"curve", {{"bucket_minutes", bucket / kMinute}, {"points", Points(curve)}}}});
  }
  return out;
}

Result<json> PublicFeedback(store::IncidentStore& store, const store::PostScope& scope, int64_t incident_id) {
  json j = {{"hotline", 0}, {"survey", 0}, {"complaints", 0}, {"public_replies_logged", 0}};
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store.db()));
  if (has_posts && !scope.empty()) {
    store::IncidentPosts posts(store.db());
    YQ_ASSIGN_OR_RETURN(auto by_source, posts.CountSources(scope, {"hotline", "survey"}));
    for (const auto& [src, n] : by_source) j[src] = n;
    YQ_ASSIGN_OR_RETURN(int64_t complaints, posts.CountType(scope, "complaint"));
    j["complaints"] = complaints;
  }
  YQ_ASSIGN_OR_RETURN(auto comms, store.ListCommunications(incident_id));
  int64_t replies = 0;
  for (const auto& c : comms) replies += c.kind == "public";
  j["public_replies_logged"] = replies;
  return j;
}

Result<json> VolumeCurve(store::IncidentStore& store, const store::IncidentRow& inc, const store::PostScope& scope,
                         TimeMs now) {
  json out = {{"bucket_minutes", nullptr}, {"from", nullptr}, {"to", nullptr}, {"total", 0}, {"negative", 0},
              {"points", json::array()}};
  YQ_ASSIGN_OR_RETURN(bool has_posts, HasPosts(store.db()));
  if (!has_posts || scope.empty()) return out;
  store::IncidentPosts posts(store.db());
  YQ_ASSIGN_OR_RETURN(auto w, posts.Span(scope, 0, 0));
  if (w.volume == 0) return out;
  const TimeMs from = std::min(w.first, inc.detected_at - kHour);
  const TimeMs to = std::max({w.last + 1, now, inc.detected_at});
  const TimeMs bucket = CurveBucket(from, to);
  YQ_ASSIGN_OR_RETURN(auto pts, posts.Curve(scope, from, to, bucket));
  out["bucket_minutes"] = bucket / kMinute;
  out["from"] = FormatTime(from);
  out["to"] = FormatTime(to);
  int64_t negative = 0;
  for (const auto& p : pts) negative += p.negative;
  out["total"] = w.volume;
  out["negative"] = negative;
  out["points"] = Points(pts);
  return out;
}

}  // namespace yuqing::incident
