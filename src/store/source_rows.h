// Internal to the source store's backends (store/sqlite/source_store.cc,
// store/postgres/source_store.cc): the columns they read and how a row decodes. Not for use
// outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/source.h"

namespace yuqing::store::source_rows {

inline constexpr const char* kColumns =
    "id, name, kind, url, config, every_ms, paused, department, silence_floor_ms, created_at, next_run_at, "
    "last_run_at, last_success_at, last_new_at, last_error, last_error_at, etag, last_modified, state, "
    "silence_alert_id";
inline constexpr const char* kFetchColumns = "source_id, at, ok, not_modified, stored, duplicates, quarantined, error";
// A fetch's error is kept to this many bytes.
inline constexpr size_t kMaxErrorBytes = 2000;

inline nlohmann::json ParseObject(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

// Row is a SQLite statement or a PostgreSQL row (Int, Text, TextView).
template <class Row>
SourceRow ReadRow(const Row& q) {
  SourceRow s;
  s.id = q.Int(0);
  s.name = q.Text(1);
  s.kind = q.Text(2);
  s.url = q.Text(3);
  s.config = ParseObject(q.TextView(4));
  s.every = q.Int(5);
  s.paused = q.Int(6) != 0;
  s.department = q.Text(7);
  s.silence_floor = q.Int(8);
  s.created_at = q.Int(9);
  s.next_run_at = q.Int(10);
  s.last_run_at = q.Int(11);
  s.last_success_at = q.Int(12);
  s.last_new_at = q.Int(13);
  s.last_error = q.Text(14);
  s.last_error_at = q.Int(15);
  s.etag = q.Text(16);
  s.last_modified = q.Text(17);
  s.state = ParseObject(q.TextView(18));
  s.silence_alert_id = q.Int(19);
  return s;
}

template <class Row>
SourceFetch ReadFetch(const Row& q) {
  return {q.Int(0), q.Int(1), q.Int(2) != 0, q.Int(3) != 0, q.Int(4), q.Int(5), q.Int(6), q.Text(7)};
}

}  // namespace yuqing::store::source_rows
