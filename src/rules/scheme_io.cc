#include "rules/scheme_io.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <stdexcept>

#include "core/json_guard.h"

namespace yuqing::rules {
namespace {

using nlohmann::json;

// YAML → JSON with plain scalars typed the way YAML 1.2's core schema would type them.
// Throws std::runtime_error past kMaxJsonDepth levels (callers catch std::exception), so that no
// document deeper than any JSON yuqing accepts reaches dump() (core/json_guard.h).
json YamlToJson(const YAML::Node& n, int depth = 0) {
  if ((n.IsMap() || n.IsSequence()) && depth >= kMaxJsonDepth)
    throw std::runtime_error("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json j = json::object();
      for (const auto& kv : n) j[kv.first.as<std::string>()] = YamlToJson(kv.second, depth + 1);
      return j;
    }
    case YAML::NodeType::Sequence: {
      json j = json::array();
      for (const auto& v : n) j.push_back(YamlToJson(v, depth + 1));
      return j;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted in the document: a string
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "null" || s == "~" || s.empty()) return nullptr;
      int64_t i = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return i;
      double d = 0;
      auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
      if (rd.ec == std::errc() && rd.ptr == s.data() + s.size()) return d;
      return s;
    }
    default:
      return nullptr;
  }
}

void JsonToYaml(const json& j, YAML::Emitter& out) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out << YAML::Key << it.key() << YAML::Value;
      JsonToYaml(it.value(), out);
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& v : j) JsonToYaml(v, out);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    out << YAML::DoubleQuoted << j.get<std::string>();
  } else if (j.is_boolean()) {
    out << j.get<bool>();
  } else if (j.is_number_integer()) {
    out << j.get<int64_t>();
  } else if (j.is_number()) {
    out << j.get<double>();
  } else {
    out << YAML::Null;
  }
}

Status StringList(const json& j, const char* key, std::vector<std::string>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
    return Status::Ok();
  }
  if (!it->is_array()) return Status::Invalid(std::string("'") + key + "' must be a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return Status::Invalid(std::string("'") + key + "' must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status TimeField(const json& j, const char* key, TimeMs& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (it->is_number_integer()) {
    out = it->get<int64_t>();
    return Status::Ok();
  }
  if (it->is_string()) {
    auto t = ParseTime(it->get<std::string>());
    if (!t.ok()) return Status::Invalid(std::string("'") + key + "': " + t.status().message());
    out = *t;
    return Status::Ok();
  }
  return Status::Invalid(std::string("'") + key + "' must be a time");
}

}  // namespace

json PolicyToJson(const std::string& policy) {
  if (policy.empty()) return nullptr;
  if (JsonDepthViolation(policy) >= 0) return nullptr;
  json j = json::parse(policy, nullptr, false);
  if (!j.is_discarded()) return j;
  try {
    YAML::Node n = YAML::Load(policy);
    if (n.IsMap() || n.IsSequence()) return YamlToJson(n);
  } catch (const std::exception&) {
  }
  return nullptr;
}

Result<Scheme> SchemeFromJson(const json& j) {
  if (!j.is_object()) return Status::Invalid("a scheme must be an object");
  Scheme s;
  auto str = [&](const char* key, std::string& out, bool required) -> Status {
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
      return required ? Status::Invalid(std::string("missing '") + key + "'") : Status::Ok();
    if (!it->is_string()) return Status::Invalid(std::string("'") + key + "' must be a string");
    out = it->get<std::string>();
    return Status::Ok();
  };
  YQ_RETURN_IF_ERROR(str("name", s.name, true));
  YQ_RETURN_IF_ERROR(str("query", s.query, true));
  if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Status::Invalid("'id' must be an integer");
    s.id = it->get<int64_t>();
  }
  YQ_RETURN_IF_ERROR(StringList(j, "exclude", s.exclude));
  YQ_RETURN_IF_ERROR(StringList(j, "departments", s.departments));
  YQ_RETURN_IF_ERROR(StringList(j, "regions", s.regions));
  if (auto it = j.find("priority"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return Status::Invalid("'priority' must be an integer");
    s.priority = it->get<int>();
  }
  if (auto it = j.find("enabled"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return Status::Invalid("'enabled' must be true or false");
    s.enabled = it->get<bool>();
  }
  if (auto it = j.find("policy"); it != j.end() && !it->is_null()) {
    s.policy = it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  YQ_RETURN_IF_ERROR(TimeField(j, "created_at", s.created_at));
  YQ_RETURN_IF_ERROR(TimeField(j, "updated_at", s.updated_at));
  return s;
}

json SchemeToJson(const Scheme& s) {
  json j;
  j["id"] = s.id;
  j["name"] = s.name;
  j["query"] = s.query;
  j["exclude"] = s.exclude;
  j["departments"] = s.departments;
  j["regions"] = s.regions;
  j["priority"] = s.priority;
  json p = PolicyToJson(s.policy);
  j["policy"] = p.is_null() && !s.policy.empty() ? json(s.policy) : p;
  j["enabled"] = s.enabled;
  j["created_at"] = s.created_at ? json(FormatTime(s.created_at)) : json(nullptr);
  j["updated_at"] = s.updated_at ? json(FormatTime(s.updated_at)) : json(nullptr);
  return j;
}

Result<std::vector<Scheme>> ParseSchemesDocument(std::string_view text) {
  json doc;
  try {
    YAML::Node n = YAML::Load(std::string(text));
    doc = YamlToJson(n);
  } catch (const YAML::Exception& e) {
    return Status::Invalid(std::string("not valid YAML or JSON: ") + e.what());
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("not valid YAML or JSON: ") + e.what());
  }
  if (doc.is_object() && doc.contains("schemes")) doc = doc["schemes"];
  if (doc.is_object()) doc = json::array({doc});
  if (!doc.is_array()) return Status::Invalid("expected a list of schemes or {\"schemes\": [...]}");
  std::vector<Scheme> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    auto s = SchemeFromJson(doc[i]);
    if (!s.ok()) return Status::Invalid("scheme " + std::to_string(i + 1) + ": " + s.status().message());
    out.push_back(std::move(s).value());
  }
  return out;
}

std::string SchemesToJson(const std::vector<Scheme>& schemes) {
  json arr = json::array();
  for (const Scheme& s : schemes) arr.push_back(SchemeToJson(s));
  return json{{"schemes", arr}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string SchemesToYaml(const std::vector<Scheme>& schemes) {
  json arr = json::array();
  for (const Scheme& s : schemes) arr.push_back(SchemeToJson(s));
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap << YAML::Key << "schemes" << YAML::Value;
  JsonToYaml(arr, out);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace yuqing::rules
