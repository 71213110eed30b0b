// The OpenAPI 3 document, generated from the route table so it always lists exactly the
// registered routes (tests/integration/server_api_test.py checks each path answers).
#include <algorithm>
#include <cctype>

#include "server/report_handlers.h"
#include "server/request_schemas.h"
#include "server/response_schemas.h"
#include "server/routes.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string OperationId(const Route& r) {
  std::string id = Lower(r.method);
  bool upper = true;
  for (const char* p = r.path; *p; ++p) {
    char ch = *p;
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch);
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

json ErrorResponse(const char* what) {
  return {{"description", what}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json BodySchema(const Route& r) {
  const json* s = RequestSchemaFor(r.method, r.path);
  return s ? *s : json{{"type", "object"}};
}

// The POST routes whose handlers answer 201 (settings and users are handled below).
bool Creates(const std::string& path) {
  static const char* const kCreating[] = {"/api/v1/schemes", "/api/v1/incidents", "/api/v1/incidents/{id}/communications",
                                          "/api/v1/incidents/{id}/statements", "/api/v1/statements/{id}/comments",
                                          "/api/v1/talking-points", "/api/v1/tokens"};
  for (const char* p : kCreating)
    if (path == p) return true;
  return false;
}

// The route's typed answer (response_schemas.cc), or any object.
json ResponseSchemaOrObject(const Route& r) {
  json s = ResponseSchemaFor(r.method, r.path);
  return s.is_null() ? json{{"type", "object"}} : s;
}

}  // namespace

json BuildOpenApi(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const Route& r : routes) {
    if (!r.documented) continue;
    json op = {{"summary", r.summary}, {"tags", {r.tag}}, {"operationId", OperationId(r)}};
    json params = json::array();
    std::string path = r.path;
    for (size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1)) {
      size_t end = path.find('}', i);
      params.push_back({{"name", path.substr(i + 1, end - i - 1)}, {"in", "path"}, {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    for (const Param& p : r.query)
      params.push_back({{"name", p.name}, {"in", "query"}, {"required", false}, {"description", p.description},
                        {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = params;
    if (r.body) {
      op["requestBody"] = {{"required", std::string(r.body).find("optional") == std::string::npos}, {"description", r.body},
                           {"content", {{"application/json", {{"schema", BodySchema(r)}}}}}};
    }
    json ok_content = std::string(r.path) == "/metrics"
                          ? json{{"text/plain", {{"schema", {{"type", "string"}}}}}}
                      : std::string(r.path) == "/api/v1/stream"
                          ? json{{"text/event-stream", {{"schema", {{"type", "string"}}}}}}
                      : std::string(r.path).rfind("/api/v1/reports/", 0) == 0
                          ? ReportContent()
                      : std::string(r.path) == "/api/v1/exports/posts"
                          ? ExportContent()
                          : json{{"application/json", {{"schema", ResponseSchemaOrObject(r)}}}};
    json responses = {{"200", {{"description", "OK"}, {"content", ok_content}}},
                      {"400", ErrorResponse("invalid request")}};
    if (r.auth) {
      responses["401"] = ErrorResponse("not logged in / bad token");
      responses["403"] = ErrorResponse("role not allowed, or missing X-CSRF-Token with cookie auth");
      op["security"] = json::array({{{"cookieAuth", json::array()}}, {{"bearerAuth", json::array()}}});
    } else {
      op["security"] = json::array();
    }
    if (path.find('{') != std::string::npos) responses["404"] = ErrorResponse("not found (or outside your departments)");
    if (std::string(r.method) != "GET") responses["413"] = ErrorResponse("body larger than the limit");
    if (path == "/api/v1/auth/login") {
      responses["401"] = ErrorResponse("wrong user name or password");
      responses["429"] = ErrorResponse("too many failed logins; see Retry-After");
    }
    if (std::string(r.method) == "POST" && Creates(path))
      responses["201"] = {{"description", "created"}, {"content", ok_content}};
    if (path == "/api/v1/incidents/{id}/clarifications" && std::string(r.method) == "POST") {
      responses["201"] = {{"description", "recorded, with its monitoring scheme (scheme_id)"}, {"content", ok_content}};
      responses["409"] = ErrorResponse("the claim is recorded already, with another query");
    }
    if (std::string(r.tag) == "settings" || std::string(r.tag) == "sources" || std::string(r.tag) == "dict" || path.rfind("/api/v1/users", 0) == 0) {
      const std::string m = r.method;
      if (m == "POST" && path.find("/test") != std::string::npos)
        responses["202"] = {{"description", "enqueued: {outbox_id}; see GET /api/v1/outbox/{id}"}, {"content", ok_content}};
      else if (m == "POST" && path.find('{') == std::string::npos)
        responses["201"] = {{"description", "created"}, {"content", ok_content}};
      if (m == "POST" || m == "PATCH" || m == "DELETE")
        responses["409"] = ErrorResponse("exists already, or still in use (a department with contacts)");
    }
    op["responses"] = responses;
    paths[path][Lower(r.method)] = op;
  }
  json schemas = ResponseComponentSchemas();
  schemas["Report"] = ReportSchema();
  schemas["Error"] = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message"}},
          {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
  return {
      {"openapi", "3.1.0"},
      {"info", {{"title", "yuqing 舆情 API"}, {"version", YUQING_VERSION},
                {"description", "Public-opinion monitoring. Errors: {\"error\": {\"code\", \"message\"}}. Cookie "
                                "sessions must send X-CSRF-Token on POST/PUT/PATCH/DELETE. See docs/api.md."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"cookieAuth", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "yuqing_session"}}},
          {"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", schemas}}},
  };
}

}  // namespace yuqing::server
