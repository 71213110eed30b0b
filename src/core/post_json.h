// The JSON views of a stored post shared by the CLI and the API (times as ISO 8601 in China
// Standard Time). The store writes the opinion types and scheme hits of a post in the same form.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/post.h"
#include "core/stored_post.h"

namespace yuqing {

// [{type, evidence, score}, ...]
nlohmann::json TypesToJson(const std::vector<TypeHit>& types);
// [{id, terms}, ...]
nlohmann::json SchemesToJson(const std::vector<SchemeHit>& schemes);
nlohmann::json AnalysisToJson(const Analysis& a);
// The post with its analysis and schemes; `extra` only when extra_json is a valid document.
nlohmann::json StoredPostToJson(const StoredPost& p);

}  // namespace yuqing
