// Internal: the thin handlers routes.cc registers, one file per resource. Each parses the
// request, calls the store or library that does the work, and shapes the JSON.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "server/context.h"
#include "server/http_error.h"

namespace yuqing::server {

// auth_handlers.cc
Result<Reply> Login(Ctx& c);
Result<Reply> Logout(Ctx& c);
// POST /api/v1/auth/password {"current", "new"}: the only call (besides me/logout) a user with a
// one-time password may make.
Result<Reply> ChangePassword(Ctx& c);
Result<Reply> Me(Ctx& c);
// Resolves the principal from "Authorization: Bearer" or the session cookie; Unauthenticated
// when neither is valid.
Status Authenticate(Ctx& c);
// Creates `admin` when there are no users; returns its one-time password or "".
Result<std::string> EnsureAdminUser(State& s);

// post_handlers.cc
Result<Reply> SearchPosts(Ctx& c);
Result<Reply> IngestPosts(Ctx& c);
Result<Reply> GetPost(Ctx& c);
Result<Reply> CorrectSentiment(Ctx& c);

// stats_handlers.cc
Result<Reply> Stats(Ctx& c);
Result<Reply> Overview(Ctx& c);

// scheme_handlers.cc
Result<Reply> ListSchemes(Ctx& c);
Result<Reply> CreateScheme(Ctx& c);
Result<Reply> GetScheme(Ctx& c);
Result<Reply> UpdateScheme(Ctx& c);
Result<Reply> DeleteScheme(Ctx& c);
Result<Reply> ValidateScheme(Ctx& c);
Result<Reply> TestScheme(Ctx& c);

// alert_handlers.cc (alerts from warning/, deliveries from notify's outbox, series)
Result<Reply> ListAlerts(Ctx& c);
Result<Reply> GetAlert(Ctx& c);
Result<Reply> AckAlertHandler(Ctx& c);
Result<Reply> ResolveAlertHandler(Ctx& c);
Result<Reply> AlertDeliveries(Ctx& c);
Result<Reply> Series(Ctx& c);

// event_handlers.cc (built when the event store exists: YUQING_HAVE_EVENTS)
struct Scope;
Result<Reply> ListEvents(Ctx& c);
Result<Reply> GetEvent(Ctx& c);
Result<nlohmann::json> TopEvents(Ctx& c, const Scope& scope, TimeMs since, size_t n);
// [{word, weight}]: the keywords of the `events` largest events active in [from, to), at most `words`.
Result<nlohmann::json> EventWordCloud(Ctx& c, const Scope& scope, TimeMs from, TimeMs to, size_t events, size_t words);
// Records an analyst's correction for the next `yuqing model train`.
Status RecordCorrection(Ctx& c, const std::string& post_id, const std::string& text, const std::string& label);

// user_handlers.cc
Result<Reply> ListUsers(Ctx& c);
Result<Reply> CreateUser(Ctx& c);
Result<Reply> CreateToken(Ctx& c);
Result<Reply> ListAudit(Ctx& c);
// PATCH /api/v1/users/{name} {"role"?, "departments"?, "disabled"?}: disabling ends the user's
// sessions; nobody disables themselves or changes their own role.
Result<Reply> UpdateUserHandler(Ctx& c);
// POST /api/v1/users/{name}/password {"password"?}: sets the given or a generated password (shown
// once) and ends the user's sessions.
Result<Reply> ResetPasswordHandler(Ctx& c);

// settings_handlers.cc (设置: the routing directory and the SMTP server; rules in notify/directory.h)
Result<Reply> ListDepartmentsHandler(Ctx& c);
Result<Reply> CreateDepartmentHandler(Ctx& c);
Result<Reply> UpdateDepartmentHandler(Ctx& c);
Result<Reply> DeleteDepartmentHandler(Ctx& c);
Result<Reply> ListContactsHandler(Ctx& c);
Result<Reply> CreateContactHandler(Ctx& c);
Result<Reply> UpdateContactHandler(Ctx& c);
Result<Reply> DeleteContactHandler(Ctx& c);
// POST /api/v1/contacts/{id}/test: enqueues a test message (202 {"outbox_id"}); its delivery
// shows in GET /api/v1/outbox/{id}.
Result<Reply> TestContactHandler(Ctx& c);
Result<Reply> GetOutboxEntry(Ctx& c);
Result<Reply> GetSmtp(Ctx& c);
Result<Reply> PutSmtp(Ctx& c);

// system_handlers.cc
Result<Reply> Health(Ctx& c);
// drill_handlers.cc: GET /api/v1/drill
Result<Reply> GetDrill(Ctx& c);
Result<Reply> OpenApi(Ctx& c);
Status MetricsText(Ctx& c, httplib::Response& res);
Status Stream(Ctx& c, httplib::Response& res);
Status EchartsFile(Ctx& c, httplib::Response& res);
Status VendorFile(Ctx& c, httplib::Response& res);  // /vendor/echarts-wordcloud.min.js, /vendor/china.json
Status IndexPage(Ctx& c, httplib::Response& res);

// Department scoping: which schemes the principal may see (all for admins).
struct Scope {
  bool all = false;
  std::vector<int64_t> scheme_ids;  // when !all; may be empty (then nothing is visible)
  std::string Key() const;          // for caches
};
Result<Scope> VisibleScope(Ctx& c);

// Helpers shared by the handlers.
std::string HtmlEscape(const std::string& in);
std::string ReplaceAll(std::string s, const std::string& from, const std::string& to);
// Parses a positive integer parameter within [1, max]; `def` when empty.
Result<int64_t> IntParam(const Ctx& c, const char* name, int64_t def, int64_t max);
// Parses an id from a path segment.
Result<int64_t> IdFrom(const std::string& s, const char* what);

}  // namespace yuqing::server
