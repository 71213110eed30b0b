#include "server/request_schemas.h"

#include <algorithm>
#include <map>
#include <utility>

namespace yuqing::server {
namespace {

using nlohmann::json;

// Shorthands for the field types the routes take.
json Str(size_t max = 64 * 1024) { return {{"type", "string"}, {"maxLength", max}}; }
json StrEnum(std::initializer_list<const char*> values) {
  json e = json::array();
  for (const char* v : values) e.push_back(v);
  return {{"type", "string"}, {"enum", e}};
}
json Int() { return {{"type", "integer"}}; }
// Ids come as numbers, or as the digits in a string (forms, URLs).
json Id() { return {{"type", {"integer", "string"}}, {"maxLength", 32}}; }
// Times are ISO 8601 strings ("2026-06-01T08:00:00+08:00").
json Time() { return {{"type", "string"}, {"maxLength", 64}}; }
json Strings(size_t max_items = 1000) {
  return {{"type", "array"}, {"items", Str(1024)}, {"maxItems", max_items}};
}
json Object(json properties, std::initializer_list<const char*> required = {}) {
  json j = {{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size() > 0) {
    json r = json::array();
    for (const char* k : required) r.push_back(k);
    j["required"] = r;
  }
  return j;
}

json SchemeBody() {
  return Object({{"name", Str(200)},
                 {"query", Str(64 * 1024)},
                 {"exclude", Strings()},
                 {"departments", Strings()},
                 {"regions", Strings()},
                 {"priority", Int()},
                 {"enabled", {{"type", "boolean"}}},
                 {"policy", {{"type", {"object", "string", "null"}}, {"maxLength", 64 * 1024}}}},
                {"name", "query"});
}

json ContactBody(std::initializer_list<const char*> required) {
  json order = Int();
  order["minimum"] = 0;
  order["maximum"] = 20;
  return Object({{"department", Str(200)},
                 {"name", Str(200)},
                 {"channel", StrEnum({"webhook", "wecom", "dingtalk", "feishu", "email"})},
                 {"target", Str(2000)},
                 {"secret", {{"type", {"string", "null"}}, {"maxLength", 512}}},
                 {"escalation_order", order},
                 {"min_level", StrEnum({"IV", "III", "II", "I"})},
                 {"enabled", {{"type", "boolean"}}}},
                required);
}

std::map<std::pair<std::string, std::string>, json> MakeSchemas() {
  const json note = Object({{"note", Str(2000)}});
  return {
      {{"POST", "/api/v1/auth/login"}, Object({{"username", Str(200)}, {"password", Str(1024)}}, {"username", "password"})},
      {{"POST", "/api/v1/auth/password"}, Object({{"current", Str(1024)}, {"new", Str(1024)}}, {"current", "new"})},
      // Each record is checked by the post parser; a bad one is quarantined, not the request.
      {{"POST", "/api/v1/posts"}, {{"type", {"object", "array"}}}},
      {{"POST", "/api/v1/posts/{id}/sentiment"},
       Object({{"label", StrEnum({"negative", "neutral", "positive"})}, {"score", {{"type", "number"}}}}, {"label"})},
      {{"POST", "/api/v1/schemes"}, SchemeBody()},
      {{"PUT", "/api/v1/schemes/{id}"}, SchemeBody()},
      {{"POST", "/api/v1/schemes/validate"}, Object({{"query", Str()}, {"exclude", Strings()}}, {"query"})},
      {{"POST", "/api/v1/schemes/test"},
       Object({{"query", Str()}, {"exclude", Strings()}, {"last", Str(32)}, {"limit", Int()}}, {"query"})},
      {{"POST", "/api/v1/alerts/{id}/ack"}, note},
      {{"POST", "/api/v1/alerts/{id}/resolve"}, note},
      {{"POST", "/api/v1/users"},
       Object({{"name", Str(200)},
               {"role", StrEnum({"admin", "analyst", "responder", "viewer"})},
               {"departments", Strings()},
               {"password", Str(1024)}},
              {"name", "role"})},
      {{"POST", "/api/v1/tokens"}, Object({{"name", Str(200)}, {"user", Str(200)}})},
      {{"PATCH", "/api/v1/users/{name}"},
       Object({{"role", StrEnum({"admin", "analyst", "responder", "viewer"})},
               {"departments", Strings(32)},
               {"disabled", {{"type", "boolean"}}}})},
      {{"POST", "/api/v1/users/{name}/password"}, Object({{"password", Str(1024)}})},
      // Settings (settings_handlers.cc); the rules beyond types are notify/directory.h's.
      {{"POST", "/api/v1/departments"},
       Object({{"name", Str(200)}, {"description", Str(2000)}, {"regions", Strings(100)}}, {"name"})},
      {{"PATCH", "/api/v1/departments/{name}"},
       Object({{"name", Str(200)}, {"description", Str(2000)}, {"regions", Strings(100)}})},
      {{"POST", "/api/v1/contacts"}, ContactBody({"department", "channel", "target"})},
      {{"PATCH", "/api/v1/contacts/{id}"}, ContactBody({})},
      {{"PUT", "/api/v1/settings/smtp"},
       Object({{"url", Str(2000)}, {"from", Str(500)}, {"user", Str(500)},
               {"password", {{"type", {"string", "null"}}, {"maxLength", 512}}}},
              {"url", "from"})},
      // Crisis response (incident_handlers.cc).
      {{"POST", "/api/v1/incidents"},
       Object({{"alert_id", Id()},
               {"title", Str(1000)},
               {"level", Str(8)},
               {"type", Str(64)},
               {"detected_at", Time()},
               {"departments", Strings()},
               {"team", {{"type", "array"},
                         {"maxItems", 100},
                         {"items", Object({{"role", Str(64)}, {"person", Str(256)}}, {"role", "person"})}}}})},
      {{"POST", "/api/v1/incidents/{id}/transition"},
       Object({{"to", Str(32)}, {"note", Str(2000)}, {"no_response_reason", Str(2000)}}, {"to"})},
      {{"POST", "/api/v1/incidents/{id}/level"},
       Object({{"level", Str(8)}, {"reason", Str(2000)}}, {"level"})},
      {{"POST", "/api/v1/incidents/{id}/roles"}, Object({{"role", Str(64)}, {"person", Str(256)}}, {"role", "person"})},
      {{"POST", "/api/v1/incidents/{id}/links"},
       Object({{"kind", StrEnum({"alert", "event", "scheme", "post", "department"})}, {"ref", Id()}}, {"kind", "ref"})},
      {{"POST", "/api/v1/incidents/{id}/communications"},
       Object({{"kind", StrEnum({"media", "public", "internal"})},
               {"channel", Str(200)},
               {"with", Str(500)},
               {"content", Str()},
               {"at", Time()}},
              {"kind"})},
      {{"POST", "/api/v1/tasks/{id}/done"}, note},
      {{"POST", "/api/v1/incidents/{id}/statements"},
       Object({{"body", Str()}, {"kind", Str(32)}, {"revises", Id()}}, {"body"})},
      {{"POST", "/api/v1/statements/check"},
       Object({{"text", Str(1 << 20)}, {"at", Time()}, {"lang", StrEnum({"zh", "en"})}}, {"text"})},
      {{"POST", "/api/v1/statements/{id}/approve"}, Object({{"override", Str(2000)}})},
      {{"POST", "/api/v1/statements/{id}/publish"}, Object({{"channel", Str(200)}, {"url", Str(2000)}, {"at", Time()}})},
      {{"POST", "/api/v1/statements/{id}/comments"}, Object({{"text", Str(4000)}, {"sentence", Int()}}, {"text"})},
      {{"POST", "/api/v1/commitments/{id}/kept"}, Object({{"evidence", Str(2000)}}, {"evidence"})},
      {{"POST", "/api/v1/incidents/{id}/clarifications"},
       Object({{"claim", Str(4000)}, {"evidence", Str(4000)}, {"statement_id", Id()}, {"query", Str()}}, {"claim"})},
      {{"POST", "/api/v1/clarifications/{id}/statement"}, Object({{"statement_id", Id()}}, {"statement_id"})},
      // Data sources (source_handlers.cc).
      {{"POST", "/api/v1/sources"},
       Object({{"kind", StrEnum({"feed", "page", "imap"})}, {"user", Str(200)}, {"password_env", Str(200)},
               {"ca_file", Str(4096)}, {"url", Str(4096)}, {"name", Str(200)}, {"every", Str(32)},
               {"department", Str(200)}, {"silence_floor", Str(32)}, {"item", Str(1000)}, {"title", Str(1000)},
               {"link", Str(1000)}, {"time", Str(1000)}},
              {"url"})},
      // The user dictionary (dict_handlers.cc); each word is checked again after normalising.
      {{"POST", "/api/v1/dict"},
       Object({{"words", {{"type", "array"}, {"items", Str(64)}, {"minItems", 1}, {"maxItems", 100}}}}, {"words"})},
      {{"POST", "/api/v1/talking-points"},
       Object({{"topic", Str(200)}, {"question", Str(4000)}, {"answer", Str()}, {"statement_id", Id()}}, {"topic"})},
  };
}

const std::map<std::pair<std::string, std::string>, json>& Schemas() {
  static const auto schemas = MakeSchemas();  // built once, never changed
  return schemas;
}

const char* TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "value";
  }
}

bool HasType(const json& v, const std::string& t) {
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number_integer() || v.is_number_unsigned();
  return t == TypeName(v);
}

size_t Characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Join(const std::string& at, const std::string& key) { return at.empty() ? key : at + "." + key; }

Status Fail(const std::string& at, const std::string& what) {
  return Status::Invalid((at.empty() ? std::string("body") : at) + ": " + what);
}

Status Check(const json& s, const json& v, const std::string& at) {
  if (auto t = s.find("type"); t != s.end()) {
    bool ok = false;
    std::string want;
    for (const auto& name : t->is_array() ? *t : json::array({*t})) {
      ok = ok || HasType(v, name.get<std::string>());
      want += (want.empty() ? "" : " or ") + name.get<std::string>();
    }
    if (!ok) return Fail(at, "must be " + want + " (got " + TypeName(v) + ")");
  }
  if (auto e = s.find("enum"); e != s.end() && std::find(e->begin(), e->end(), v) == e->end())
    return Fail(at, "must be one of " + e->dump());
  if (v.is_string()) {
    const size_t n = Characters(v.get_ref<const std::string&>());
    if (s.contains("maxLength") && n > s["maxLength"].get<size_t>())
      return Fail(at, "longer than " + std::to_string(s["maxLength"].get<size_t>()) + " characters");
    if (s.contains("minLength") && n < s["minLength"].get<size_t>())
      return Fail(at, "shorter than " + std::to_string(s["minLength"].get<size_t>()) + " characters");
  }
  if (v.is_number()) {
    if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>())
      return Fail(at, "must be at least " + s["minimum"].dump());
    if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>())
      return Fail(at, "must be at most " + s["maximum"].dump());
  }
  if (v.is_array()) {
    if (s.contains("maxItems") && v.size() > s["maxItems"].get<size_t>())
      return Fail(at, "more than " + std::to_string(s["maxItems"].get<size_t>()) + " items");
    if (auto items = s.find("items"); items != s.end())
      for (size_t i = 0; i < v.size(); ++i)
        if (Status st = Check(*items, v[i], at + "[" + std::to_string(i) + "]"); !st.ok()) return st;
  }
  if (v.is_object()) {
    if (auto req = s.find("required"); req != s.end())
      for (const auto& k : *req)
        if (!v.contains(k.get<std::string>())) return Fail(Join(at, k.get<std::string>()), "is required");
    if (auto props = s.find("properties"); props != s.end())
      for (const auto& [k, sub] : props->items())
        if (auto f = v.find(k); f != v.end())
          if (Status st = Check(sub, *f, Join(at, k)); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace

const nlohmann::json* RequestSchemaFor(const std::string& method, const std::string& path) {
  auto it = Schemas().find({method, path});
  return it == Schemas().end() ? nullptr : &it->second;
}

Status ValidateBody(const nlohmann::json& schema, const nlohmann::json& body) { return Check(schema, body, ""); }

}  // namespace yuqing::server
