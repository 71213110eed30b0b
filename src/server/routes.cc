// Every route of `yuqing serve`, in one table. Handlers live in *_handlers.cc.
#include "server/routes.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "server/handlers.h"
#include "server/http_error.h"
#include "server/incident_handlers.h"
#include "server/source_handlers.h"
#include "server/dict_handlers.h"
#include "server/report_handlers.h"
#include "server/request_schemas.h"

namespace yuqing::server {
namespace {

constexpr RoleSet kWriters = kAdmin | kAnalyst;  // schemes, corrections, ingest
constexpr RoleSet kResponders = kAdmin | kAnalyst | kResponder;  // alert acknowledgement

std::vector<Route> MakeRoutes() {
  const std::vector<Param> search_params = {
      {"q", "words and \"phrases\" (OR, -exclude); traditional/simplified and widths find each other"},
      {"from", "published at or after (ISO 8601)"},
      {"to", "published before (ISO 8601)"},
      {"source", "only these sources (comma-separated)"},
      {"sentiment", "negative | neutral | positive"},
      {"type", "opinion type: complaint, suggestion, rumor, attack, group_event, accident, praise, news"},
      {"province", "province, e.g. 浙江"},
      {"event", "event id"},
      {"scheme", "monitoring scheme id"},
      {"limit", "results per page, 1-200 (default 20)"},
      {"cursor", "next_cursor of the previous page"},
      {"sort", "time (newest first, default) | relevance"}};
  std::vector<Route> routes = {
      // System.
      {"GET", "/healthz", "system", "Liveness (no auth)", false, kAnyRole, Health},
      {"GET", "/metrics", "system", "Prometheus metrics (text format)", true, kAnyRole, nullptr, MetricsText},
      {"GET", "/api/v1/openapi.json", "system", "This OpenAPI document (no auth)", false, kAnyRole, OpenApi},
      {"GET", "/api/v1/drill", "system", "The drill this data directory holds (演练沙箱), or null", true, kAnyRole, GetDrill},
      // Auth.
      {"POST", "/api/v1/auth/login", "auth", "Log in: sets the yuqing_session cookie, returns the CSRF token", false,
       kAnyRole, Login, nullptr, {}, "{\"username\": string, \"password\": string}"},
      {"POST", "/api/v1/auth/logout", "auth", "Log out (ends the session)", true, kAnyRole, Logout},
      {"POST", "/api/v1/auth/password", "auth",
       "Change your password (required first after logging in with the one-time admin password)", true,
       kAnyRole, ChangePassword, nullptr, {}, "{\"current\": string, \"new\": string (10-1024 bytes)}"},
      {"GET", "/api/v1/auth/me", "auth", "The current user and the session's CSRF token", true, kAnyRole, Me},
      // Posts.
      {"GET", "/api/v1/posts", "posts", "Search posts (department-scoped)", true, kAnyRole, SearchPosts, nullptr,
       search_params},
      {"POST", "/api/v1/posts", "posts", "Ingest one post or an array (through the pipeline)", true, kWriters,
       IngestPosts, nullptr, {}, "a post object or an array of them (fields as in yuqing ingest)"},
      {"GET", "/api/v1/posts/{id}", "posts", "One post with its analysis", true, kAnyRole, GetPost},
      {"POST", "/api/v1/posts/{id}/sentiment", "posts", "Correct a post's sentiment", true, kWriters,
       CorrectSentiment, nullptr, {}, "{\"label\": \"negative|neutral|positive\"}"},
      // Dashboard aggregates.
      {"GET", "/api/v1/stats", "stats", "Counts by source and sentiment", true, kAnyRole, Stats},
      {"GET", "/api/v1/overview", "stats", "Trend by sentiment, sources, regions, top events, open alerts", true,
       kAnyRole, Overview, nullptr,
       {{"from", "start (ISO 8601; default: to - 24h)"}, {"to", "end (ISO 8601; default: now)"}}},
      // Schemes.
      {"GET", "/api/v1/schemes", "schemes", "Monitoring schemes of your departments", true, kAnyRole, ListSchemes},
      {"POST", "/api/v1/schemes", "schemes", "Create a scheme", true, kWriters, CreateScheme, nullptr, {},
       "{\"name\", \"query\", \"exclude\": [..], \"departments\": [..], \"regions\": [..], \"priority\", \"policy\"}"},
      {"POST", "/api/v1/schemes/validate", "schemes", "Check a query's syntax (error with column)", true, kAnyRole,
       ValidateScheme, nullptr, {}, "{\"query\": string, \"exclude\"?: [string]}"},
      {"POST", "/api/v1/schemes/test", "schemes", "Run a query against recent stored posts", true, kWriters,
       TestScheme, nullptr, {}, "{\"query\": string, \"exclude\"?: [string], \"last\": \"7d\", \"limit\"?: 20}"},
      {"GET", "/api/v1/schemes/{id}", "schemes", "One scheme", true, kAnyRole, GetScheme},
      {"PUT", "/api/v1/schemes/{id}", "schemes", "Replace a scheme", true, kWriters, UpdateScheme, nullptr, {},
       "a scheme object as for POST /api/v1/schemes"},
      {"DELETE", "/api/v1/schemes/{id}", "schemes", "Delete a scheme", true, kWriters, DeleteScheme},
#ifdef YUQING_HAVE_EVENTS
      // Events (analysis/ event tracker).
      {"GET", "/api/v1/events", "events", "Events, most recently active first (department-scoped)", true, kAnyRole,
       ListEvents, nullptr,
       {{"limit", "1-200 (default 50)"}, {"since", "last seen at or after (ISO 8601)"},
        {"min_posts", "at least this many posts"}, {"order", "last_seen (default) | posts | first_seen"}}},
      {"GET", "/api/v1/events/{id}", "events", "One event: timeline, sentiment, spreaders, recent posts", true,
       kAnyRole, GetEvent},
#endif
      // Alerts (warning/) and their deliveries (notify/).
      {"GET", "/api/v1/alerts", "alerts", "Alerts, newest first (department-scoped)", true, kAnyRole, ListAlerts,
       nullptr,
       {{"status", "open | acked | resolved | active (open or acked)"}, {"level", "minimum level: IV, III, II, I"},
        {"scheme", "scheme id"}, {"limit", "1-500 (default 50)"}, {"cursor", "next_cursor of the previous page"}}},
      {"GET", "/api/v1/alerts/{id}", "alerts", "One alert with its evidence and history", true, kAnyRole, GetAlert},
      {"POST", "/api/v1/alerts/{id}/ack", "alerts", "Acknowledge an alert", true, kResponders, AckAlertHandler,
       nullptr, {}, "{\"note\"?: string} (optional body)"},
      {"POST", "/api/v1/alerts/{id}/resolve", "alerts", "Resolve an alert", true, kResponders, ResolveAlertHandler,
       nullptr, {}, "{\"note\"?: string} (optional body)"},
      {"GET", "/api/v1/alerts/{id}/deliveries", "alerts", "Outbox entries and delivery attempts of an alert", true,
       kAnyRole, AlertDeliveries},
      {"GET", "/api/v1/series", "alerts", "Per-minute volume of a scheme (topic) and/or an event", true, kAnyRole,
       Series, nullptr,
       {{"topic", "scheme id"}, {"event", "event id"}, {"from", "ISO 8601 (default: to - 24h)"},
        {"to", "ISO 8601 (default: now)"}}},
      // Users.
      {"GET", "/api/v1/users", "users", "Users (admin)", true, kAdmin, ListUsers},
      {"POST", "/api/v1/users", "users", "Create a user (admin); returns a generated password when none given",
       true, kAdmin, CreateUser, nullptr, {},
       "{\"name\", \"role\": \"admin|analyst|responder|viewer\", \"departments\": [..], \"password\"?}"},
      {"POST", "/api/v1/tokens", "users", "Create an API token (shown once) for yourself, or (admin) for a user",
       true, kAnyRole, CreateToken, nullptr, {}, "{\"name\"?: string, \"user\"?: string}"},
      {"PATCH", "/api/v1/users/{name}", "users", "Change a user's role, departments or disabled flag (admin)", true,
       kAdmin, UpdateUserHandler, nullptr, {},
       "{\"role\"?: \"admin|analyst|responder|viewer\", \"departments\"?: [..], \"disabled\"?: bool}"},
      {"POST", "/api/v1/users/{name}/password", "users",
       "Reset a user's password (admin): the given one, or a generated one returned once; ends their sessions", true,
       kAdmin, ResetPasswordHandler, nullptr, {}, "{\"password\"?: string} (optional body)"},
      {"GET", "/api/v1/audit", "users", "The audit log, newest first (admin)", true, kAdmin, ListAudit, nullptr,
       {{"limit", "1-1000 (default 100)"}, {"before", "next_cursor of the previous page"},
        {"actor", "only this user"}, {"action", "only this action (e.g. scheme.update)"}}},
      // Settings (设置): the routing directory (departments, contacts) and the SMTP server.
      {"GET", "/api/v1/departments", "settings", "Departments with their region rules and contact counts", true,
       kAnyRole, ListDepartmentsHandler},
      {"POST", "/api/v1/departments", "settings", "Create a department (admin)", true, kAdmin,
       CreateDepartmentHandler, nullptr, {}, "{\"name\", \"description\"?, \"regions\"?: [..]}"},
      {"PATCH", "/api/v1/departments/{name}", "settings",
       "Change a department's description or region rules (admin); {name} is its name or id", true, kAdmin,
       UpdateDepartmentHandler, nullptr, {}, "{\"description\"?, \"regions\"?: [..]}"},
      {"DELETE", "/api/v1/departments/{name}", "settings", "Delete a department without contacts (admin)", true,
       kAdmin, DeleteDepartmentHandler},
      {"GET", "/api/v1/contacts", "settings", "Contacts (admin), target and secret masked", true, kAdmin,
       ListContactsHandler, nullptr, {{"department", "only this department (name or id)"}}},
      {"POST", "/api/v1/contacts", "settings", "Add a contact: a robot URL, e-mail address or webhook (admin)", true,
       kAdmin, CreateContactHandler, nullptr, {},
       "{\"department\", \"channel\": \"webhook|wecom|dingtalk|feishu|email\", \"target\", \"secret\"?, "
       "\"name\"?, \"escalation_order\"?: 0-20, \"min_level\"?: \"IV|III|II|I\", \"enabled\"?}"},
      {"PATCH", "/api/v1/contacts/{id}", "settings",
       "Change a contact (admin); fields left out stay, \"secret\": null or \"\" clears it", true, kAdmin,
       UpdateContactHandler, nullptr, {}, "the fields of POST /api/v1/contacts, each optional"},
      {"DELETE", "/api/v1/contacts/{id}", "settings", "Remove a contact (admin)", true, kAdmin, DeleteContactHandler},
      {"POST", "/api/v1/contacts/{id}/test", "settings",
       "测试发送: enqueue a test message to this contact through the outbox (admin); 202 {outbox_id}", true, kAdmin,
       TestContactHandler},
      {"GET", "/api/v1/outbox/{id}", "settings", "One outbox entry with its delivery attempts (admin)", true, kAdmin,
       GetOutboxEntry},
      {"GET", "/api/v1/settings/smtp", "settings", "The SMTP server for e-mail contacts, without the password (admin)",
       true, kAdmin, GetSmtp},
      {"PUT", "/api/v1/settings/smtp", "settings",
       "Set the SMTP server (admin); a password left out keeps the stored one", true, kAdmin, PutSmtp, nullptr, {},
       "{\"url\": \"smtp://host:port|smtps://..\", \"from\", \"user\"?, \"password\"?}"},
      // Live stream.
      {"GET", "/api/v1/stream", "stream", "Server-Sent Events: event: post / event: alert, data: JSON", true,
       kAnyRole, nullptr, Stream, {{"types", "post,alert (default both)"}, {"q", "a query in the scheme language"},
                                   {"scheme", "only posts of this scheme"}}},
      // Dashboard assets (public; not part of the API).
      {"GET", "/vendor/echarts.min.js", "dashboard", "ECharts", false, kAnyRole, nullptr, EchartsFile, {}, nullptr,
       false},
      {"GET", "/vendor/echarts-wordcloud.min.js", "dashboard", "ECharts word cloud", false, kAnyRole, nullptr,
       VendorFile, {}, nullptr, false},
      {"GET", "/vendor/china.json", "dashboard", "China province map", false, kAnyRole, nullptr, VendorFile, {},
       nullptr, false},
      {"GET", "/", "dashboard", "The dashboard", false, kAnyRole, nullptr, IndexPage, {}, nullptr, false},
  };
  AppendIncidentRoutes(routes);  // crisis response: incident_handlers.cc
  AppendSourceRoutes(routes);    // data sources (数据源): source_handlers.cc
  AppendDictRoutes(routes);      // the user dictionary (词典): dict_handlers.cc
  AppendReportRoutes(routes);    // reports: report_handlers.cc
  return routes;
}

// "/api/v1/posts/{id}" -> "/api/v1/posts/([^/]+)" with regex metacharacters escaped.
std::string PathRegex(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    char ch = path[i];
    if (ch == '{') {
      size_t end = path.find('}', i);
      out += "([^/]+)";
      i = end;
    } else if (std::string_view(".+*?()[]^$|\\").find(ch) != std::string_view::npos) {
      out.push_back('\\');
      out.push_back(ch);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

bool ChangesState(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

void WriteError(httplib::Response& res, const HttpError& e) {
  res.status = e.status;
  if (e.retry_after_s > 0) res.set_header("Retry-After", std::to_string(e.retry_after_s));
  res.set_content(ErrorBody(e).dump(), "application/json; charset=utf-8");
}

void Dispatch(State& s, const Route& r, const httplib::Request& req, httplib::Response& res) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    Ctx c(s, req, req.remote_addr);
    Status st;
    if (r.auth) {
      st = Authenticate(c);
      if (st.ok() && c.who.via_cookie && ChangesState(req.method) &&
          !ConstantTimeEquals(req.get_header_value("X-CSRF-Token"), c.who.csrf_token))
        st = Status::Permission("missing or wrong X-CSRF-Token header (from login or GET /api/v1/auth/me)");
      if (st.ok() && !c.who.Has(r.roles))
        st = Status::Permission("role '" + c.who.role + "' may not " + r.method + " " + r.path);
    }
    if (st.ok() && !req.body.empty()) {
      // Every body is checked against its route's schema before the handler reads it.
      if (const nlohmann::json* schema = RequestSchemaFor(r.method, r.path)) {
        auto body = c.JsonBody();
        st = body.ok() ? ValidateBody(*schema, *body) : body.status();
      }
    }
    if (st.ok()) {
      if (r.raw) {
        st = r.raw(c, res);
      } else {
        auto reply = r.handler(c);
        if (reply.ok()) {
          res.status = reply->status;
          for (auto& [k, v] : reply->headers) res.set_header(k, v);
          res.set_content(reply->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                          "application/json; charset=utf-8");
        } else {
          st = reply.status();
        }
      }
    }
    if (!st.ok()) {
      if (st.code() == Code::kIo || st.code() == Code::kInternal)
        spdlog::error("{} {}: {}", req.method, r.path, st.ToString());
      WriteError(res, FromStatus(st));
    }
  } catch (const nlohmann::json::type_error& e) {
    // A handler read a field of another type than it expected: the client's mistake, not ours
    // (the route's schema should have caught it; logged so that it gets one).
    spdlog::warn("{} {}: field of the wrong type: {}", req.method, r.path, e.what());
    WriteError(res, FromStatus(Status::Invalid("a field has the wrong type: " + std::string(e.what()))));
  } catch (const std::exception& e) {
    spdlog::error("{} {}: exception: {}", req.method, r.path, e.what());
    WriteError(res, FromStatus(Status::Internal(e.what())));
  } catch (...) {
    spdlog::error("{} {}: unknown exception", req.method, r.path);
    WriteError(res, FromStatus(Status::Internal("unknown exception")));
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.metrics.ObserveRequest(r.method, r.path, res.status, secs);
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = MakeRoutes();  // immutable after first use
  return routes;
}

void RegisterRoutes(State& state) {
  for (const Route& r : Routes()) {
    auto fn = [&state, &r](const httplib::Request& req, httplib::Response& res) { Dispatch(state, r, req, res); };
    std::string pattern = PathRegex(r.path);
    std::string m = r.method;
    if (m == "GET") state.http.Get(pattern, fn);
    else if (m == "POST") state.http.Post(pattern, fn);
    else if (m == "PUT") state.http.Put(pattern, fn);
    else if (m == "DELETE") state.http.Delete(pattern, fn);
    else if (m == "PATCH") state.http.Patch(pattern, fn);
  }
}

}  // namespace yuqing::server
