#include "server/source_handlers.h"

#include "app/source_runner.h"
#include "core/source.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

Result<SourceRow> FindSource(Conn& conn, const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(auto s, conn.sources->Find(ref));
  if (!s) return Status::NotFound("no source '" + ref + "'");
  return std::move(*s);
}

std::string HostOf(const std::string& url) {
  size_t b = url.find("://");
  b = b == std::string::npos ? 0 : b + 3;
  size_t e = url.find_first_of("/?#", b);
  return url.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

Result<TimeMs> DurationField(const json& body, const char* key, TimeMs fallback) {
  if (!body.contains(key)) return fallback;
  auto d = ParseDuration(body[key].get<std::string>());
  if (!d.ok()) return Status::Invalid(std::string(key) + ": " + d.status().message());
  return *d;
}

Result<Reply> ListSources(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto list, conn->sources->List());
  json items = json::array();
  for (const auto& s : list) {
    YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*conn->sources, s, c.now()));
    items.push_back(std::move(j));
  }
  return Reply(json{{"items", std::move(items)}});
}

Result<Reply> GetSource(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto s, FindSource(*conn, c.PathParam(0)));
  YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*conn->sources, s, c.now()));
  YQ_ASSIGN_OR_RETURN(auto hours, conn->sources->Hourly(s.id, c.now() - 47 * kHour, c.now() + 1));
  json hourly = json::array();
  for (const auto& h : hours) hourly.push_back({{"hour", FormatTime(h.hour)}, {"stored", h.stored}});
  YQ_ASSIGN_OR_RETURN(auto fetches, conn->sources->Fetches(s.id, 50));
  json log = json::array();
  for (const auto& f : fetches)
    log.push_back({{"at", FormatTime(f.at)}, {"ok", f.ok}, {"not_modified", f.not_modified}, {"stored", f.stored},
                   {"duplicates", f.duplicates}, {"quarantined", f.quarantined}, {"error", f.error}});
  j["hourly"] = std::move(hourly);
  j["fetches"] = std::move(log);
  return Reply(std::move(j));
}

Result<Reply> CreateSource(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  SourceRow s;
  s.kind = body.value("kind", std::string("feed"));
  s.url = body["url"].get<std::string>();
  s.name = body.value("name", std::string());
  if (s.name.empty()) s.name = HostOf(s.url);
  s.department = body.value("department", std::string());
  if (s.kind == "page") {
    for (const char* key : {"item", "title", "link", "time"})
      if (body.contains(key)) s.config[key] = body[key].get<std::string>();
  } else if (s.kind == "imap") {  // the password itself stays in the server's environment
    for (const char* key : {"user", "password_env", "ca_file"})
      if (body.contains(key)) s.config[key] = body[key].get<std::string>();
  }
  YQ_ASSIGN_OR_RETURN(s.every, DurationField(body, "every", 10 * kMinute));
  YQ_ASSIGN_OR_RETURN(s.silence_floor, DurationField(body, "silence_floor", 0));
  YQ_RETURN_IF_ERROR(app::ValidateSource(s));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  s.created_at = s.next_run_at = c.now();
  YQ_ASSIGN_OR_RETURN(s.id, conn->sources->Add(s));
  c.Audit("source.add", "source:" + s.name, {{"kind", s.kind}, {"url", s.url}, {"every", FormatDuration(s.every)}});
  YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*conn->sources, s, c.now()));
  Reply r(std::move(j));
  r.status = 201;
  return r;
}

Result<Reply> SetPaused(Ctx& c, bool paused) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto s, FindSource(*conn, c.PathParam(0)));
  YQ_RETURN_IF_ERROR(conn->sources->SetPaused(s.id, paused, c.now()));
  c.Audit(paused ? "source.pause" : "source.resume", "source:" + s.name);
  YQ_ASSIGN_OR_RETURN(s, FindSource(*conn, std::to_string(s.id)));
  YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*conn->sources, s, c.now()));
  return Reply(std::move(j));
}

Result<Reply> PauseSource(Ctx& c) { return SetPaused(c, true); }
Result<Reply> ResumeSource(Ctx& c) { return SetPaused(c, false); }

Result<Reply> DeleteSource(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto s, FindSource(*conn, c.PathParam(0)));
  YQ_RETURN_IF_ERROR(conn->sources->Remove(s.id));
  c.Audit("source.remove", "source:" + s.name, {{"kind", s.kind}, {"url", s.url}});
  return Reply(json{{"deleted", s.id}});
}

}  // namespace

void AppendSourceRoutes(std::vector<Route>& routes) {
  const std::vector<Route> mine = {
      {"GET", "/api/v1/sources", "sources",
       "Data sources (数据源): kind, schedule, last success and error, posts per hour, silence", true, kAnyRole,
       ListSources},
      {"POST", "/api/v1/sources", "sources", "Add a data source (admin); it is due at once", true, kAdmin,
       CreateSource, nullptr, {},
       "{\"kind\"?: \"feed|page|imap\", \"url\", \"name\"?, \"every\"?: \"10m\", \"department\"?, \"silence_floor\"?: \"1h\", "
       "\"item\"?, \"title\"?, \"link\"?, \"time\"? (page: CSS selectors), \"user\"?, \"password_env\"?, "
       "\"ca_file\"? (imap)}"},
      {"GET", "/api/v1/sources/{id}", "sources",
       "One data source with its posts per hour (last 48 h) and its last 50 fetches; {id} is its id or name", true,
       kAnyRole, GetSource},
      {"POST", "/api/v1/sources/{id}/pause", "sources", "Stop fetching a source (admin)", true, kAdmin, PauseSource},
      {"POST", "/api/v1/sources/{id}/resume", "sources", "Fetch a paused source again, at once (admin)", true, kAdmin,
       ResumeSource},
      {"DELETE", "/api/v1/sources/{id}", "sources", "Remove a source; its stored posts stay (admin)", true, kAdmin,
       DeleteSource},
  };
  routes.insert(routes.end(), mine.begin(), mine.end());
}

}  // namespace yuqing::server
