// Internal to the scheme store's backends (store/sqlite/scheme_store.cc,
// store/postgres/scheme_store.cc): the columns they read and write and how a row decodes. Not for
// use outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "rules/scheme.h"

namespace yuqing::store::scheme_rows {

inline constexpr const char* kColumns =
    "id, name, query, exclude, departments, regions, priority, policy, enabled, created_at, updated_at";

// The JSON text a scheme's lists (exclude, departments, regions) are stored as, and back.
inline std::string ListJson(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::vector<std::string> ListFromJson(std::string_view text) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// A row of kColumns; Row is a SQLite statement or a PostgreSQL row (Int, Text, TextView).
template <class Row>
rules::Scheme Read(const Row& r) {
  rules::Scheme s;
  s.id = r.Int(0);
  s.name = r.Text(1);
  s.query = r.Text(2);
  s.exclude = ListFromJson(r.TextView(3));
  s.departments = ListFromJson(r.TextView(4));
  s.regions = ListFromJson(r.TextView(5));
  s.priority = static_cast<int>(r.Int(6));
  s.policy = r.Text(7);
  s.enabled = r.Int(8) != 0;
  s.created_at = r.Int(9);
  s.updated_at = r.Int(10);
  return s;
}

}  // namespace yuqing::store::scheme_rows
