// Request body schemas: one per route that takes a body, in the JSON Schema subset below. The
// router checks every body against its route's schema before the handler runs (a wrong type
// answers 400 naming the field, never a 500 or a silently emptied field), and the OpenAPI
// document publishes the same schema as the route's requestBody. A route declared with a body
// and no schema fails server_tests (RequestSchemasTest.EveryRouteWithABodyHasASchema).
//
// Subset: type (one name or a list; "integer" is a number without a fraction), properties,
// required, items, enum, minLength/maxLength (in characters), minimum/maximum, minItems/maxItems.
// Properties not listed are allowed (clients may send more than a route reads).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace yuqing::server {

// The schema of the body of `method path` (the route's template), or nullptr when it has none.
const nlohmann::json* RequestSchemaFor(const std::string& method, const std::string& path);

// Ok, or Invalid with the first offending field named: "content: must be a string (got number)".
Status ValidateBody(const nlohmann::json& schema, const nlohmann::json& body);

}  // namespace yuqing::server
