// Internal: the route table. Every route is declared once in routes.cc; registration with the
// HTTP library, authentication, role checks, CSRF, error mapping, metrics and the OpenAPI
// document are all derived from this table, so they cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/auth.h"
#include "server/context.h"

namespace yuqing::server {

struct Param {
  const char* name;
  const char* description;
};

struct Route {
  const char* method;   // GET POST PUT DELETE
  const char* path;     // OpenAPI template: /api/v1/posts/{id}
  const char* tag;      // OpenAPI tag (posts, schemes, ...)
  const char* summary;
  bool auth = true;             // false: public (health, login, openapi, the dashboard)
  RoleSet roles = kAnyRole;     // who may call it (403 for others)
  Handler handler = nullptr;    // JSON routes
  RawHandler raw = nullptr;     // streams, text, files
  std::vector<Param> query = {};
  const char* body = nullptr;   // request body description (JSON), nullptr when none
  bool documented = true;       // false: dashboard assets, left out of the OpenAPI document
};

// All routes, in registration order.
const std::vector<Route>& Routes();
// Registers the table on state.http.
void RegisterRoutes(State& state);
// The OpenAPI 3 document describing Routes().
nlohmann::json BuildOpenApi(const std::vector<Route>& routes);

}  // namespace yuqing::server
