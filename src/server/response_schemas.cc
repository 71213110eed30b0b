#include "server/response_schemas.h"

#include <string>
#include <utility>
#include <vector>

namespace yuqing::server {
namespace {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, json>>;

json T(const char* type) { return {{"type", type}}; }
json Null(const char* type) { return {{"type", {type, "null"}}}; }
json Time() { return {{"type", "string"}, {"format", "date-time"}}; }
json NullTime() { return {{"type", {"string", "null"}}, {"format", "date-time"}}; }
json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json Strings() { return ArrayOf(T("string")); }
json CountMap() { return {{"type", "object"}, {"additionalProperties", T("integer")}}; }
json Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }

// An object schema that may also be null (a figure not given, e.g. an event's forecast).
json Nullable(json object_schema) {
  object_schema["type"] = {"object", "null"};
  return object_schema;
}

// An object whose listed fields are all present (a serialiser writes every one of them).
json Object(const Fields& fields) {
  json props = json::object();
  json required = json::array();
  for (const auto& [name, schema] : fields) {
    props[name] = schema;
    required.push_back(name);
  }
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

}  // namespace

json ResponseComponentSchemas() {
  json s = json::object();
  s["Author"] = Object({{"id", T("string")}, {"name", T("string")}, {"followers", T("integer")},
                        {"verified", T("boolean")}, {"location", T("string")}});
  s["Analysis"] = Object({{"sentiment", Object({{"label", T("string")}, {"score", T("number")}})},
                          {"rumor", T("number")},
                          {"types", ArrayOf(T("object"))},
                          {"region", Object({{"province", T("string")}, {"city", T("string")}, {"source", T("string")}})},
                          {"keywords", Strings()},
                          {"simhash", T("string")},
                          {"dup_of", Null("string")},
                          {"event", Null("integer")}});
  s["Post"] = Object({{"id", T("string")}, {"source", T("string")}, {"channel", T("string")}, {"url", T("string")},
                      {"title", T("string")}, {"text", T("string")}, {"author", Ref("Author")},
                      {"published_at", Time()}, {"ingested_at", Time()}, {"region", T("string")},
                      {"metrics", Object({{"reposts", T("integer")}, {"comments", T("integer")},
                                          {"likes", T("integer")}, {"views", T("integer")}})},
                      {"parent", T("string")}, {"lang", T("string")}, {"analysis", Ref("Analysis")},
                      {"schemes", ArrayOf(T("object"))}});
  s["Event"] = Object({{"id", T("integer")}, {"title", T("string")}, {"representative_post", T("string")},
                       {"first_seen", Time()}, {"last_seen", Time()}, {"first_seen_ms", T("integer")},
                       {"last_seen_ms", T("integer")}, {"posts", T("integer")}, {"originals", T("integer")},
                       {"copies", T("integer")}, {"reposts", T("integer")},
                       {"sentiment", Object({{"negative", T("integer")}, {"neutral", T("integer")},
                                             {"positive", T("integer")}})},
                       {"types", CountMap()}, {"regions", CountMap()}, {"sources", CountMap()},
                       {"first_poster", Object({{"post", T("string")}, {"author_id", T("string")},
                                                {"author_name", T("string")}})},
                       {"keywords", ArrayOf(T("array"))}, {"merged_into", T("integer")}});
  // The list's events leave out volume and spreaders; one event carries them.
  s["EventDetail"] = {
      {"allOf",
       {Ref("Event"),
        Object({{"volume", ArrayOf(Object({{"hour", Time()}, {"hour_ms", T("integer")}, {"posts", T("integer")}}))},
                {"spreaders", ArrayOf(Object({{"author_id", T("string")}, {"author_name", T("string")},
                                              {"posts", T("integer")}, {"reach", T("integer")}}))},
                {"forecast", Nullable(Object({{"observed", T("integer")}, {"forecast", T("integer")},
                                              {"low", T("integer")}, {"high", T("integer")},
                                              {"p_exceeds", T("object")}, {"rumor", T("number")},
                                              {"method", T("string")}, {"as_of", Time()}}))}})}}};
  s["Alert"] = Object({{"id", T("integer")}, {"level", T("string")}, {"severity", T("integer")},
                       {"color", T("string")}, {"level_zh", T("string")}, {"status", T("string")},
                       {"scheme_id", T("integer")}, {"scheme", T("string")}, {"event_id", T("integer")},
                       {"departments", Strings()}, {"rule", T("string")}, {"message", T("string")},
                       {"numbers", T("object")}, {"created_at", Time()}, {"updated_at", Time()},
                       {"deadline", NullTime()}, {"last_fired_at", NullTime()}, {"reminders", T("integer")},
                       {"escalation_step", T("integer")}, {"acked_by", Null("string")}, {"acked_at", NullTime()},
                       {"resolved_by", Null("string")}, {"resolved_at", NullTime()},
                       {"resolve_note", T("string")}, {"evidence", T("array")}});
  s["AlertHistory"] = Object({{"alert_id", T("integer")}, {"at", Time()}, {"kind", T("string")},
                              {"level", T("string")}, {"by", T("string")}, {"note", T("string")}});
  s["Scheme"] = Object({{"id", T("integer")}, {"name", T("string")}, {"query", T("string")}, {"exclude", Strings()},
                        {"departments", Strings()}, {"regions", Strings()}, {"priority", T("integer")},
                        {"enabled", T("boolean")}, {"created_at", NullTime()}, {"updated_at", NullTime()}});
  s["User"] = Object({{"id", T("integer")}, {"name", T("string")}, {"role", T("string")}, {"departments", Strings()},
                      {"disabled", T("boolean")}, {"has_password", T("boolean")}, {"created_at", Time()}});
  s["Department"] = Object({{"id", T("integer")}, {"name", T("string")}, {"description", T("string")},
                            {"regions", Strings()}, {"contacts", T("integer")}, {"created_at", Time()}});
  // target and secret are masked ("••••abcd"): the API never returns a robot key in full.
  s["Contact"] = Object({{"id", T("integer")}, {"department", T("string")}, {"name", T("string")},
                         {"channel", T("string")}, {"target", T("string")}, {"has_secret", T("boolean")},
                         {"secret", T("string")}, {"escalation_order", T("integer")}, {"min_level", T("string")},
                         {"enabled", T("boolean")}, {"created_at", Time()}});
  s["OutboxEntry"] = Object({{"id", T("integer")}, {"alert_id", T("integer")}, {"notice", T("string")},
                             {"contact_id", T("integer")}, {"department", T("string")}, {"channel", T("string")},
                             {"target", T("string")}, {"status", T("string")}, {"attempts", T("integer")},
                             {"last_error", T("string")}, {"created_at", Time()}, {"delivered_at", NullTime()},
                             {"next_attempt_at", NullTime()},
                             {"log", ArrayOf(Object({{"at", Time()}, {"attempt", T("integer")}, {"ok", T("boolean")},
                                                     {"status_code", T("integer")}, {"error", T("string")},
                                                     {"duration_ms", T("integer")}}))}});
  s["SmtpSettings"] = Object({{"configured", T("boolean")}, {"url", T("string")}, {"from", T("string")},
                              {"user", T("string")}, {"password_set", T("boolean")}});
  s["AuditEntry"] = Object({{"id", T("integer")}, {"at", Time()}, {"actor", T("string")}, {"action", T("string")},
                            {"target", T("string")}, {"ip", T("string")}, {"detail", T("object")}});
  s["Incident"] = Object({{"id", T("integer")}, {"title", T("string")}, {"type", T("string")}, {"level", T("string")},
                          {"state", T("string")}, {"alert_id", Null("string")}, {"plan", T("string")},
                          {"detected_at", Time()}, {"opened_at", Time()}, {"opened_by", T("string")},
                          {"acknowledged_at", NullTime()}, {"responding_at", NullTime()},
                          {"monitoring_at", NullTime()}, {"closed_at", NullTime()}, {"reviewed_at", NullTime()},
                          {"no_response_reason", Null("string")}});
  s["Statement"] = Object({{"id", T("integer")}, {"incident_id", T("integer")}, {"version", T("integer")},
                           {"previous_id", Null("integer")}, {"kind", T("string")}, {"state", T("string")},
                           {"check_ok", T("boolean")}, {"created_at", Time()}, {"created_by", T("string")},
                           {"approved_at", NullTime()}, {"approved_by", T("string")}, {"published_at", NullTime()},
                           {"channel", T("string")}, {"url", T("string")}});
  s["Commitment"] = Object({{"id", T("integer")}, {"incident_id", T("integer")}, {"statement_id", T("integer")},
                            {"text", T("string")}, {"due", NullTime()}, {"owner", T("string")},
                            {"status", T("string")}, {"overdue", T("boolean")}, {"kept_at", NullTime()},
                            {"kept_on_time", Null("boolean")}, {"evidence", T("string")}});
  s["TalkingPoint"] = Object({{"id", T("integer")}, {"topic", T("string")}, {"question", T("string")},
                              {"answer", T("string")}, {"incident_id", Null("integer")},
                              {"statement_id", Null("integer")}, {"status", T("string")},
                              {"created_by", T("string")}, {"created_at", Time()}, {"approved_by", T("string")},
                              {"approved_at", NullTime()}, {"updated_at", Time()}});
  json task = Object({{"id", T("integer")}, {"incident_id", T("integer")}, {"key", T("string")}, {"title", T("string")},
                      {"title_en", T("string")}, {"role", T("string")}, {"owner", Null("string")}, {"kind", T("string")},
                      {"due_at", Time()}, {"status", T("string")}, {"overdue", T("boolean")}, {"done_at", NullTime()},
                      {"note", T("string")}, {"escalation_stage", T("integer")}});
  task["properties"]["every"] = T("string");  // repeating tasks only ("30m")
  s["Task"] = task;
  s["StatementComment"] = Object({{"id", T("integer")}, {"statement_id", T("integer")}, {"sentence", Null("integer")},
                                  {"author", T("string")}, {"text", T("string")}, {"at", Time()},
                                  {"resolved", T("boolean")}});
  // A statement with its text; "check" (the four principles' findings) once it has been checked.
  json body = Object({{"body", T("string")}});
  body["properties"]["check"] = T("object");
  s["StatementWithBody"] = {{"allOf", {Ref("Statement"), body}}};
  // One incident as its page shows it: team, links, tasks, statements, promises, contacts logged.
  s["IncidentDetail"] = {
      {"allOf",
       {Ref("Incident"),
        Object({{"plan_title", Object({{"zh", T("string")}, {"en", T("string")}})},
                {"team", ArrayOf(Object({{"role", T("string")}, {"person", T("string")}}))},
                {"links", ArrayOf(Object({{"kind", T("string")}, {"ref", T("string")}}))},
                {"tasks", ArrayOf(Ref("Task"))},
                {"statements", ArrayOf(Ref("Statement"))},
                {"commitments", ArrayOf(Ref("Commitment"))},
                {"communications", ArrayOf(Object({{"id", T("integer")}, {"at", Time()}, {"kind", T("string")},
                                                   {"channel", T("string")}, {"with", T("string")},
                                                   {"content", T("string")}, {"actor", T("string")}}))},
                {"now", Time()}})}}};
  s["IncidentTimeline"] = Object({{"incident", Ref("Incident")},
                                  {"entries", ArrayOf(Object({{"at", Time()}, {"at_ms", T("integer")}, {"kind", T("string")}}))},
                                  {"posts", T("object")}});
  s["IncidentEval"] = Object({{"incident", Ref("Incident")}, {"minutes", T("object")},
                              {"tasks", Object({{"total", T("integer")}, {"met", T("integer")}, {"missed", T("integer")},
                                                {"open", T("integer")}, {"cancelled", T("integer")},
                                                {"met_share", Null("number")}, {"list", T("array")}})},
                              {"commitments", Object({{"total", T("integer")}, {"kept", T("integer")},
                                                      {"kept_on_time", T("integer")}, {"overdue", T("integer")},
                                                      {"pending", T("integer")}, {"undated", T("integer")}})},
                              {"statements", Object({{"drafts", T("integer")}, {"published", T("integer")},
                                                     {"published_with_check_errors", T("integer")}})},
                              {"communications", CountMap()}, {"detection", T("object")},
                              {"volume_around_statements", T("array")}, {"public_feedback", T("object")}});
  const Fields source = {
      {"id", T("integer")}, {"name", T("string")}, {"kind", T("string")}, {"url", T("string")},
      {"config", T("object")}, {"every", T("string")}, {"every_ms", T("integer")}, {"paused", T("boolean")},
      {"department", T("string")}, {"created_at", NullTime()}, {"next_run_at", NullTime()},
      {"last_run_at", NullTime()}, {"last_success_at", NullTime()}, {"last_new_at", NullTime()},
      {"last_error", T("string")}, {"last_error_at", NullTime()}, {"posts_last_hour", T("integer")},
      {"stored_24h", T("integer")}, {"posts_per_hour", T("number")}, {"silence_threshold_ms", T("integer")},
      {"silent", T("boolean")}, {"silence_alert_id", Null("integer")}};
  s["Source"] = Object(source);
  Fields detail = source;
  detail.push_back({"hourly", ArrayOf(Object({{"hour", Time()}, {"stored", T("integer")}}))});
  detail.push_back({"fetches", ArrayOf(Object({{"at", Time()}, {"ok", T("boolean")}, {"not_modified", T("boolean")},
                                               {"stored", T("integer")}, {"duplicates", T("integer")},
                                               {"quarantined", T("integer")}, {"error", T("string")}}))});
  s["SourceDetail"] = Object(detail);
  // The user dictionary (dict_handlers.cc): whether the index was built with these words yet.
  s["DictIndex"] = Object({{"version", T("string")}, {"index_version", T("string")}, {"current", T("boolean")},
                           {"pending", T("boolean")}, {"rebuilding", T("boolean")}, {"done", T("integer")}, {"total", T("integer")},
                           {"started_at", NullTime()}, {"finished_at", NullTime()}, {"error", T("string")}});
  s["DictWord"] = Object({{"word", T("string")}, {"added_at", Time()}});
  // GET /api/v1/overview: the range's figures and, in "previous", the same figures of the period of
  // equal length just before it (环比 on the dashboard).
  Fields period = {{"from", Time()}, {"to", Time()}, {"total", T("integer")},
                   {"sentiment", Object({{"negative", T("integer")}, {"neutral", T("integer")},
                                         {"positive", T("integer")}})},
                   {"sources", ArrayOf(Object({{"source", T("string")}, {"count", T("integer")}}))},
                   {"regions", ArrayOf(Object({{"province", T("string")}, {"count", T("integer")}}))},
                   {"alerts_raised", T("integer")}, {"events_active", T("integer")}};
  s["OverviewPeriod"] = Object(period);
  Fields overview = period;
  overview.push_back({"bucket", {{"type", "string"}, {"enum", {"hour", "day"}}}});
  overview.push_back({"trend", ArrayOf(Object({{"t", Time()}, {"negative", T("integer")}, {"neutral", T("integer")},
                                               {"positive", T("integer")}}))});
  overview.push_back({"top_events", ArrayOf(Ref("Event"))});
  overview.push_back({"open_alerts", ArrayOf(Ref("Alert"))});
  overview.push_back({"keywords", ArrayOf(Object({{"word", T("string")}, {"weight", T("number")}}))});
  overview.push_back({"previous", Ref("OverviewPeriod")});
  s["Overview"] = Object(overview);
  return s;
}

json ResponseSchemaFor(std::string_view method, std::string_view path) {
  // {"items": [X]} with the list's other fields (next_cursor, now) typed too.
  auto list = [](const char* item, Fields more = {}) {
    more.insert(more.begin(), {"items", ArrayOf(Ref(item))});
    return Object(more);
  };
  const json cursor = Null("string");
  if (method == "GET") {
    if (path == "/api/v1/overview") return Ref("Overview");
    if (path == "/api/v1/posts") return list("Post", {{"next_cursor", cursor}});
    if (path == "/api/v1/posts/{id}") return Ref("Post");
    if (path == "/api/v1/events") return list("Event");
    if (path == "/api/v1/events/{id}") return Ref("EventDetail");
    if (path == "/api/v1/alerts") return list("Alert", {{"next_cursor", cursor}});
    if (path == "/api/v1/alerts/{id}") return Ref("Alert");
    if (path == "/api/v1/schemes") return list("Scheme");
    if (path == "/api/v1/schemes/{id}") return Ref("Scheme");
    if (path == "/api/v1/users") return list("User");
    if (path == "/api/v1/audit") return list("AuditEntry", {{"next_cursor", cursor}});
    if (path == "/api/v1/departments") return list("Department");
    if (path == "/api/v1/contacts") return list("Contact");
    if (path == "/api/v1/settings/smtp") return Ref("SmtpSettings");
    if (path == "/api/v1/incidents") return list("Incident", {{"now", Time()}});
    if (path == "/api/v1/dict") return list("DictWord", {{"max_words", T("integer")}, {"index", Ref("DictIndex")}});
  }
  if (method == "GET") {
    if (path == "/api/v1/incidents/{id}") return Ref("IncidentDetail");
    if (path == "/api/v1/incidents/{id}/timeline") return Ref("IncidentTimeline");
    if (path == "/api/v1/incidents/{id}/eval") return Ref("IncidentEval");
    if (path == "/api/v1/incidents/{id}/tasks") return list("Task", {{"now", Time()}});
    if (path == "/api/v1/incidents/{id}/statements") return list("Statement");
    if (path == "/api/v1/incidents/{id}/commitments") return list("Commitment", {{"now", Time()}});
    if (path == "/api/v1/statements/{id}")
      return {{"allOf", {Ref("StatementWithBody"), Object({{"comments", ArrayOf(Ref("StatementComment"))}})}}};
    if (path == "/api/v1/talking-points") return list("TalkingPoint");
  }
  if (method == "POST") {
    // The incident's actions answer with the incident as it now stands.
    for (const char* p : {"/api/v1/incidents", "/api/v1/incidents/{id}/transition", "/api/v1/incidents/{id}/level",
                          "/api/v1/incidents/{id}/roles", "/api/v1/incidents/{id}/links"})
      if (path == p) return Ref("IncidentDetail");
    if (path == "/api/v1/incidents/{id}/communications") return Object({{"id", T("integer")}});
    if (path == "/api/v1/tasks/{id}/done") return Ref("Task");
    if (path == "/api/v1/incidents/{id}/statements" || path == "/api/v1/statements/{id}/approve")
      return Ref("StatementWithBody");
    if (path == "/api/v1/statements/{id}/publish")
      return {{"allOf", {Ref("Statement"), Object({{"commitments", ArrayOf(Ref("Commitment"))}})}}};
    if (path == "/api/v1/statements/{id}/comments") return Ref("StatementComment");
    if (path == "/api/v1/commitments/{id}/kept") return Ref("Commitment");
    for (const char* p : {"/api/v1/talking-points", "/api/v1/talking-points/{id}/approve", "/api/v1/talking-points/{id}/retire"})
      if (path == p) return Ref("TalkingPoint");
  }
  if (method == "POST" && path == "/api/v1/dict") return Object({{"added", Strings()}, {"index", Ref("DictIndex")}});
  if (method == "DELETE" && path == "/api/v1/dict/{word}") return Object({{"removed", T("string")}, {"index", Ref("DictIndex")}});
  if (method == "POST" && path == "/api/v1/posts/{id}/sentiment") return Ref("Post");
  if (method == "PUT" && path == "/api/v1/schemes/{id}") return Ref("Scheme");
  if (method == "PATCH" && path == "/api/v1/users/{name}") return Ref("User");
  if (method == "PATCH" && path == "/api/v1/contacts/{id}") return Ref("Contact");
  if (method == "PUT" && path == "/api/v1/settings/smtp") return Ref("SmtpSettings");
  return nullptr;
}

}  // namespace yuqing::server
