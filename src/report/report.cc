// Report assembly: which posts, which period, then one section after another in the order a
// leader reads them. Every figure comes from a store query another command also prints, so a
// report never disagrees with the screen.
#include "report/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/alert_json.h"
#include "core/event_json.h"
#include "incident/evaluation.h"
#include "report/queries.h"
#include "store/alert_store.h"
#include "store/event_store.h"
#include "store/incident_store.h"
#include "store/scheme_store.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Midnight of a day in the display zone.
TimeMs LocalMidnight(int64_t days) { return days * kDay - kDefaultUtcOffsetMinutes * kMinute; }

json PeriodJson(const Period& p) {
  return {{"from", FormatTime(p.from)}, {"to", FormatTime(p.to)}, {"from_ms", p.from}, {"to_ms", p.to}};
}

json CountsObject(const std::map<std::string, int64_t>& m) {
  json o = json::object();
  for (const auto& [k, n] : m) o[k] = n;
  return o;
}

// [{"name", "count"}], most first.
json Ranked(const std::map<std::string, int64_t>& m, size_t n) {
  std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  json out = json::array();
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back({{"name", v[i].first}, {"count", v[i].second}});
  return out;
}

// Hours for a period of up to two days, else days.
TimeMs TrendBucket(const Period& p) { return p.to - p.from <= 2 * kDay ? kHour : kDay; }

json TrendJson(const Volume& v, const Period& p, TimeMs bucket) {
  json out = json::array();
  for (TimeMs b = BucketOf(p.from, bucket); b < p.to; b += bucket) {
    auto it = v.trend.find(b);
    std::array<int64_t, 3> n = it == v.trend.end() ? std::array<int64_t, 3>{} : it->second;
    out.push_back({{"t", FormatTime(b)}, {"negative", n[0]}, {"neutral", n[1]}, {"positive", n[2]}});
  }
  return out;
}

double Share(int64_t part, int64_t total) { return total > 0 ? std::round(1000.0 * part / total) / 1000 : 0.0; }

// What changed against the previous period of the same length.
json ChangeJson(const Volume& now, const Volume& before) {
  auto neg = [](const Volume& v) {
    auto it = v.sentiments.find("negative");
    return it == v.sentiments.end() ? int64_t{0} : it->second;
  };
  json j = {{"posts", now.total - before.total},
            {"posts_ratio", before.total > 0 ? json(std::round(1000.0 * now.total / before.total) / 1000) : json(nullptr)},
            {"negative_share", Share(neg(now), now.total)},
            {"previous_negative_share", Share(neg(before), before.total)}};
  j["negative_share_change"] = std::round(1000 * (j["negative_share"].get<double>() - j["previous_negative_share"].get<double>())) / 1000;
  return j;
}

json SentimentObject(const Volume& v) {
  json o = {{"negative", 0}, {"neutral", 0}, {"positive", 0}};
  for (const auto& [k, n] : v.sentiments) o[k] = n;
  return o;
}

// Narrows f to the schemes the caller may see.
PostFilter Allowed(PostFilter f, const std::optional<std::vector<int64_t>>& allowed) {
  if (!allowed) return f;
  if (f.all()) {
    f.scheme_ids = *allowed;
  } else {
    std::vector<int64_t> both;
    for (int64_t id : f.scheme_ids)
      if (std::find(allowed->begin(), allowed->end(), id) != allowed->end()) both.push_back(id);
    f.scheme_ids = std::move(both);
  }
  f.restricted = true;
  return f;
}

// The schemes a --scheme / --department names, as a post filter.
Result<PostFilter> ResolveFilter(store::Database& db, const Request& req) {
  PostFilter f;
  if (req.scheme.empty() && req.department.empty()) return Allowed(f, req.allowed_schemes);
  YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(db));
  f.restricted = true;
  if (!req.scheme.empty()) {
    YQ_ASSIGN_OR_RETURN(auto list, schemes->List(true));
    for (const auto& s : list)
      if (s.name == req.scheme || std::to_string(s.id) == req.scheme) f.scheme_ids.push_back(s.id);
    if (f.scheme_ids.empty()) return Status::NotFound("--scheme: no scheme " + req.scheme);
  }
  if (!req.department.empty()) {
    YQ_ASSIGN_OR_RETURN(auto list, schemes->List(true));
    std::vector<int64_t> ids;
    for (const auto& s : list)
      if (std::find(s.departments.begin(), s.departments.end(), req.department) != s.departments.end()) ids.push_back(s.id);
    if (ids.empty()) return Status::NotFound("--department: no scheme routes to department " + req.department);
    if (req.scheme.empty()) {
      f.scheme_ids = ids;
    } else {  // both: the named scheme, if the department has it
      std::vector<int64_t> both;
      for (int64_t id : f.scheme_ids)
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) both.push_back(id);
      f.scheme_ids = both;
    }
  }
  return Allowed(f, req.allowed_schemes);
}

// An event's latest heat, from the alerts raised on it (the warning engine computes heat per
// alert key; null when the event never raised one).
Result<json> EventHeat(store::AlertStore& alerts, int64_t event_id) {
  store::AlertFilter af;
  af.event_id = event_id;
  af.limit = 20;
  YQ_ASSIGN_OR_RETURN(auto list, alerts.List(af));
  json heat = nullptr;
  for (const auto& a : list)  // newest first: the first with a heat figure
    if (a.numbers.contains("heat") && a.numbers["heat"].is_number()) return a.numbers["heat"];
  return heat;
}

// One event as `events show --json` prints it (forecast included), without the bulky parts, plus
// its posts within the period and its heat.
Result<json> EventSection(const Inputs& in, store::EventStore& events, store::AlertStore& alerts, int64_t id,
                          int64_t posts_in_period) {
  YQ_ASSIGN_OR_RETURN(analysis::EventRecord e, events.Get(id, true));
  json j = EventToJson(e);
  j.erase("volume");
  j.erase("spreaders");
  if (j["keywords"].size() > 8) j["keywords"] = json(std::vector<json>(j["keywords"].begin(), j["keywords"].begin() + 8));
  j["forecast"] = nullptr;
  if (in.forecast) {
    YQ_ASSIGN_OR_RETURN(j["forecast"], in.forecast(e));
  }
  YQ_ASSIGN_OR_RETURN(j["heat"], EventHeat(alerts, e.id));
  if (posts_in_period >= 0) j["posts_in_period"] = posts_in_period;
  return j;
}

Result<json> TopEvents(const Inputs& in, const PostFilter& f, const Period& p, size_t n) {
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*in.db));
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*in.db));
  // Read a few more than n: events merged since their posts were stored resolve to one.
  YQ_ASSIGN_OR_RETURN(std::vector<int64_t> ids, ActiveEvents(*in.db, f, p.from, p.to, n * 2));
  json out = json::array();
  std::set<int64_t> seen;
  for (int64_t id : ids) {
    if (out.size() >= n) break;
    YQ_ASSIGN_OR_RETURN(json e, EventSection(in, *events, *alerts, id, -1));
    if (!seen.insert(e["id"].get<int64_t>()).second) continue;
    PostFilter one;
    one.event_ids = {e["id"].get<int64_t>()};
    YQ_ASSIGN_OR_RETURN(Volume v, CountPosts(*in.db, one, p.from, p.to, kDay));
    e["posts_in_period"] = v.total;
    out.push_back(std::move(e));
  }
  return out;
}

bool AlertInScope(const store::AlertRecord& a, const PostFilter& f) {
  if (f.all()) return true;
  return std::find(f.scheme_ids.begin(), f.scheme_ids.end(), a.scheme_id) != f.scheme_ids.end() ||
         std::find(f.event_ids.begin(), f.event_ids.end(), a.event_id) != f.event_ids.end();
}

// The alerts raised in the period (as `alerts list --json` prints them), oldest first, with how
// each was handled, and their counts.
Result<std::pair<json, json>> AlertsSection(store::Database& db, const PostFilter& f, const Period& p) {
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));
  std::vector<store::AlertRecord> in_period;
  store::AlertFilter af;
  af.limit = 500;
  // Newest first, page by page, until the alerts are older than the period (bounded: 20 pages).
  for (int page = 0; page < 20; ++page) {
    YQ_ASSIGN_OR_RETURN(auto list, alerts->List(af));
    bool older = false;
    for (const auto& a : list) {
      if (a.created_at < p.from) older = true;
      else if (a.created_at < p.to && AlertInScope(a, f)) in_period.push_back(a);
    }
    if (older || list.size() < af.limit) break;
    af.after_id = list.back().id;
  }
  std::reverse(in_period.begin(), in_period.end());
  json items = json::array();
  json counts = {{"raised", in_period.size()}, {"open", 0}, {"acked", 0}, {"resolved", 0},
                 {"by_level", {{"I", 0}, {"II", 0}, {"III", 0}, {"IV", 0}}}};
  for (const auto& a : in_period) {
    json j = AlertToJson(a);
    j["minutes_to_ack"] = a.acked_at > 0 ? json((a.acked_at - a.created_at) / kMinute) : json(nullptr);
    items.push_back(std::move(j));
    counts[a.status] = counts.value(a.status, 0) + 1;
    if (const char* level = LevelName(a.severity); *level) counts["by_level"][level] = counts["by_level"][level].get<int>() + 1;
  }
  return std::make_pair(std::move(items), std::move(counts));
}

Result<bool> IncidentInScope(store::IncidentStore& incidents, store::AlertStore& alerts, const store::IncidentRow& r,
                             const PostFilter& f) {
  if (f.all()) return true;
  YQ_ASSIGN_OR_RETURN(auto links, incidents.Links(r.id));
  for (const auto& l : links) {
    int64_t ref = 0;
    std::from_chars(l.ref.data(), l.ref.data() + l.ref.size(), ref);
    if (l.kind == "event" && std::find(f.event_ids.begin(), f.event_ids.end(), ref) != f.event_ids.end()) return true;
    if (l.kind == "scheme" && std::find(f.scheme_ids.begin(), f.scheme_ids.end(), ref) != f.scheme_ids.end()) return true;
    if (l.kind == "alert" && ref > 0) {
      YQ_ASSIGN_OR_RETURN(auto a, alerts.Get(ref));
      if (a && AlertInScope(*a, f)) return true;
    }
  }
  return false;
}

// The incidents open at some time in the period, each as `incidents eval --json` prints it.
Result<json> IncidentsSection(const Inputs& in, const PostFilter& f, const Period& p) {
  store::IncidentStore incidents(*in.db);
  YQ_RETURN_IF_ERROR(incidents.Init());
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*in.db));
  YQ_ASSIGN_OR_RETURN(auto rows, incidents.ListIncidents());
  json out = json::array();
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {  // oldest first
    const auto& r = *it;
    if (r.detected_at >= p.to || (r.closed_at > 0 && r.closed_at < p.from)) continue;
    YQ_ASSIGN_OR_RETURN(bool ok, IncidentInScope(incidents, *alerts, r, f));
    if (!ok) continue;
    YQ_ASSIGN_OR_RETURN(json e, incident::Evaluate(incidents, r.id, in.now));
    e.erase("volume_around_statements");  // curves for the review, not the brief
    out.push_back(std::move(e));
  }
  return out;
}

// Changes to the plan the review proposes, from what went wrong: each {"code", "subject"}; the
// template words them.
json Proposals(const json& eval, const json& statements, const json& commitments) {
  json out = json::array();
  for (const auto& t : eval["tasks"]["list"])
    if (t["met"].is_boolean() && !t["met"].get<bool>())
      out.push_back({{"code", "missed_deadline"}, {"subject", t["key"]}, {"due_at", t["due_at"]}});
  for (const auto& c : commitments)
    if (c["overdue"].get<bool>()) out.push_back({{"code", "commitment_slipped"}, {"subject", c["text"]}});
  for (const auto& s : statements)
    if (s["published"].get<bool>() && !s["check_ok"].get<bool>())
      out.push_back({{"code", "statement_check"}, {"subject", std::string("#").append(std::to_string(s["id"].get<int64_t>()))}});
  if (eval["minutes"]["to_acknowledge"].is_number() && eval["minutes"]["to_acknowledge"].get<double>() > 60)
    out.push_back({{"code", "slow_acknowledge"}, {"subject", eval["minutes"]["to_acknowledge"]}});
  return out;
}

// The 复盘 of one incident: its evaluation, timeline, every deadline, commitment and statement.
Result<json> ReviewSection(const Inputs& in, int64_t incident_id) {
  store::IncidentStore incidents(*in.db);
  YQ_RETURN_IF_ERROR(incidents.Init());
  YQ_ASSIGN_OR_RETURN(json eval, incident::Evaluate(incidents, incident_id, in.now));
  YQ_ASSIGN_OR_RETURN(json timeline, incident::Timeline(incidents, incident_id, in.now));
  json entries = timeline["entries"];
  if (entries.size() > 500) entries = json(std::vector<json>(entries.begin(), entries.begin() + 500));
  YQ_ASSIGN_OR_RETURN(auto statement_rows, incidents.ListStatements(incident_id));
  json statements = json::array();
  for (const auto& s : statement_rows) {
    json check = json::parse(s.check_json.empty() ? "{}" : s.check_json, nullptr, false);
    json findings = check.is_object() && check.contains("findings") ? check["findings"] : json::array();
    statements.push_back({{"id", s.id}, {"version", s.version}, {"kind", s.kind}, {"state", s.state},
                          {"published", s.published_at > 0},
                          {"published_at", s.published_at > 0 ? json(FormatTime(s.published_at)) : json(nullptr)},
                          {"check_ok", s.check_ok}, {"findings", std::move(findings)}});
  }
  YQ_ASSIGN_OR_RETURN(auto commitment_rows, incidents.ListCommitments(incident_id));
  json commitments = json::array();
  for (const auto& c : commitment_rows) {
    const bool kept = c.status == "kept";
    const bool overdue = c.due_at && ((kept && c.kept_at > *c.due_at) || (!kept && in.now > *c.due_at));
    commitments.push_back({{"id", c.id}, {"text", c.text}, {"owner", c.owner}, {"status", c.status},
                           {"due_at", c.due_at ? json(FormatTime(*c.due_at)) : json(nullptr)},
                           {"kept_at", c.kept_at > 0 ? json(FormatTime(c.kept_at)) : json(nullptr)},
                           {"kept", kept}, {"overdue", overdue}});
  }
  json proposals = Proposals(eval, statements, commitments);
  return json{{"evaluation", std::move(eval)}, {"timeline", std::move(entries)}, {"statements", std::move(statements)},
              {"commitments", std::move(commitments)}, {"proposals", std::move(proposals)},
              {"volume", timeline["posts"]}};
}

// The period and the posts of an event report (专报): the event's life so far.
Result<std::pair<Period, PostFilter>> EventScope(store::Database& db, int64_t event_id) {
  YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(db));
  auto e = events->Get(event_id, true);
  if (!e.ok()) return e.status().code() == Code::kNotFound ? Status::NotFound("--event: no event " + std::to_string(event_id)) : e.status();
  PostFilter f;
  f.restricted = true;
  f.event_ids = {e->id};
  // Posts stored before a merge still carry the merged event's id.
  YQ_ASSIGN_OR_RETURN(auto all, events->List({.since = 0, .limit = 100000, .include_merged = true, .summary = true}));
  for (const auto& m : all)
    if (m.merged_into == e->id) f.event_ids.push_back(m.id);
  Period p{BucketOf(e->first_seen, kHour), BucketOf(e->last_seen, kHour) + kHour};
  return std::make_pair(p, f);
}

// The period and posts of an incident review: from an hour before detection to its close (or now).
Result<std::pair<Period, PostFilter>> IncidentScope(const Inputs& in, int64_t incident_id) {
  store::IncidentStore incidents(*in.db);
  YQ_RETURN_IF_ERROR(incidents.Init());
  auto r = incidents.GetIncident(incident_id);
  if (!r.ok()) return r.status().code() == Code::kNotFound ? Status::NotFound("--incident: no incident " + std::to_string(incident_id)) : r.status();
  YQ_ASSIGN_OR_RETURN(store::PostScope scope, incident::ScopeOf(incidents, *r));
  PostFilter f;
  f.restricted = true;
  f.event_ids = scope.event_ids;
  f.scheme_ids = scope.scheme_ids;
  TimeMs end = r->closed_at > 0 ? r->closed_at : std::max(in.now, r->detected_at);
  Period p{BucketOf(r->detected_at - kHour, kHour), BucketOf(end, kHour) + kHour};
  return std::make_pair(p, f);
}

}  // namespace

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kDaily: return "daily";
    case Kind::kWeekly: return "weekly";
    case Kind::kEvent: return "event";
    case Kind::kIncident: return "incident";
  }
  return "";
}

Result<Period> DayPeriod(std::string_view date) {
  int y = 0, m = 0, d = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !ParseInt(date.substr(0, 4), y) ||
      !ParseInt(date.substr(5, 2), m) || !ParseInt(date.substr(8, 2), d) || m < 1 || m > 12 || d < 1 || d > 31)
    return Status::Invalid("--date: expected YYYY-MM-DD, got \"" + std::string(date) + "\"");
  int64_t days = DaysFromCivil(y, m, d);
  // Reject 2026-02-30 and the like: the day must come back as itself.
  if (DaysFromCivil(y, m, 1) + d - 1 != days || (m < 12 ? DaysFromCivil(y, m + 1, 1) : DaysFromCivil(y + 1, 1, 1)) <= days)
    return Status::Invalid("--date: no such day \"" + std::string(date) + "\"");
  return Period{LocalMidnight(days), LocalMidnight(days + 1)};
}

Result<Period> WeekPeriod(std::string_view week) {
  int y = 0, w = 0;
  if (week.size() < 7 || week.size() > 8 || week[4] != '-' || (week[5] != 'W' && week[5] != 'w') ||
      !ParseInt(week.substr(0, 4), y) || !ParseInt(week.substr(6), w) || w < 1 || w > 53)
    return Status::Invalid("--week: expected YYYY-Www (ISO week, e.g. 2026-W49), got \"" + std::string(week) + "\"");
  // ISO week 1 holds 4 January; weeks start on Monday.
  int64_t jan4 = DaysFromCivil(y, 1, 4);
  int64_t weekday = ((jan4 % 7) + 7 + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
  int64_t monday = jan4 - weekday + 7 * (w - 1);
  if (w == 53) {
    int64_t next_jan4 = DaysFromCivil(y + 1, 1, 4);
    int64_t next_week1 = next_jan4 - ((next_jan4 % 7) + 7 + 3) % 7;
    if (monday >= next_week1) return Status::Invalid("--week: " + std::to_string(y) + " has no week 53");
  }
  return Period{LocalMidnight(monday), LocalMidnight(monday + 7)};
}

namespace {
Result<json> Build(const Inputs& in, const Request& req);
}  // namespace

Result<json> BuildReport(const Inputs& in, const Request& req) {
  if (!in.db) return Status::Internal("report without a store");
  // A report reads a day's posts and its top events' first posts at random: mapping the file
  // saves a pread per page (most of the time on a 1M-post store). Best effort.
  (void)in.db->MapForReads(int64_t{2} << 30);
  try {
    return Build(in, req);
  } catch (const json::exception& e) {  // a stored document not shaped as expected
    return Status::Internal(std::string("report: ") + e.what());
  }
}

namespace {
Result<json> Build(const Inputs& in, const Request& req) {
  Period period = req.period;
  YQ_ASSIGN_OR_RETURN(PostFilter filter, ResolveFilter(*in.db, req));
  if (req.kind == Kind::kEvent) {
    YQ_ASSIGN_OR_RETURN(auto ps, EventScope(*in.db, req.event_id));
    std::tie(period, filter) = ps;
  } else if (req.kind == Kind::kIncident) {
    YQ_ASSIGN_OR_RETURN(auto ps, IncidentScope(in, req.incident_id));
    std::tie(period, filter) = ps;
  }
  if (period.to <= period.from) return Status::Invalid("the report's period is empty");
  const TimeMs bucket = TrendBucket(period);
  const Period previous{period.from - (period.to - period.from), period.from};
  YQ_ASSIGN_OR_RETURN(Volume now, CountPosts(*in.db, filter, period.from, period.to, bucket));
  YQ_ASSIGN_OR_RETURN(Volume before, CountPosts(*in.db, filter, previous.from, previous.to, bucket));
  json j = {{"kind", KindName(req.kind)},
            {"period", PeriodJson(period)},
            {"previous_period", PeriodJson(previous)},
            {"scope", {{"scheme", req.scheme.empty() ? json(nullptr) : json(req.scheme)},
                       {"department", req.department.empty() ? json(nullptr) : json(req.department)}}},
            {"posts", now.total},
            {"previous_posts", before.total},
            {"change", ChangeJson(now, before)},
            {"by_sentiment", SentimentObject(now)},
            {"by_source", CountsObject(now.sources)},
            {"by_province", CountsObject(now.provinces)},
            {"sources_ranked", Ranked(now.sources, 20)},
            {"provinces_ranked", Ranked(now.provinces, 34)},
            {"trend_bucket", bucket == kHour ? "hour" : "day"},
            {"trend", TrendJson(now, period, bucket)},
            {"generated_at", FormatTime(in.now)}};
  YQ_ASSIGN_OR_RETURN(j["keywords"], TopKeywords(*in.db, filter, period.from, period.to, req.keywords));
  YQ_ASSIGN_OR_RETURN(j["top_events"], TopEvents(in, filter, period, req.top_events));
  YQ_ASSIGN_OR_RETURN(j["notable_posts"], NotablePosts(*in.db, filter, period.from, period.to, req.notable_posts));
  YQ_ASSIGN_OR_RETURN(auto alerts, AlertsSection(*in.db, filter, period));
  j["alerts"] = std::move(alerts.first);
  j["alert_counts"] = std::move(alerts.second);
  YQ_ASSIGN_OR_RETURN(j["incidents"], IncidentsSection(in, filter, period));
  if (req.kind == Kind::kEvent) {
    YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*in.db));
    YQ_ASSIGN_OR_RETURN(auto alert_store, store::AlertStore::Open(*in.db));
    YQ_ASSIGN_OR_RETURN(j["event"], EventSection(in, *events, *alert_store, req.event_id, now.total));
  }
  if (req.kind == Kind::kIncident) {
    YQ_ASSIGN_OR_RETURN(j["review"], ReviewSection(in, req.incident_id));
  }
  return j;
}
}  // namespace

}  // namespace yuqing::report
