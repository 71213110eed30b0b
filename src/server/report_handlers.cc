// GET /api/v1/reports/{daily|weekly|event|incident}: the report as a file (src/report/), scoped to
// the caller's departments like every other read: a department user's daily and weekly briefs
// count only their schemes' posts and alerts, and events and incidents outside their departments
// are 404.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/event_forecast.h"
#include "report/export.h"
#include "report/output.h"
#include "report/render.h"
#include "report/report.h"
#include "server/handlers.h"
#include "server/report_handlers.h"
#include "core/event.h"
#include "rules/fts_query.h"
#include "store/incident_store.h"

namespace yuqing::server {

Result<bool> EventVisible(Ctx& c, const Scope& scope, int64_t event_id);  // event_handlers.cc

namespace {

using nlohmann::json;

Result<report::Kind> KindFromPath(const std::string& s) {
  if (s == "daily") return report::Kind::kDaily;
  if (s == "weekly") return report::Kind::kWeekly;
  if (s == "event") return report::Kind::kEvent;
  if (s == "incident") return report::Kind::kIncident;
  return Status::NotFound("no report kind \"" + s + "\" (daily, weekly, event, incident)");
}

// An incident outside the caller's departments is "not found", as on the incident routes.
Status IncidentVisible(Ctx& c, store::Database& db, int64_t id) {
  store::IncidentStore store(db);
  YQ_RETURN_IF_ERROR(store.Init());
  auto row = store.GetIncident(id);
  if (!row.ok()) return Status::NotFound("no incident " + std::to_string(id));
  if (c.who.admin()) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto links, store.Links(id));
  std::vector<std::string> deps;
  for (const auto& l : links)
    if (l.kind == "department") deps.push_back(l.ref);
  if (!deps.empty() && !c.who.InAnyDepartment(deps)) return Status::NotFound("no incident " + std::to_string(id));
  return Status::Ok();
}

Result<report::Request> ParseRequest(Ctx& c, report::Kind kind, store::Database& db) {
  report::Request req;
  req.kind = kind;
  req.scheme = c.Param("scheme").substr(0, 256);
  req.department = c.Param("department").substr(0, 256);
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  if (!scope.all) req.allowed_schemes = scope.scheme_ids;
  switch (kind) {
    case report::Kind::kDaily: {
      auto p = report::DayPeriod(c.Param("date"));
      if (!p.ok()) return Status::Invalid("date: " + p.status().message());
      req.period = *p;
      break;
    }
    case report::Kind::kWeekly: {
      auto p = report::WeekPeriod(c.Param("week"));
      if (!p.ok()) return Status::Invalid("week: " + p.status().message());
      req.period = *p;
      break;
    }
    case report::Kind::kEvent: {
      YQ_ASSIGN_OR_RETURN(req.event_id, IdFrom(c.Param("event"), "event"));
      YQ_ASSIGN_OR_RETURN(bool ok, EventVisible(c, scope, req.event_id));
      if (!ok) return Status::NotFound("no event " + std::to_string(req.event_id));
      break;
    }
    case report::Kind::kIncident: {
      YQ_ASSIGN_OR_RETURN(req.incident_id, IdFrom(c.Param("incident"), "incident"));
      YQ_RETURN_IF_ERROR(IncidentVisible(c, db, req.incident_id));
      break;
    }
  }
  return req;
}

Status GetReport(Ctx& c, httplib::Response& res) {
  YQ_ASSIGN_OR_RETURN(report::Kind kind, KindFromPath(c.PathParam(0)));
  std::string fmt = c.Param("format").empty() ? "html" : c.Param("format");
  YQ_ASSIGN_OR_RETURN(report::Format format, report::ParseFormat(fmt));
  std::string lang = c.Param("lang").empty() ? "zh" : c.Param("lang");
  if (lang != "zh" && lang != "en") return Status::Invalid("lang: zh or en");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(report::Request req, ParseRequest(c, kind, *conn->db));
  YQ_ASSIGN_OR_RETURN(auto model, c.state.services.cascade_model());
  report::Inputs in;
  in.db = conn->db.get();
  in.now = c.now();
  in.forecast = [db = in.db, model](const EventRecord& e) -> Result<json> {
    YQ_ASSIGN_OR_RETURN(auto fc, app::ForecastEvent(*db, e, model.get()));
    return app::ForecastToJson(fc, e.last_seen);
  };
  YQ_ASSIGN_OR_RETURN(json data, report::BuildReport(in, req));
  report::RenderOptions render;
  render.lang = lang;
  if (format != report::Format::kJson) report::FindChartAssets(render);
  // Written to a temporary file (PDF and DOCX come from converters that write files), then served.
  char tmpl[] = "/tmp/yuqing-api-report-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return Status::Io("cannot create a temporary file");
  close(fd);
  const std::string path = tmpl;
  Status st = report::WriteReport(data, format, render, path);
  std::string body;
  if (st.ok()) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    body = ss.str();
  }
  std::remove(path.c_str());
  YQ_RETURN_IF_ERROR(st);
  std::string name = std::string("yuqing-") + report::KindName(kind) + "-" +
                     (kind == report::Kind::kDaily ? c.Param("date") : kind == report::Kind::kWeekly ? c.Param("week")
                      : kind == report::Kind::kEvent ? std::to_string(req.event_id) : std::to_string(req.incident_id)) +
                     "." + report::FormatExtension(format);
  // inline=1: the dashboard's preview frame shows it instead of downloading it.
  const bool inline_view = c.Param("inline") == "1" && format == report::Format::kHtml;
  res.set_header("Content-Disposition", std::string(inline_view ? "inline" : "attachment") + "; filename=\"" + name + "\"");
  if (format == report::Format::kHtml) {
    // The page's own inline chart script may run, in a sandbox (an opaque origin: no cookies, no
    // API), loading nothing from anywhere; only the dashboard may frame it.
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                   "sandbox allow-scripts; base-uri 'none'; form-action 'none'; frame-ancestors 'self'");
    res.set_header("X-Frame-Options", "SAMEORIGIN");
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), report::FormatMimeType(format));
  return Status::Ok();
}

// At most this many posts per export from the API (the CLI has no such bound): a bigger one is
// for `yuqing export posts`.
constexpr int64_t kMaxApiExportRows = 200000;

// GET /api/v1/exports/posts: the posts of a search (the feed's filters), an event or a scheme, as
// CSV or XLSX, within the caller's departments.
Status ExportPostsFile(Ctx& c, httplib::Response& res) {
  std::string fmt = c.Param("format").empty() ? "csv" : c.Param("format");
  YQ_ASSIGN_OR_RETURN(report::ExportFormat format, report::ParseExportFormat(fmt));
  store::SearchQuery q;
  q.text = c.Param("q");
  if (q.text.size() > 1024) return Status::Invalid("q is at most 1024 bytes");
  if (!q.text.empty()) {
    rules::ParseError err;
    auto match = rules::ToFtsMatch(q.text, *c.state.norm, &err);
    if (!match.ok()) return Status::Invalid("q: " + match.status().message());
    q.match = std::move(*match);
  }
  if (auto v = c.Param("from"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.from, ParseTime(v));
  }
  if (auto v = c.Param("to"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.to, ParseTime(v));
  }
  q.sentiment = c.Param("sentiment");
  if (!q.sentiment.empty() && q.sentiment != "negative" && q.sentiment != "neutral" && q.sentiment != "positive")
    return Status::Invalid("sentiment must be negative, neutral or positive");
  q.type = c.Param("type").substr(0, 64);
  q.province = c.Param("province").substr(0, 64);
  if (auto v = c.Param("source"); !v.empty()) q.sources = {v.substr(0, 64)};
  if (auto v = c.Param("event"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.event_id, IdFrom(v, "event"));
  }
  if (auto v = c.Param("scheme"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.scheme_id, IdFrom(v, "scheme"));
  }
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  if (!scope.all) {
    if (q.scheme_id && !std::binary_search(scope.scheme_ids.begin(), scope.scheme_ids.end(), q.scheme_id))
      return Status::Permission("scheme " + std::to_string(q.scheme_id) + " belongs to another department");
    if (scope.scheme_ids.empty()) return Status::Permission("no schemes of your departments to export");
    q.scheme_ids = scope.scheme_ids;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  char tmpl[] = "/tmp/yuqing-api-export-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return Status::Io("cannot create a temporary file");
  close(fd);
  const std::string path = tmpl;
  auto r = report::ExportPosts(*conn->posts, q, format, path, c.Param("lang") != "en", nullptr, kMaxApiExportRows);
  std::string body;
  if (r.ok()) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    body = ss.str();
  }
  std::remove(path.c_str());
  YQ_RETURN_IF_ERROR(r.status());
  res.set_header("Content-Disposition", std::string("attachment; filename=\"yuqing-posts.") + fmt + "\"");
  res.set_header("X-Yuqing-Rows", std::to_string(r->rows));
  if (r->truncated) res.set_header("X-Yuqing-Truncated", "1");
  res.set_content(std::move(body), format == report::ExportFormat::kCsv
                                       ? "text/csv; charset=utf-8"
                                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  return Status::Ok();
}

}  // namespace

json ReportSchema() {
  const json obj = {{"type", "object"}};
  const json arr = {{"type", "array"}, {"items", {{"type", "object"}}}};
  const json counts = {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}};
  const json period = {{"type", "object"},
                       {"required", {"from", "to", "from_ms", "to_ms"}},
                       {"properties", {{"from", {{"type", "string"}}}, {"to", {{"type", "string"}}},
                                       {"from_ms", {{"type", "integer"}}}, {"to_ms", {{"type", "integer"}}}}}};
  return {{"type", "object"},
          {"required", {"kind", "period", "previous_period", "posts", "previous_posts", "change", "by_sentiment", "by_source",
                        "by_province", "trend", "keywords", "top_events", "notable_posts", "alerts", "alert_counts",
                        "incidents", "generated_at"}},
          {"properties",
           {{"kind", {{"type", "string"}, {"enum", {"daily", "weekly", "event", "incident"}}}},
            {"period", period},
            {"previous_period", period},
            {"scope", obj},
            {"posts", {{"type", "integer"}}},
            {"previous_posts", {{"type", "integer"}}},
            {"change", obj},
            {"by_sentiment", counts},
            {"by_source", counts},
            {"by_province", counts},
            {"sources_ranked", arr},
            {"provinces_ranked", arr},
            {"trend_bucket", {{"type", "string"}, {"enum", {"hour", "day"}}}},
            {"trend", arr},
            {"keywords", arr},
            {"top_events", arr},  // events as `events show` prints them, without volume and spreaders
            {"notable_posts", arr},
            {"alerts", arr},  // alerts as `alerts list` prints them, with minutes_to_ack
            {"alert_counts", obj},
            {"incidents", arr},
            {"generated_at", {{"type", "string"}}},
            {"event", obj},
            {"review", obj}}}};
}

json ReportContent() {
  const json binary = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  return {{"text/html", {{"schema", {{"type", "string"}}}}},
          {"application/pdf", binary},
          {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", binary},
          {"application/json", {{"schema", {{"$ref", "#/components/schemas/Report"}}}}}};
}

json ExportContent() {
  return {{"text/csv", {{"schema", {{"type", "string"}}}}},
          {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
}

void AppendReportRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET", "/api/v1/reports/{kind}", "reports",
                    "A report as a file: kind daily (date), weekly (week), event (event) or incident (incident); "
                    "department users see their schemes only",
                    true, kAnyRole, nullptr, GetReport,
                    {{"date", "daily: the day, YYYY-MM-DD (UTC+8)"},
                     {"week", "weekly: the ISO week, e.g. 2026-W49"},
                     {"event", "event: the event id"},
                     {"incident", "incident: the incident id"},
                     {"scheme", "daily/weekly: only this scheme (name or id)"},
                     {"department", "daily/weekly: only this department's schemes"},
                     {"format", "html (default) | pdf | docx | json (the report's data, schema Report)"},
                     {"lang", "zh (default) | en"},
                     {"inline", "1: HTML shown in place (the dashboard's preview) instead of downloaded"}}});
  routes.push_back({"GET", "/api/v1/exports/posts", "reports",
                    "Posts of a search, an event or a scheme as CSV or XLSX (at most 200,000; X-Yuqing-Rows)", true,
                    kAnyRole, nullptr, ExportPostsFile,
                    {{"q", "a query in the scheme language"},
                     {"event", "event id"},
                     {"scheme", "scheme id"},
                     {"from", "published at or after (ISO 8601)"},
                     {"to", "published before (ISO 8601)"},
                     {"sentiment", "negative | neutral | positive"},
                     {"type", "opinion type"},
                     {"source", "one source"},
                     {"province", "province"},
                     {"format", "csv (default) | xlsx"},
                     {"lang", "zh (default: Chinese column names) | en"}}});
}

}  // namespace yuqing::server
