// The OpenAPI components describing what the server writes: one schema per object the handlers
// serialise (StoredPostToJson, EventToJson, AlertToJson, ...), every field typed and
// required. tests/integration/server_api_test.py validates the real responses of a whole API
// session against these, so a serialiser and its schema cannot drift apart unnoticed.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace yuqing::server {

// {"Post": {...}, "Event": {...}, ...} for components.schemas.
nlohmann::json ResponseComponentSchemas();

// The schema of a route's 200 answer (a $ref to a component, or a list of them), or null: such
// routes' answers are described as a plain object so far.
nlohmann::json ResponseSchemaFor(std::string_view method, std::string_view path);

}  // namespace yuqing::server
