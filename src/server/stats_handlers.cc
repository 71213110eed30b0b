// GET /api/v1/stats and /api/v1/overview: counts for the dashboard, scoped to the principal's
// departments and cached briefly.
//
// Unscoped (admin) counts come from the store's hourly counts (PostStore::Summarize). A
// department's counts are of the posts of its schemes, which may overlap, so they are summed here
// from the posts themselves (one indexed range scan).
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/alert_json.h"
#include "server/handlers.h"
#include "store/scoped_reads.h"
#ifdef YUQING_HAVE_EVENTS
#include "store/event_store.h"
#endif

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr TimeMs kMaxOverviewRange = 92 * kDay;
// The hourly counts are per UTC hour: the display zone's hours and days must start on one.
static_assert(kDefaultUtcOffsetMinutes % 60 == 0, "trend buckets must be whole UTC hours");

struct Aggregate {
  int64_t total = 0;
  std::map<TimeMs, std::array<int64_t, 3>> trend;  // bucket start -> negative, neutral, positive
  std::map<std::string, int64_t> sources, provinces, sentiments;
  std::set<int64_t> events;  // a department's events with posts in the range (admins: counted from events)
};

// Buckets start at whole hours/days of the display zone (UTC+8).
TimeMs BucketOf(TimeMs t, TimeMs bucket) {
  TimeMs z = t + kDefaultUtcOffsetMinutes * kMinute;
  return z - ((z % bucket) + bucket) % bucket - kDefaultUtcOffsetMinutes * kMinute;
}

int SentimentIndex(std::string_view s) { return s == "negative" ? 0 : s == "positive" ? 2 : 1; }

Result<Aggregate> Collect(Conn& conn, const Scope& scope, TimeMs from, TimeMs to, TimeMs bucket) {
  Aggregate a;
  if (scope.all) {
    YQ_ASSIGN_OR_RETURN(store::VolumeSummary v, conn.posts->Summarize(from, to));
    a.total = v.total;
    if (bucket > 0)
      for (const auto& [key, n] : v.hourly) a.trend[BucketOf(key.first, bucket)][SentimentIndex(key.second)] += n;
    for (auto& [k, n] : v.sentiments) a.sentiments[k] += n;
    a.sources = std::move(v.sources);
    a.provinces = std::move(v.provinces);
    return a;
  }
  if (scope.scheme_ids.empty()) return a;
  store::ReadScope posts;
  posts.scheme_ids = scope.scheme_ids;
  YQ_RETURN_IF_ERROR(store::ForEachPostFacets(*conn.db, posts, from, to, [&](const store::PostFacets& p) {
    ++a.total;
    if (bucket > 0) ++a.trend[BucketOf(p.published_at, bucket)][SentimentIndex(p.sentiment)];
    ++a.sentiments[std::string(p.sentiment)];
    ++a.sources[std::string(p.source)];
    if (!p.province.empty()) ++a.provinces[std::string(p.province)];
    if (p.event_id > 0) a.events.insert(p.event_id);
  }));
  return a;
}

json TopN(const std::map<std::string, int64_t>& m, const char* key, size_t n) {
  std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  json out = json::array();
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back({{key, v[i].first}, {"count", v[i].second}});
  return out;
}

json PairsObject(const std::vector<std::pair<std::string, int64_t>>& v) {
  json o = json::object();
  for (const auto& [k, n] : v) o[k] = n;
  return o;
}

// Alerts raised in [from, to) on the schemes the scope sees.
Result<int64_t> AlertsRaised(Conn& conn, const Scope& scope, TimeMs from, TimeMs to) {
  if (!scope.all && scope.scheme_ids.empty()) return int64_t{0};
  return conn.alerts->CountRaised(from, to, scope.all ? std::vector<int64_t>{} : scope.scheme_ids);
}

// Events active in [from, to): for admins every unmerged event whose span overlaps the range (one
// indexed read of the events table, however many posts); for a department, the events its
// schemes' posts in the range belong to (collected with the counts).
Result<int64_t> EventsActive(Conn& conn, const Scope& scope, const Aggregate& a, TimeMs from, TimeMs to) {
  if (!scope.all) return static_cast<int64_t>(a.events.size());
#ifdef YUQING_HAVE_EVENTS
  auto events = store::EventStore::Open(*conn.db);
  if (!events.ok()) return events.status();
  return (*events)->CountActive(from, to);
#else
  (void)conn, (void)from, (void)to;
  return int64_t{0};
#endif
}

// The figures of one period, the same for the range and the one before it (环比).
Result<json> PeriodFigures(Conn& conn, const Scope& scope, const Aggregate& a, TimeMs from, TimeMs to) {
  YQ_ASSIGN_OR_RETURN(int64_t alerts, AlertsRaised(conn, scope, from, to));
  YQ_ASSIGN_OR_RETURN(int64_t events, EventsActive(conn, scope, a, from, to));
  auto sent = a.sentiments;
  return json{{"from", FormatTime(from)},
              {"to", FormatTime(to)},
              {"total", a.total},
              {"sentiment", {{"negative", sent["negative"]}, {"neutral", sent["neutral"]}, {"positive", sent["positive"]}}},
              {"sources", TopN(a.sources, "source", 20)},
              {"regions", TopN(a.provinces, "province", 40)},
              {"alerts_raised", alerts},
              {"events_active", events}};
}

Result<json> ComputeStats(Ctx& c, const Scope& scope) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  json out;
  if (scope.all) {
    YQ_ASSIGN_OR_RETURN(auto s, conn->posts->Stats());
    out = {{"posts", s.posts}, {"quarantined", s.quarantined},
           {"first", s.first ? json(FormatTime(s.first)) : json(nullptr)},
           {"last", s.last ? json(FormatTime(s.last)) : json(nullptr)},
           {"by_source", PairsObject(s.by_source)}, {"by_sentiment", PairsObject(s.by_sentiment)}};
  } else {
    YQ_ASSIGN_OR_RETURN(auto a, Collect(*conn, scope, 0, INT64_MAX, 0));
    json src = json::object(), sen = json::object();
    for (const auto& [k, n] : a.sources) src[k] = n;
    for (const auto& [k, n] : a.sentiments) sen[k] = n;
    out = {{"posts", a.total}, {"quarantined", nullptr}, {"by_source", src}, {"by_sentiment", sen}};
  }
  out["scope"] = scope.all ? "all" : "departments";
  return out;
}

}  // namespace

Result<Reply> Stats(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  YQ_ASSIGN_OR_RETURN(json out, c.state.cache.GetOrCompute("stats|" + scope.Key(), c.now(), c.state.opts.overview_cache_ttl,
                                                           [&]() -> Result<json> { return ComputeStats(c, scope); }));
  if (c.state.ingest) {
    auto n = c.state.ingest->counts();
    out["server"] = {{"stored", n.stored}, {"duplicates", n.duplicates}, {"quarantined", n.quarantined},
                     {"queued", c.state.ingest->queued_records()}, {"stream_clients", c.state.hub.subscribers()}};
  }
  return Reply(std::move(out));
}

Result<json> ComputeOverview(Ctx& c, const Scope& scope, TimeMs from, TimeMs to, TimeMs bucket);

Result<Reply> Overview(Ctx& c) {
  TimeMs now = c.now();
  TimeMs to = 0, from = 0;
  std::string to_s = c.Param("to"), from_s = c.Param("from");
  if (!to_s.empty()) {
    YQ_ASSIGN_OR_RETURN(to, ParseTime(to_s));
  } else {
    to = (now / kMinute + 1) * kMinute;  // the next minute, so the cache key is stable
  }
  if (!from_s.empty()) {
    YQ_ASSIGN_OR_RETURN(from, ParseTime(from_s));
  } else {
    from = to - kDay;
  }
  if (from >= to) return Status::Invalid("from must be before to");
  if (to - from > kMaxOverviewRange) return Status::Invalid("the overview covers at most 92 days");
  TimeMs bucket = to - from > 31 * kDay ? kDay : kHour;
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  std::string key = "overview|" + scope.Key() + "|" + std::to_string(from) + "|" + std::to_string(to);
  YQ_ASSIGN_OR_RETURN(json out, c.state.cache.GetOrCompute(key, now, c.state.opts.overview_cache_ttl, [&]() -> Result<json> {
    return ComputeOverview(c, scope, from, to, bucket);
  }));
  return Reply(std::move(out));
}

Result<json> ComputeOverview(Ctx& c, const Scope& scope, TimeMs from, TimeMs to, TimeMs bucket) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto a, Collect(*conn, scope, from, to, bucket));
  json open_alerts = json::array();
  if (scope.all || !scope.scheme_ids.empty()) {
    store::AlertFilter f;
    f.status = "active";
    f.scheme_ids = scope.all ? std::vector<int64_t>{} : scope.scheme_ids;
    f.limit = 20;
    YQ_ASSIGN_OR_RETURN(auto alerts, conn->alerts->List(f));
    // Most severe first, then newest.
    std::stable_sort(alerts.begin(), alerts.end(), [](const auto& x, const auto& y) { return x.severity > y.severity; });
    for (const auto& al : alerts) open_alerts.push_back(AlertToJson(al));
  }
  json top_events = json::array();
#ifdef YUQING_HAVE_EVENTS
  YQ_ASSIGN_OR_RETURN(top_events, TopEvents(c, scope, from, 10));
#endif
  json trend = json::array();
  // Every bucket of the range, empty ones included, in the display zone's hours.
  TimeMs offset = kDefaultUtcOffsetMinutes * kMinute;
  TimeMs first = (from + offset) - (((from + offset) % bucket) + bucket) % bucket - offset;
  for (TimeMs b = first; b < to; b += bucket) {
    auto it = a.trend.find(b);
    std::array<int64_t, 3> n = it == a.trend.end() ? std::array<int64_t, 3>{} : it->second;
    trend.push_back({{"t", FormatTime(b)}, {"negative", n[0]}, {"neutral", n[1]}, {"positive", n[2]}});
  }
  YQ_ASSIGN_OR_RETURN(json out, PeriodFigures(*conn, scope, a, from, to));
  // The previous period of the same length, for the change on every figure (环比).
  YQ_ASSIGN_OR_RETURN(auto prev_agg, Collect(*conn, scope, from - (to - from), from, 0));
  YQ_ASSIGN_OR_RETURN(json previous, PeriodFigures(*conn, scope, prev_agg, from - (to - from), from));
  json keywords = json::array();
#ifdef YUQING_HAVE_EVENTS
  YQ_ASSIGN_OR_RETURN(keywords, EventWordCloud(c, scope, from, to, 40, 80));
#endif
  out["bucket"] = bucket == kHour ? "hour" : "day";
  out["trend"] = std::move(trend);
  out["top_events"] = std::move(top_events);
  out["open_alerts"] = std::move(open_alerts);
  out["keywords"] = std::move(keywords);
  out["previous"] = std::move(previous);
  return out;
}

}  // namespace yuqing::server
