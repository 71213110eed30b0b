// Schemes as JSON and YAML documents (yuqing topics import/export, the HTTP API).
//
// Document shape (JSON or YAML): a list of schemes, or {"schemes": [...]}. Each scheme:
//   {id?, name, query, exclude?: [..], departments?: [..], regions?: [..], priority?: int,
//    policy?: object|string, enabled?: bool, created_at?, updated_at?}
// The policy is opaque to this module: an object is kept as its JSON text, a string as is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "rules/scheme.h"

namespace yuqing::rules {

// Reads one scheme. Invalid (with the field named) when a required field is missing or a field
// has the wrong type. Times are ISO 8601 strings or milliseconds.
Result<Scheme> SchemeFromJson(const nlohmann::json& j);
// The scheme as an object; policy embedded as an object when it is JSON, else as a string.
nlohmann::json SchemeToJson(const Scheme& s);

// Parses a JSON or YAML document (YAML is a superset of JSON). Never throws.
Result<std::vector<Scheme>> ParseSchemesDocument(std::string_view text);

// {"schemes": [...]} on one line, or the same as a YAML document.
std::string SchemesToJson(const std::vector<Scheme>& schemes);
std::string SchemesToYaml(const std::vector<Scheme>& schemes);

// The policy text as JSON when it is a JSON or YAML mapping; nullopt-like null json otherwise.
nlohmann::json PolicyToJson(const std::string& policy);

}  // namespace yuqing::rules
