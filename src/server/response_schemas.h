// The OpenAPI components describing what the server writes: one schema per object the handlers
// serialise (store::StoredPostToJson, EventToJson, AlertToJson, ...), every field typed and
// required. tests/integration/server_api_test.py validates the real responses of a whole API
// session against these, so a serialiser and its schema cannot drift apart unnoticed.
#pragma once

#include <nlohmann/json.hpp>

namespace yuqing::server {

// {"Post": {...}, "Event": {...}, ...} for components.schemas.
nlohmann::json ResponseComponentSchemas();

}  // namespace yuqing::server
